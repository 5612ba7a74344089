// Stop word lists: Lucene's predefined lists by OpenSearch's names (`_english_`, `_french_`, ...),
// and the `stopwords` setting resolved to a set.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analyzers/component_settings.h"
#include "common/status.h"

namespace sift::analysis {

// A predefined list (`_english_`, `_none_`, ...); nullptr for an unknown name.
const std::vector<std::string_view>* predefined_stopwords(std::string_view name);

// The words of setting `key` (default "stopwords"): a predefined name, or a list where a
// predefined name also expands; `fallback` names the default list when the setting is absent.
// `lower` lower-cases the words (ignore_case). stopwords_path is a 400 (no files on a node yet).
Result<std::unordered_set<std::string>> stopword_set(const ComponentSettings& s, std::string_view fallback,
                                                    bool lower, std::string_view key = "stopwords");

}  // namespace sift::analysis
