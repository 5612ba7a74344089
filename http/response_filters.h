// Response shaping the server applies around a handler: OpenSearch's ?filter_path and ?pretty on
// JSON bodies (numbers kept verbatim), and gzip/deflate for request and response bodies. Pure
// functions on strings, so they are tested without a socket.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sift::http {

// Re-renders JSON the way OpenSearch's ?pretty does (Jackson's DefaultPrettyPrinter with a two-space
// indenter for objects and arrays): `"key" : value`, one member or element per line, `{ }` and `[ ]`
// when empty, and a trailing newline. Invalid JSON is a parse_exception.
Result<std::string> pretty_json(std::string_view json);

// Applies a ?filter_path expression: comma-separated dotted paths, `*` inside a key, `**` for any
// depth, a leading `-` to exclude. Arrays are transparent. Containers left empty are dropped, and
// when nothing is left the result is `{}`. Output is compact.
Result<std::string> filter_path(std::string_view json, std::string_view expression);

enum class Compression { kGzip, kDeflate };  // kDeflate is HTTP's "deflate": the zlib format

std::string compress(std::string_view data, Compression kind);
// Inflates gzip or zlib data (detected from the header), falling back to raw deflate. Output over
// `max_bytes` is a kTooLarge status; corrupt input is a parse_exception.
Result<std::string> decompress(std::string_view data, size_t max_bytes);

// Decodes %XX escapes in a URL path segment or query component. '+' stays '+', as in OpenSearch;
// a malformed escape is kept as written.
std::string percent_decode(std::string_view s);

}  // namespace sift::http
