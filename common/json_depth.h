// A guard against hostile nesting: the deepest `{`/`[` nesting of JSON text, found by one scan that
// skips strings, with no parse and no recursion. Bodies deeper than OpenSearch's limit (1000) are
// refused before any recursive code sees them.
#pragma once

#include <cstddef>
#include <string_view>

namespace sift {

inline constexpr size_t kMaxJsonDepth = 1000;

// Stops counting once `limit` is exceeded and returns limit + 1.
size_t json_nesting_depth(std::string_view text, size_t limit = kMaxJsonDepth);

}  // namespace sift
