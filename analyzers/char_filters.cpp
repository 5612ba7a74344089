// Char filters (Lucene 8.7's, as OpenSearch configures them): mapping (MappingCharFilter: longest
// match of the rules' keys at each position), pattern_replace (PatternReplaceCharFilter over the
// whole text) and html_strip (html_strip.cpp). Each records offset corrections as Lucene's
// BaseCharFilter does, so token offsets point into the original text.
#include <unicode/regex.h>

#include <map>

#include "analyzers/html_strip.h"
#include "analyzers/java_regex.h"
#include "analyzers/rule_escapes.h"
#include "analyzers/registry.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

using CharFilterPtr = std::shared_ptr<const CharFilter>;

class MappingCharFilter final : public CharFilter {
 public:
  explicit MappingCharFilter(std::map<std::u16string, std::u16string> rules) : rules_(std::move(rules)) {
    for (const auto& [k, v] : rules_) max_key_ = std::max(max_key_, k.size());
  }

  void filter(std::u16string_view in, std::u16string* out, OffsetMap* map) const override {
    int64_t cumulative = 0;
    size_t i = 0;
    while (i < in.size()) {
      const std::u16string* replacement = nullptr;
      size_t len = std::min(max_key_, in.size() - i);
      for (; len > 0; --len) {
        auto it = rules_.find(std::u16string(in.substr(i, len)));
        if (it != rules_.end()) {
          replacement = &it->second;
          break;
        }
      }
      if (replacement == nullptr) {
        out->push_back(in[i]);
        ++i;
        continue;
      }
      const int64_t input_off = static_cast<int64_t>(i + len);
      const int64_t diff = static_cast<int64_t>(len) - static_cast<int64_t>(replacement->size());
      if (diff > 0) {
        map->add(static_cast<uint32_t>(input_off - diff - cumulative), static_cast<int32_t>(cumulative + diff));
        cumulative += diff;
      } else if (diff < 0) {
        const int64_t output_start = input_off - cumulative;
        for (int64_t extra = 0; extra < -diff; ++extra) {
          map->add(static_cast<uint32_t>(output_start + extra), static_cast<int32_t>(cumulative - extra - 1));
        }
        cumulative += diff;
      }
      out->append(*replacement);
      i += len;
    }
  }
  bool normalizing() const override { return true; }

 private:
  std::map<std::u16string, std::u16string> rules_;
  size_t max_key_ = 0;
};

// Java's String.trim: code units <= U+0020 off both ends.
std::u16string java_trim(std::u16string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && s[b] <= u' ') ++b;
  while (e > b && s[e - 1] <= u' ') --e;
  return std::u16string(s.substr(b, e - b));
}

Result<std::map<std::u16string, std::u16string>> parse_mappings(const std::vector<std::string>& rules) {
  std::map<std::u16string, std::u16string> out;
  for (const std::string& rule : rules) {
    // "(.*)\s*=>\s*(.*)\s*$": the key is everything before the last "=>".
    std::u16string r = to_utf16(rule);
    const size_t arrow = r.rfind(u"=>");
    if (arrow == std::u16string::npos || r.find_first_of(u"\n\r\u0085\u2028\u2029") != std::u16string::npos) {
      return invalid_argument("Invalid Mapping Rule : [" + rule + "]");
    }
    SIFT_ASSIGN_OR_RETURN(std::u16string key, unescape_rule(java_trim(std::u16string_view(r).substr(0, arrow))));
    SIFT_ASSIGN_OR_RETURN(std::u16string value, unescape_rule(java_trim(std::u16string_view(r).substr(arrow + 2))));
    if (key.empty()) return invalid_argument("cannot match the empty string");
    if (!out.emplace(std::move(key), std::move(value)).second) {
      return invalid_argument("match \"" + to_utf8(java_trim(std::u16string_view(r).substr(0, arrow))) + "\" was already added");
    }
  }
  return out;
}

