#include "cluster/index_names.h"

#include <atomic>
#include <mutex>
#include <random>

#include "common/time_util.h"

namespace sift::cluster {
namespace {

Status invalid_name(std::string_view name, const std::string& why) {
  return Status(Code::kInvalidArgument, "invalid_index_name_exception",
                "Invalid index name [" + std::string(name) + "], " + why)
      .with_index(std::string(name));
}

std::string base64url(const uint8_t* bytes, size_t n) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    acc = (acc << 8) | bytes[i];
    bits += 8;
    while (bits >= 6) {
      out.push_back(kAlphabet[(acc >> (bits - 6)) & 63]);
      bits -= 6;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

std::mt19937_64& rng() {
  thread_local std::mt19937_64 gen(std::random_device{}() ^ static_cast<uint64_t>(monotonic_nanos()));
  return gen;
}

}  // namespace

Status validate_index_name(std::string_view name) {
  if (name.empty()) return invalid_name(name, "must not be empty");
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return invalid_name(name, "must be lowercase");
  }
  if (name.find('#') != std::string_view::npos) return invalid_name(name, "must not contain '#'");
  static const std::string_view kForbidden = "\\/*?\"<>| ,";
  for (char c : name) {
    if (kForbidden.find(c) != std::string_view::npos) {
      return invalid_name(name, "must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?]");
    }
  }
  if (name.find(':') != std::string_view::npos) return invalid_name(name, "must not contain ':'");
  if (name[0] == '_' || name[0] == '-' || name[0] == '+') return invalid_name(name, "must not start with '_', '-', or '+'");
  if (name == "." || name == "..") return invalid_name(name, "must not be '.' or '..'");
  if (name.size() > 255) return invalid_name(name, "index name is too long, (" + std::to_string(name.size()) + " > 255)");
  return Status::ok();
}

bool wildcard_match(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::string random_uuid() {
  uint8_t bytes[16];
  uint64_t a = rng()(), b = rng()();
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(a >> (i * 8));
    bytes[8 + i] = static_cast<uint8_t>(b >> (i * 8));
  }
  return base64url(bytes, 16).substr(0, 22);
}

std::string auto_document_id() {
  // 6 bytes of time (ms) then 6 bytes of sequence + randomness: unique within and across restarts.
  static std::atomic<uint64_t> seq{rng()()};
  uint64_t ts = static_cast<uint64_t>(now_millis());
  uint64_t s = seq.fetch_add(1, std::memory_order_relaxed);
  uint8_t bytes[15];
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(ts >> ((5 - i) * 8));
  for (int i = 0; i < 6; ++i) bytes[6 + i] = static_cast<uint8_t>(s >> ((5 - i) * 8));
  static const uint64_t node_salt = rng()();
  for (int i = 0; i < 3; ++i) bytes[12 + i] = static_cast<uint8_t>(node_salt >> (i * 8));
  return base64url(bytes, 15);
}

}  // namespace sift::cluster
