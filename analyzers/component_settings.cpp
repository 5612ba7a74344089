#include "analyzers/component_settings.h"

#include <cerrno>
#include <cstdlib>
#include <set>

namespace sift::analysis {
namespace {

// "stopwords.12" -> base "stopwords", index 12; false when the key has no numeric suffix.
bool list_key(std::string_view key, std::string_view* base, size_t* index) {
  size_t dot = key.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == key.size()) return false;
  size_t n = 0;
  for (size_t i = dot + 1; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9') return false;
    n = n * 10 + static_cast<size_t>(key[i] - '0');
    if (n > 1'000'000'000) return false;
  }
  *base = key.substr(0, dot);
  *index = n;
  return true;
}

Status bad_value(std::string_view key, const std::string& value, std::string_view what) {
  return invalid_argument("Failed to parse value [" + value + "] as " + std::string(what) + " for setting [" +
                          std::string(key) + "]");
}

}  // namespace

std::string ComponentSettings::type() const { return get_or("type", ""); }

bool ComponentSettings::has(std::string_view key) const {
  if (values_.count(std::string(key)) > 0) return true;
  return values_.count(std::string(key) + ".0") > 0;
}

std::optional<std::string> ComponentSettings::get(std::string_view key) const {
  auto it = values_.find(std::string(key));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string ComponentSettings::get_or(std::string_view key, std::string_view fallback) const {
  auto v = get(key);
  return v ? *v : std::string(fallback);
}

Result<IndexLimits> index_limits(const std::map<std::string, std::string>& index_settings) {
  IndexLimits limits;
  for (auto [key, field] : {std::pair<const char*, int64_t*>{"index.max_ngram_diff", &limits.max_ngram_diff},
                            std::pair<const char*, int64_t*>{"index.max_shingle_diff", &limits.max_shingle_diff}}) {
    auto it = index_settings.find(key);
    if (it == index_settings.end()) continue;
    errno = 0;
    char* end = nullptr;
    const long long n = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || errno != 0 || end != it->second.c_str() + it->second.size()) {
      return invalid_argument("Failed to parse value [" + it->second + "] for setting [" + key + "]");
    }
    if (n < 0) {
      return invalid_argument("Failed to parse value [" + it->second + "] for setting [" + key + "] must be >= 0");
    }
    *field = n;
  }
  return limits;
}

Result<int64_t> ComponentSettings::get_int(std::string_view key, int64_t fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || errno != 0 || end != v->c_str() + v->size()) return bad_value(key, *v, "an integer");
  return static_cast<int64_t>(n);
}

Result<double> ComponentSettings::get_double(std::string_view key, double fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(v->c_str(), &end);
  if (v->empty() || errno != 0 || end != v->c_str() + v->size()) return bad_value(key, *v, "a number");
  return d;
}

Result<bool> ComponentSettings::get_bool(std::string_view key, bool fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  if (*v == "true") return true;
  if (*v == "false") return false;
  return invalid_argument("Failed to parse value [" + *v + "] as only [true] or [false] are allowed.");
}

std::optional<std::vector<std::string>> ComponentSettings::get_list(std::string_view key) const {
  std::map<size_t, std::string> items;
  const std::string prefix = std::string(key) + ".";
  for (auto it = values_.lower_bound(prefix); it != values_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    std::string_view base;
    size_t index = 0;
    if (list_key(it->first, &base, &index) && base == key) items[index] = it->second;
  }
  if (!items.empty()) {
    std::vector<std::string> out;
    out.reserve(items.size());
    for (auto& [i, v] : items) out.push_back(v);
    return out;
  }
  auto v = get(key);
  if (!v) return std::nullopt;
  return std::vector<std::string>{*v};
}

std::vector<std::string> ComponentSettings::keys() const {
  std::set<std::string> out;
  for (const auto& [k, v] : values_) {
    std::string_view base;
    size_t index = 0;
    out.insert(list_key(k, &base, &index) ? std::string(base) : k);
  }
  return {out.begin(), out.end()};
}

}  // namespace sift::analysis