// Lucene's PatternReplaceCharFilter: every match replaced; a shorter replacement maps the offset
// after it back by the difference, a longer one maps its extra characters to the match's end.
class PatternReplaceCharFilter final : public CharFilter {
 public:
  PatternReplaceCharFilter(std::unique_ptr<icu::RegexPattern> p, icu::UnicodeString replacement)
      : pattern_(std::move(p)), replacement_(std::move(replacement)) {}

  void filter(std::u16string_view in, std::u16string* out, OffsetMap* map) const override {
    UErrorCode e = U_ZERO_ERROR;
    icu::UnicodeString text(false, reinterpret_cast<const UChar*>(in.data()), static_cast<int32_t>(in.size()));
    std::unique_ptr<icu::RegexMatcher> m(pattern_->matcher(text, e));
    if (U_FAILURE(e)) {
      out->assign(in);
      return;
    }
    limit_match_time(m.get(), in.size());
    icu::UnicodeString result;
    int64_t cumulative = 0;
    int32_t last_end = 0;
    while (m->find()) {
      e = U_ZERO_ERROR;
      const int32_t start = m->start(e), end = m->end(e);
      const int32_t group = end - start;
      const int32_t skipped = start - last_end;
      last_end = end;
      const int32_t before = result.length() + skipped;
      m->appendReplacement(result, replacement_, e);
      if (U_FAILURE(e)) {
        // A replacement naming a group the pattern lacks ("$2" with one group): Java throws "No group
        // 2" while analyzing. Leave the text unchanged, as the pattern_replace token filter does;
        // breaking off here kept a half-done replacement without its offset corrections, so offsets
        // could point past the input.
        out->assign(in);
        map->clear();
        return;
      }
      const int32_t replaced = result.length() - before;
      if (group != replaced) {
        if (replaced < group) {
          cumulative += group - replaced;
          map->add(static_cast<uint32_t>(before + replaced), static_cast<int32_t>(cumulative));
        } else {
          for (int32_t i = group; i < replaced; ++i) map->add(static_cast<uint32_t>(before + i), static_cast<int32_t>(--cumulative));
        }
      }
    }
    m->appendTail(result);
    out->assign(reinterpret_cast<const char16_t*>(result.getBuffer()), static_cast<size_t>(result.length()));
  }
  bool normalizing() const override { return true; }

 private:
  std::unique_ptr<icu::RegexPattern> pattern_;
  icu::UnicodeString replacement_;
};

}  // namespace

void register_char_filters(ComponentTypes* types) {
  types->char_filters["mapping"] = [](const ComponentSettings& s) -> Result<CharFilterPtr> {
    auto rules = s.get_list("mappings");
    if (!rules) {
      if (s.has("mappings_path")) return invalid_argument("mappings_path is not supported: files on nodes are not available");
      return invalid_argument("mapping requires either `mappings` or `mappings_path` to be configured");
    }
    SIFT_ASSIGN_OR_RETURN(auto map, parse_mappings(*rules));
    return CharFilterPtr(std::make_shared<MappingCharFilter>(std::move(map)));
  };
  types->char_filters["pattern_replace"] = [](const ComponentSettings& s) -> Result<CharFilterPtr> {
    auto pattern = s.get("pattern");
    if (!pattern || pattern->empty()) {
      return invalid_argument("pattern is missing for [" + s.name() + "] char filter of type 'pattern_replace'");
    }
    SIFT_ASSIGN_OR_RETURN(auto p, compile_java_regex(*pattern, s.get_or("flags", "")));
    return CharFilterPtr(
        std::make_shared<PatternReplaceCharFilter>(std::move(p), icu::UnicodeString::fromUTF8(s.get_or("replacement", ""))));
  };
  types->char_filters["html_strip"] = [](const ComponentSettings& s) -> Result<CharFilterPtr> {
    std::vector<std::string> escaped = s.get_list("escaped_tags").value_or(std::vector<std::string>{});
    return make_html_strip(std::move(escaped));
  };
}

}  // namespace sift::analysis
