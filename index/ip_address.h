// IP addresses as the `ip` field type stores them: 16 bytes, IPv4 mapped into ::ffff:a.b.c.d, so
// both families share one sorted terms space and one range-query encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sift::index {

// 16-byte canonical form of an IPv4 or IPv6 literal, or nullopt when `text` is not one.
std::optional<std::string> parse_ip(std::string_view text);
// Renders a 16-byte form back as OpenSearch does: dotted quad for mapped IPv4, RFC 5952 otherwise.
std::string format_ip(std::string_view bytes16);

}  // namespace sift::index
