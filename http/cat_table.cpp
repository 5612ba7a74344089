#include "http/cat_table.h"

#include <algorithm>
#include <cstdio>

#include "common/json_writer.h"
#include "http/rest_util.h"

namespace sift::http {

std::string cat_bytes(uint64_t bytes, const std::string& unit) {
  static const std::pair<const char*, double> kUnits[] = {
      {"b", 1}, {"kb", 1024.0}, {"mb", 1024.0 * 1024}, {"gb", 1024.0 * 1024 * 1024}, {"tb", 1024.0 * 1024 * 1024 * 1024}};
  if (!unit.empty()) {
    for (const auto& [name, mult] : kUnits) {
      if (unit == name) return std::to_string(static_cast<uint64_t>(static_cast<double>(bytes) / mult));
    }
  }
  const char* name = "b";
  double v = static_cast<double>(bytes);
  for (const auto& [n, mult] : kUnits) {
    if (static_cast<double>(bytes) >= mult) {
      name = n;
      v = static_cast<double>(bytes) / mult;
    }
  }
  char buf[32];
  if (std::string(name) == "b") std::snprintf(buf, sizeof buf, "%llub", static_cast<unsigned long long>(bytes));
  else std::snprintf(buf, sizeof buf, "%.1f%s", v, name);
  return buf;
}

namespace {
bool names_column(const CatColumn& c, const std::string& name) {
  if (c.name == name) return true;
  for (const auto& a : split_csv(c.aliases)) {
    if (a == name) return true;
  }
  return false;
}
}  // namespace

RestResponse CatTable::render(const RestRequest& req) const {
  if (req.param("help") == "true" || (req.has_param("help") && req.param("help").empty())) {
    size_t name_w = 0, alias_w = 0;
    for (const auto& c : columns_) {
      name_w = std::max(name_w, c.name.size());
      alias_w = std::max(alias_w, c.aliases.size());
    }
    std::string out;
    for (const auto& c : columns_) {
      std::string line = c.name + std::string(name_w - c.name.size(), ' ') + " | " + c.aliases +
                         std::string(alias_w - c.aliases.size(), ' ') + " | " +
                         (c.description.empty() ? c.name : c.description);
      out += line + "\n";
    }
    return RestResponse::text(200, std::move(out));
  }
  // Columns to show: `h` names them (or their aliases, `*` wildcards), else the defaults.
  std::vector<size_t> cols;
  if (req.has_param("h")) {
    for (const auto& h : split_csv(req.param("h"))) {
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (names_column(columns_[i], h) || (h.find('*') != std::string::npos && [&] {
              std::string prefix = h.substr(0, h.find('*'));
              return columns_[i].name.compare(0, prefix.size(), prefix) == 0;
            }())) {
          cols.push_back(i);
        }
      }
    }
  } else {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].shown_by_default) cols.push_back(i);
    }
  }
  std::vector<const std::vector<std::string>*> rows;
  for (const auto& r : rows_) rows.push_back(&r);
  if (req.has_param("s")) {
    std::vector<std::pair<size_t, bool>> keys;
    for (auto key : split_csv(req.param("s"))) {
      bool desc = false;
      size_t colon = key.find(':');
      if (colon != std::string::npos) {
        desc = key.substr(colon + 1) == "desc";
        key = key.substr(0, colon);
      }
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (names_column(columns_[i], key)) keys.emplace_back(i, desc);
      }
    }
    std::stable_sort(rows.begin(), rows.end(), [&](const auto* a, const auto* b) {
      for (auto [c, desc] : keys) {
        const std::string &x = (*a)[c], &y = (*b)[c];
        if (x == y) continue;
        bool less;
        if (columns_[c].numeric) less = std::strtod(x.c_str(), nullptr) < std::strtod(y.c_str(), nullptr);
        else less = x < y;
        return desc ? !less : less;
      }
      return false;
    });
  }
  if (req.param("format") == "json") {
    JsonWriter w;
    w.begin_array();
    for (const auto* r : rows) {
      w.begin_object();
      for (size_t c : cols) w.field(columns_[c].name, (*r)[c]);
      w.end_object();
    }
    w.end_array();
    return json_response(200, w);
  }
  bool header = req.has_param("v") && req.param("v") != "false";
  std::vector<size_t> width(cols.size(), 0);
  for (size_t k = 0; k < cols.size(); ++k) {
    if (header) width[k] = columns_[cols[k]].name.size();
    for (const auto* r : rows) width[k] = std::max(width[k], (*r)[cols[k]].size());
  }
  std::string out;
  // Cells are padded to their column's width (all but the last column) and joined by one space,
  // as OpenSearch's tables are: a row whose last cell is empty ends in a space.
  auto line = [&](const std::vector<std::string>& cells, bool is_header) {
    std::string l;
    for (size_t k = 0; k < cols.size(); ++k) {
      const std::string& cell = cells[cols[k]];
      size_t pad = width[k] - cell.size();
      bool right = columns_[cols[k]].numeric && !is_header;
      if (k > 0) l += ' ';
      if (right) l.append(pad, ' ');
      l += cell;
      if (!right && k + 1 < cols.size()) l.append(pad, ' ');
    }
    out += l + "\n";
  };
  if (header) {
    std::vector<std::string> names;
    for (const auto& c : columns_) names.push_back(c.name);
    line(names, true);
  }
  (void)0;
  for (const auto* r : rows) line(*r, false);
  return RestResponse::text(200, std::move(out));
}

}  // namespace sift::http
