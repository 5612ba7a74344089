// A small streaming JSON writer for responses and metadata files. It places commas itself, escapes
// strings (invalid UTF-8 becomes U+FFFD), and can splice already-serialized JSON (`raw`), such as a
// stored `_source`, without parsing it. RapidJSON stays in parsing files; this is what the rest use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sift {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(int v) { return value_i64(v); }
  JsonWriter& value(unsigned v) { return value_u64(v); }
  JsonWriter& value(long v) { return value_i64(v); }
  JsonWriter& value(unsigned long v) { return value_u64(v); }
  JsonWriter& value(long long v) { return value_i64(v); }
  JsonWriter& value(unsigned long long v) { return value_u64(v); }
  JsonWriter& value_i64(int64_t v);
  JsonWriter& value_u64(uint64_t v);
  JsonWriter& value(double v);
  JsonWriter& value(float v);  // rendered with float precision, as Java renders scores
  JsonWriter& null();
  // Inserts pre-serialized JSON as one value.
  JsonWriter& raw(std::string_view json);

  // key + value in one call.
  template <typename T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }
  JsonWriter& field_raw(std::string_view k, std::string_view json) {
    key(k);
    return raw(json);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

// Appends `s` as a quoted, escaped JSON string.
void append_json_string(std::string& out, std::string_view s);
// Shortest text that reads back to the same double; whole numbers keep a ".0" as Java prints them.
std::string format_double(double v);
std::string format_float(float v);

}  // namespace sift
