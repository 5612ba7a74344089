// Small pieces sift-bench shares between its subcommands: LuceneBench's argument convention, the
// statistics and rounding of its tables, and its JSON lines (numbers printed as Java prints them),
// so that the two drivers' outputs compare line by line.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sift::bench {

// Prints `message` and the usage to stderr and exits with status 2 (a caller's mistake).
[[noreturn]] void usage_error(const std::string& message);

// `--key value` pairs and bare `--flag`s (a flag is "true"), parsed as LuceneBench parses them: a
// word that does not start with `--` after a key is its value. Unlike LuceneBench, a key the
// subcommand does not know is an error, so a typo cannot silently change what is measured.
class Args {
 public:
  Args(int argc, char** argv, int from, std::initializer_list<std::string_view> known);
  std::string get(std::string_view key, std::string_view fallback) const;
  std::string required(std::string_view key) const;
  int64_t integer(std::string_view key, int64_t fallback) const;
  float real(std::string_view key, float fallback) const;
  // Java's Boolean.parseBoolean: true only for "true" in any case.
  bool flag(std::string_view key) const;

 private:
  std::map<std::string, std::string, std::less<>> kv_;
};

// One JSON object with keys in insertion order, as LuceneBench's LinkedHashMap rows.
class JsonRow {
 public:
  using Value = std::variant<std::string, int64_t, double>;
  void add(std::string key, Value value) { fields_.emplace_back(std::move(key), std::move(value)); }
  const Value& at(std::string_view key) const;
  // {"k":v,...}: strings quoted, integers plain, doubles as Java's Double.toString ("12.0").
  std::string to_json() const;

 private:
  std::vector<std::pair<std::string, Value>> fields_;
};

// Java's Math.round(v * 10^digits) / 10^digits.
double round_to(double v, int digits);
// Java's Math.round for a non-negative average.
int64_t round_half_up(double v);
double mean(const std::vector<double>& v);
// Nearest-rank percentile of sorted values (0 for none), as LuceneBench's pct.
double percentile(const std::vector<double>& sorted, double p);

using Clock = std::chrono::steady_clock;
inline double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Bytes of every regular file under `dir` (recursively), except a top-level file named `skip`.
uint64_t directory_bytes(const std::string& dir, std::string_view skip);

}  // namespace sift::bench
