// `_cat` tables: rows of named string cells rendered as aligned text (with `v` headers, `h`
// column selection, `s` sorting) or as JSON (`format=json`), as OpenSearch's _cat APIs do.
#pragma once

#include <string>
#include <vector>

#include "http/rest.h"

namespace sift::http {

struct CatColumn {
  std::string name;
  bool shown_by_default = true;
  bool numeric = false;           // right-aligned in text, numeric sort
  std::string aliases;            // comma-separated short names accepted by `h` and `s`
  std::string description;        // shown by `help`
};

class CatTable {
 public:
  explicit CatTable(std::vector<CatColumn> columns) : columns_(std::move(columns)) {}
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  RestResponse render(const RestRequest& req) const;

 private:
  std::vector<CatColumn> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Byte sizes as _cat prints them ("208b", "4.5kb", "1.2mb"), or in the unit of `?bytes=`.
std::string cat_bytes(uint64_t bytes, const std::string& unit);

}  // namespace sift::http
