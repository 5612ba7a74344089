#include <catch2/catch.hpp>

#include "common/bytes.h"
#include "common/crc32c.h"
#include "common/json_writer.h"
#include "common/status.h"
#include "common/time_util.h"

using namespace sift;

TEST_CASE("crc32c matches the standard check value") {
  CHECK(crc32c("123456789") == 0xE3069283u);
  CHECK(crc32c("") == 0u);
  std::string big(1000, 'x');
  uint32_t whole = crc32c(big);
  uint32_t parts = crc32c_extend(crc32c(big.data(), 333), big.data() + 333, 667);
  CHECK(whole == parts);
}

TEST_CASE("varints and fixed-width integers round trip; short reads fail") {
  ByteWriter w;
  w.put_varint(0);
  w.put_varint(300);
  w.put_varint(UINT64_MAX);
  w.put_svarint(-5);
  w.put_u32(0xdeadbeef);
  w.put_bytes("hello");
  ByteReader r(w.data());
  CHECK(r.get_varint() == 0);
  CHECK(r.get_varint() == 300);
  CHECK(r.get_varint() == UINT64_MAX);
  CHECK(r.get_svarint() == -5);
  CHECK(r.get_u32() == 0xdeadbeef);
  CHECK(r.get_bytes() == "hello");
  CHECK(r.ok());
  CHECK(r.eof());
  r.get_u32();
  CHECK_FALSE(r.ok());
}

TEST_CASE("json writer escapes and places commas") {
  JsonWriter w;
  w.begin_object().field("a", 1).field("b", std::string_view("x\"y\n")).key("c").begin_array();
  w.value(true).null().value(1.5).value(2.0).end_array().field_raw("d", "{\"k\":1}").end_object();
  CHECK(w.str() == R"({"a":1,"b":"x\"y\n","c":[true,null,1.5,2.0],"d":{"k":1}})");
}

TEST_CASE("json writer replaces invalid UTF-8") {
  std::string out;
  append_json_string(out, std::string("a\xff") + "b\xc3\xa9");
  CHECK(out == "\"a\xEF\xBF\xBD" "b\xc3\xa9\"");
}

TEST_CASE("status and result carry errors") {
  Result<int> ok = 5;
  CHECK(ok.is_ok());
  CHECK(*ok == 5);
  Result<int> bad = invalid_argument("nope");
  CHECK_FALSE(bad.is_ok());
  CHECK(bad.status().type() == "illegal_argument_exception");
  CHECK(bad.status().reason() == "nope");
}

TEST_CASE("iso8601 formatting") {
  CHECK(format_iso8601_millis(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_iso8601_millis(1700000000123) == "2023-11-14T22:13:20.123Z");
  CHECK(format_iso8601_millis(-1) == "1969-12-31T23:59:59.999Z");
}

#include "common/json_depth.h"

TEST_CASE("json nesting depth is found without parsing and stops at the limit") {
  CHECK(json_nesting_depth("{}") == 1);
  CHECK(json_nesting_depth(R"({"a":[{"b":"[[[{{{"}]})") == 3);  // brackets in strings do not count
  CHECK(json_nesting_depth(R"({"a":"\"[["})") == 1);              // nor after an escaped quote
  CHECK(json_nesting_depth("[[1]]\n{}\n") == 2);                  // NDJSON lines are separate
  std::string deep(100000, '[');
  CHECK(json_nesting_depth(deep) == kMaxJsonDepth + 1);
  CHECK(json_nesting_depth(deep, 5) == 6);
  CHECK(json_nesting_depth("1") == 0);
}
