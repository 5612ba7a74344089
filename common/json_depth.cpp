#include "common/json_depth.h"

namespace sift {

size_t json_nesting_depth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return limit + 1;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    } else if (c == '\n') {
      depth = 0;  // NDJSON: every line is its own document
    }
  }
  return deepest;
}

}  // namespace sift
