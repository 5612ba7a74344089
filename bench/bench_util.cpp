#include "bench/bench_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace sift::bench {

void usage_error(const std::string& message) {
  std::fprintf(stderr, "sift-bench: %s\n", message.c_str());
  std::fprintf(stderr,
               "usage: sift-bench index  --input F.jsonl --index DIR --type text|logs [--threads N]\n"
               "                         [--ram-mb M] [--force-merge] [--max-docs N] [--no-source]\n"
               "       sift-bench search --index DIR --queries Q.txt [--field body]\n"
               "                         [--modes TOP_10,COUNT,TOP_10_COUNT,TOP_100] [--warmup-rounds R]\n"
               "                         [--iters N] [--k1 1.2] [--b 0.75] [--json OUT]\n"
               "       sift-bench topk   --index DIR --queries Q.txt [--field body] [--k 10] [--k1 1.2]\n"
               "                         [--b 0.75] [--explain]\n"
               "       sift-bench aggs   --index DIR [--iters N] [--warmup-rounds R] [--json OUT]\n");
  std::exit(2);
}

Args::Args(int argc, char** argv, int from, std::initializer_list<std::string_view> known) {
  for (int i = from; i < argc; ++i) {
    std::string_view k = argv[i];
    if (!k.starts_with("--")) usage_error("bad arg " + std::string(k));
    k.remove_prefix(2);
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      usage_error("unknown option --" + std::string(k));
    }
    if (i + 1 < argc && !std::string_view(argv[i + 1]).starts_with("--")) {
      kv_[std::string(k)] = argv[++i];
    } else {
      kv_[std::string(k)] = "true";
    }
  }
}

std::string Args::get(std::string_view key, std::string_view fallback) const {
  auto it = kv_.find(key);
  return it == kv_.end() ? std::string(fallback) : it->second;
}

std::string Args::required(std::string_view key) const {
  auto it = kv_.find(key);
  if (it == kv_.end()) usage_error("missing --" + std::string(key));
  return it->second;
}

int64_t Args::integer(std::string_view key, int64_t fallback) const {
  auto it = kv_.find(key);
  if (it == kv_.end()) return fallback;
  char* end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0') usage_error("--" + std::string(key) + " wants an integer");
  return v;
}

float Args::real(std::string_view key, float fallback) const {
  auto it = kv_.find(key);
  if (it == kv_.end()) return fallback;
  char* end = nullptr;
  float v = std::strtof(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0') usage_error("--" + std::string(key) + " wants a number");
  return v;
}

bool Args::flag(std::string_view key) const {
  std::string v = get(key, "false");
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "true";
}

const JsonRow::Value& JsonRow::at(std::string_view key) const {
  for (const auto& [k, v] : fields_) {
    if (k == key) return v;
  }
  static const Value kNone;
  return kNone;
}

namespace {

// Double.toString for the values these rows hold: the shortest decimal that reads back the same,
// with ".0" on whole numbers. (Java switches to "1.0E7" notation outside [1e-3, 1e7); those values
// do not occur in these rows.)
std::string java_double(double v) {
  char buf[64];
  if (!std::isfinite(v) || std::fabs(v) >= 1e7) {
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
  }
  for (int decimals = 0; decimals <= 20; ++decimals) {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  if (s.find('.') == std::string::npos) s += ".0";
  return s;
}

void append_quoted(std::string* out, const std::string& s) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

std::string JsonRow::to_json() const {
  std::string out = "{";
  for (const auto& [k, v] : fields_) {
    if (out.size() > 1) out.push_back(',');
    append_quoted(&out, k);
    out.push_back(':');
    if (const auto* s = std::get_if<std::string>(&v)) append_quoted(&out, *s);
    else if (const auto* i = std::get_if<int64_t>(&v)) out += std::to_string(*i);
    else out += java_double(std::get<double>(v));
  }
  out.push_back('}');
  return out;
}

double round_to(double v, int digits) {
  double m = std::pow(10.0, digits);
  return std::floor(v * m + 0.5) / m;
}

int64_t round_half_up(double v) { return static_cast<int64_t>(std::floor(v + 0.5)); }

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  long idx = static_cast<long>(std::ceil(p * static_cast<double>(sorted.size()))) - 1;
  idx = std::clamp(idx, 0L, static_cast<long>(sorted.size()) - 1);
  return sorted[static_cast<size_t>(idx)];
}

uint64_t directory_bytes(const std::string& dir, std::string_view skip) {
  namespace fs = std::filesystem;
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    if (it.depth() == 0 && it->path().filename() == skip) continue;
    total += it->file_size(ec);
  }
  return total;
}

}  // namespace sift::bench
