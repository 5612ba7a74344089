// The html_strip char filter (Lucene's HTMLStripCharFilter, reimplemented from its observable
// behaviour): markup removed, block-level tags replaced by a newline, character references decoded,
// script and style elements dropped, escaped_tags kept; offsets corrected back into the input.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzers/components.h"
#include "common/status.h"

namespace sift::analysis {

Result<std::shared_ptr<const CharFilter>> make_html_strip(std::vector<std::string> escaped_tags);

}  // namespace sift::analysis
