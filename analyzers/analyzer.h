// Analyzer: text -> tokens. Built once (from a name or index settings), immutable and thread-safe.
// The registry resolves analyzer names for a field; `standard` is the default. This is the small
// first set (standard, simple, whitespace, keyword, stop); the analysis issue grows it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzers/token.h"

namespace sift::analysis {

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  // Appends the tokens of `text` to `out`. Positions start at `first_position` (so the values of
  // a multi-valued field continue one after the other) and offsets at `offset_base`.
  virtual void analyze(std::string_view text, uint32_t first_position, uint32_t offset_base,
                       std::vector<Token>* out) const = 0;
  const std::string& name() const { return name_; }

 protected:
  explicit Analyzer(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

class AnalyzerRegistry {
 public:
  // A registry with the built-in analyzers.
  static std::shared_ptr<const AnalyzerRegistry> builtin();
  // nullptr when no analyzer has that name.
  const Analyzer* get(std::string_view name) const;
  const Analyzer& standard() const { return *standard_; }

 private:
  AnalyzerRegistry();
  std::unordered_map<std::string, std::unique_ptr<Analyzer>> analyzers_;
  const Analyzer* standard_ = nullptr;
};

// UTF-16 length of a UTF-8 string (OpenSearch's offsets count UTF-16 code units).
uint32_t utf16_length(std::string_view utf8);

}  // namespace sift::analysis
