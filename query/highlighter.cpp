// The unified highlighter's passage logic (Lucene's FieldHighlighter, PassageScorer and OpenSearch's
// BoundedBreakIteratorScanner and CustomPassageFormatter) over tokens from re-analysis: matches are
// the tokens the clauses accept; a passage grows around the first match not yet covered, its
// bounds chosen by the break iterator; the best `number_of_fragments` passages by Lucene's BM25-like
// passage score are kept and rendered in text order. Offsets are UTF-16 units, as Lucene counts.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <queue>
#include <unordered_set>

#include "analyzers/registry.h"
#include "analyzers/text_breaks.h"
#include "query/highlight.h"
#include "query/segment_evaluator.h"

namespace sift::query {
namespace {

using index::FieldType;
using index::ResolvedField;

constexpr int64_t kDone = -1;  // java.text.BreakIterator.DONE

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Boundaries with java.text.BreakIterator's preceding/following (strictly before / after).
struct Breaks {
  std::vector<uint32_t> at;
  int64_t preceding(int64_t offset) const {
    auto it = std::lower_bound(at.begin(), at.end(), static_cast<uint32_t>(std::max<int64_t>(offset, 0)));
    return it == at.begin() ? kDone : static_cast<int64_t>(*std::prev(it));
  }
  int64_t following(int64_t offset) const {
    if (offset < 0) return at.empty() ? kDone : at.front();
    auto it = std::upper_bound(at.begin(), at.end(), static_cast<uint32_t>(offset));
    return it == at.end() ? kDone : static_cast<int64_t>(*it);
  }
};

// Where passages of one value start and end. Lucene calls preceding(start + 1), then following(start),
// for each match that opens a passage, with increasing offsets.
class PassageCutter {
 public:
  enum class Mode : uint8_t { kWhole, kBreaks, kBounded };
  PassageCutter(std::string_view text, int64_t length, const ResolvedHighlight& o) : length_(length) {
    if (o.number_of_fragments == 0) {
      mode_ = Mode::kWhole;
    } else if (o.boundary == HighlightBoundary::kWord) {
      mode_ = Mode::kBreaks;
      main_.at = analysis::text_breaks(text, analysis::BreakKind::kWord);
    } else {
      main_.at = analysis::text_breaks(text, analysis::BreakKind::kSentence);
      mode_ = o.fragment_size > 0 ? Mode::kBounded : Mode::kBreaks;
      max_len_ = o.fragment_size;
      if (mode_ == Mode::kBounded) inner_.at = analysis::text_breaks(text, analysis::BreakKind::kWord);
    }
  }

  int64_t preceding(int64_t offset) {
    if (mode_ == Mode::kWhole) return 0;
    if (mode_ == Mode::kBreaks) return main_.preceding(offset);
    return bounded_preceding(offset);
  }
  int64_t following(int64_t offset) const {
    if (mode_ == Mode::kWhole) return length_;
    if (mode_ == Mode::kBreaks) return main_.following(offset);
    return inner_end_;
  }

 private:
  // OpenSearch's BoundedBreakIteratorScanner: sentences grouped forward up to fragment_size; a
  // longer sentence is cut at word boundaries around the match.
  int64_t bounded_preceding(int64_t offset) {
    if (offset > window_start_ && offset < window_end_) {
      inner_start_ = inner_end_;
      inner_end_ = window_end_;
    } else {
      window_start_ = inner_start_ = main_.preceding(offset);
      window_end_ = inner_end_ = main_.following(offset - 1);
      while (inner_end_ - inner_start_ < max_len_) {
        int64_t next = main_.following(inner_end_);
        if (next == kDone || next - inner_start_ > max_len_) break;
        window_end_ = inner_end_ = next;
      }
    }
    if (inner_end_ - inner_start_ > max_len_) {
      if (offset - max_len_ > inner_start_) inner_start_ = std::max(inner_start_, inner_.preceding(offset - max_len_));
      int64_t remaining = std::max<int64_t>(0, max_len_ - (offset - inner_start_));
      if (offset + remaining < window_end_) inner_end_ = std::min(window_end_, inner_.following(offset + remaining));
    }
    return inner_start_;
  }

  Mode mode_ = Mode::kBreaks;
  int64_t length_;
  int64_t max_len_ = 0;
  Breaks main_, inner_;
  int64_t window_start_ = -1, window_end_ = -1, inner_start_ = -1, inner_end_ = 0;
};

struct Match {
  uint32_t start = 0, end = 0;  // UTF-16 offsets within the value
  std::string term;
};

// One `_source` value: its text, UTF-16 length and the matches found in it.
struct ValueMatches {
  std::string_view text;
  int64_t length = 0;
  int64_t base = 0;  // offset of the value in the field's content (values joined by one separator)
  std::vector<Match> matches;
};

// Decides which tokens of a field the clauses mark.
class TokenMarker {
 public:
  TokenMarker(const std::vector<HighlightClause>& clauses, const ResolvedField& field, bool require_field_match) {
    for (const auto& c : clauses) {
      if (require_field_match && c.field != field.path) continue;
      if (c.kind == HighlightClause::Kind::kTerms) {
        for (const auto& t : c.terms) (c.case_insensitive ? exact_ci_ : exact_).insert(t);
      } else if (c.kind == HighlightClause::Kind::kPhrase) {
        phrases_.push_back(&c);
      } else {
        patterns_.push_back(&c);
      }
    }
  }
  bool empty() const { return exact_.empty() && exact_ci_.empty() && phrases_.empty() && patterns_.empty(); }

  // Marks tokens[i] in `marked` for every token a clause accepts.
  void mark(const std::vector<analysis::Token>& tokens, std::vector<char>* marked) const {
    marked->assign(tokens.size(), 0);
    for (size_t i = 0; i < tokens.size(); ++i) {
      const std::string& t = tokens[i].term;
      if (exact_.count(t) || (!exact_ci_.empty() && exact_ci_.count(lower_ascii(t)))) (*marked)[i] = 1;
      for (const auto* p : patterns_) {
        if (!(*marked)[i] && pattern_accepts(*p, t)) (*marked)[i] = 1;
      }
    }
    for (const auto* p : phrases_) mark_phrase(*p, tokens, marked);
  }

 private:
  static bool pattern_accepts(const HighlightClause& c, const std::string& term) {
    std::string lowered;
    const std::string& t = c.case_insensitive ? (lowered = lower_ascii(term)) : term;
    switch (c.kind) {
      case HighlightClause::Kind::kPrefix:
        return t.compare(0, c.pattern.size(), c.pattern) == 0;
      case HighlightClause::Kind::kWildcard:
        return wildcard_matches(c.pattern, t);
      case HighlightClause::Kind::kAutomaton:
        return c.accepts && c.accepts(t);
      case HighlightClause::Kind::kRange:
        if (c.lower && (c.include_lower ? t < *c.lower : t <= *c.lower)) return false;
        if (c.upper && (c.include_upper ? t > *c.upper : t >= *c.upper)) return false;
        return true;
      default:
        return false;
    }
  }

  // Phrase occurrences: each anchor (a token of the first term) takes, for every other term, the
  // token nearest its expected position; the summed distance must stay within the slop.
  static void mark_phrase(const HighlightClause& p, const std::vector<analysis::Token>& tokens, std::vector<char>* marked) {
    const bool alternatives = !p.alternatives.empty();
    size_t n = alternatives ? p.alternatives.size() : p.terms.size();
    // Per slot, the tokens it accepts, in position order (tokens come in position order).
    std::vector<std::vector<size_t>> slots(n);
    for (size_t j = 0; j < tokens.size(); ++j) {
      const std::string& term = tokens[j].term;
      for (size_t s = 0; s < n; ++s) {
        bool prefix = p.last_is_prefix && s + 1 == n;
        bool accepted = alternatives ? std::find(p.alternatives[s].begin(), p.alternatives[s].end(), term) !=
                                           p.alternatives[s].end()
                        : prefix     ? term.compare(0, p.terms[s].size(), p.terms[s]) == 0
                                     : term == p.terms[s];
        if (accepted) slots[s].push_back(j);
      }
    }
    for (const auto& slot : slots) {
      if (slot.empty()) return;
    }
    std::vector<size_t> chosen(n);
    for (size_t a : slots[0]) {
      chosen[0] = a;
      int64_t distance = 0;
      for (size_t s = 1; s < n && distance <= p.slop; ++s) {
        int64_t want = static_cast<int64_t>(tokens[a].position) + p.positions[s];
        const auto& c = slots[s];
        auto it = std::lower_bound(c.begin(), c.end(), want,
                                   [&](size_t j, int64_t w) { return static_cast<int64_t>(tokens[j].position) < w; });
        int64_t best = INT64_MAX;
        for (auto k : {it, it == c.begin() ? c.end() : std::prev(it)}) {
          if (k == c.end() || *k == a) continue;
          int64_t d = std::llabs(static_cast<int64_t>(tokens[*k].position) - want);
          if (d < best) best = d, chosen[s] = *k;
        }
        distance = best == INT64_MAX ? INT64_MAX : distance + best;
      }
      if (distance > p.slop) continue;
      for (size_t s = 0; s < n; ++s) (*marked)[chosen[s]] = 1;
    }
  }

  std::unordered_set<std::string> exact_, exact_ci_;
  std::vector<const HighlightClause*> phrases_, patterns_;
};

// The tokens of one value as the field indexed it (keyword: the whole value, normalized).
std::vector<analysis::Token> value_tokens(const ResolvedField& field, std::string_view text) {
  std::vector<analysis::Token> tokens;
  if (field.type == FieldType::kKeyword) {
    analysis::Token t;
    t.term = field.normalizer != nullptr ? field.normalizer->normalize(text) : std::string(text);
    t.end_offset = analysis::utf16_length(text);
    tokens.push_back(std::move(t));
    return tokens;
  }
  if (field.index_analyzer != nullptr) field.index_analyzer->analyze(text, 0, 0, &tokens);
  return tokens;
}

// Keyword values over ignore_above were never indexed, so they cannot match.
bool ignored_keyword(const ResolvedField& field, std::string_view text) {
  if (field.type != FieldType::kKeyword || field.mapping == nullptr || !field.mapping->ignore_above) return false;
  return analysis::utf16_length(text) > static_cast<uint32_t>(*field.mapping->ignore_above);
}

struct Passage {
  size_t value = 0;
  int64_t start = 0, end = 0;  // within the value
  int64_t global_start = 0;
  std::vector<const Match*> matches;
  float score = 0;
};

// Lucene's PassageScorer (k1 1.2, b 0.75, pivot 87): BM25 over the passage, the field's length
// standing in for the number of documents, times a norm favouring early passages.
float passage_score(const Passage& p, int64_t content_length, const std::map<std::string, int>& field_freq) {
  constexpr float kK1 = 1.2f, kB = 0.75f, kPivot = 87.0f;
  std::map<std::string_view, int> in_passage;
  for (const Match* m : p.matches) ++in_passage[m->term];
  float num_docs = 1 + static_cast<float>(content_length) / kPivot;
  float passage_len = static_cast<float>(p.end - p.start);
  float score = 0;
  for (const auto& [term, freq] : in_passage) {
    auto it = field_freq.find(std::string(term));
    int total = it == field_freq.end() ? freq : it->second;
    float weight = (kK1 + 1) * static_cast<float>(std::log(1 + (num_docs + 0.5) / (total + 0.5)));
    float norm = kK1 * ((1 - kB) + kB * (passage_len / kPivot));
    score += static_cast<float>(freq) / (static_cast<float>(freq) + norm) * weight;
  }
  return score * (1 + 1 / static_cast<float>(std::log(kPivot + static_cast<float>(p.global_start))));
}

// UTF-16 offset -> byte offset of a UTF-8 text (size length16 + 1).
std::vector<uint32_t> utf16_to_bytes(std::string_view s) {
  std::vector<uint32_t> out;
  out.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(static_cast<uint32_t>(i));
    if (len == 4) out.push_back(static_cast<uint32_t>(i));  // a surrogate pair: two units
    i = std::min(s.size(), i + len);
  }
  out.push_back(static_cast<uint32_t>(s.size()));
  return out;
}

void append_text(std::string_view s, bool html, std::string* out) {
  if (!html) {
    out->append(s);
    return;
  }
  // Lucene's SimpleHTMLEncoder.
  for (char c : s) {
    switch (c) {
      case '"': out->append("&quot;"); break;
      case '&': out->append("&amp;"); break;
      case '<': out->append("&lt;"); break;
      case '>': out->append("&gt;"); break;
      case '\'': out->append("&#x27;"); break;
      case '/': out->append("&#x2F;"); break;
      default: out->push_back(c);
    }
  }
}

// OpenSearch's CustomPassageFormatter: tags around each match, the text between encoded, the
// result trimmed as Java's String.trim does.
std::string format_passage(const Passage& p, std::string_view text, const std::vector<uint32_t>& at,
                           const ResolvedHighlight& o) {
  auto byte = [&](int64_t u16) { return at[static_cast<size_t>(std::clamp<int64_t>(u16, 0, static_cast<int64_t>(at.size()) - 1))]; };
  std::string out;
  int64_t pos = p.start;
  for (const Match* m : p.matches) {
    if (m->start < pos) continue;  // overlapping tokens: the first one wins
    append_text(text.substr(byte(pos), byte(m->start) - byte(pos)), o.html_encode, &out);
    out += o.pre_tag;
    append_text(text.substr(byte(m->start), byte(m->end) - byte(m->start)), o.html_encode, &out);
    out += o.post_tag;
    pos = m->end;
  }
  if (pos < p.end) append_text(text.substr(byte(pos), byte(p.end) - byte(pos)), o.html_encode, &out);
  size_t first = 0, last = out.size();
  while (first < last && static_cast<unsigned char>(out[first]) <= ' ') ++first;
  while (last > first && static_cast<unsigned char>(out[last - 1]) <= ' ') --last;
  return out.substr(first, last - first);
}

// Keeps the best `max` passages as Lucene's queue does: lowest score (then earliest) leaves first.
class PassageQueue {
 public:
  explicit PassageQueue(size_t max) : max_(max) {}
  void offer(Passage p) {
    if (max_ == 0) return;
    if (heap_.size() == max_ && p.score < heap_.top().score) return;
    heap_.push(std::move(p));
    if (heap_.size() > max_) heap_.pop();
  }
  std::vector<Passage> take() {
    std::vector<Passage> out;
    while (!heap_.empty()) {
      out.push_back(heap_.top());
      heap_.pop();
    }
    return out;
  }

 private:
  struct Worse {
    bool operator()(const Passage& a, const Passage& b) const {  // true when a ranks above b
      if (a.score != b.score) return a.score > b.score;
      return a.global_start > b.global_start;
    }
  };
  size_t max_;
  std::priority_queue<Passage, std::vector<Passage>, Worse> heap_;
};

// no_match_size: the start of the first non-empty value, up to the word boundary after that many
// characters.
std::vector<std::string> no_match_fragment(const std::vector<ValueMatches>& values, const ResolvedHighlight& o) {
  for (size_t v = 0; v < values.size(); ++v) {
    if (values[v].length == 0) continue;
    Passage p;
    p.value = v;
    p.end = values[v].length;
    if (o.no_match_size < p.end) {
      Breaks words{analysis::text_breaks(values[v].text, analysis::BreakKind::kWord)};
      int64_t end = words.following(o.no_match_size);
      if (end != kDone) p.end = end;
    }
    std::string s = format_passage(p, values[v].text, utf16_to_bytes(values[v].text), o);
    if (s.empty()) return {};
    return {std::move(s)};
  }
  return {};
}

}  // namespace

namespace {

// The matches of every value of a field, with what the passage scorer needs.
struct FieldMatches {
  std::vector<ValueMatches> values;
  std::map<std::string, int> term_freq;  // matched term -> occurrences in the field
  int64_t content_length = 0;            // the values joined by one separator, as Lucene sees them
};

FieldMatches find_matches(const std::vector<HighlightClause>& clauses, const ResolvedField& field,
                          const std::vector<std::string>& values, const ResolvedHighlight& o) {
  TokenMarker marker(clauses, field, o.require_field_match);
  FieldMatches out;
  std::vector<char> marked;
  for (const auto& v : values) {
    ValueMatches vm;
    vm.text = v;
    vm.length = analysis::utf16_length(v);
    vm.base = out.content_length + (out.values.empty() ? 0 : 1);
    out.content_length = vm.base + vm.length;
    if (!marker.empty() && !ignored_keyword(field, v)) {
      std::vector<analysis::Token> tokens = value_tokens(field, v);
      // max_analyzer_offset: analysis stops at the first token starting past it.
      if (o.max_analyzer_offset) {
        auto past = std::find_if(tokens.begin(), tokens.end(), [&](const analysis::Token& t) {
          return vm.base + t.start_offset > *o.max_analyzer_offset;
        });
        tokens.erase(past, tokens.end());
      }
      marker.mark(tokens, &marked);
      for (size_t i = 0; i < tokens.size(); ++i) {
        if (!marked[i]) continue;
        ++out.term_freq[tokens[i].term];
        vm.matches.push_back({tokens[i].start_offset, tokens[i].end_offset, std::move(tokens[i].term)});
      }
    }
    out.values.push_back(std::move(vm));
  }
  return out;
}

// Lucene's FieldHighlighter: a match not inside the current passage opens a new one around it;
// the best passages stay, returned in text order.
std::vector<Passage> best_passages(const FieldMatches& f, const ResolvedHighlight& o) {
  size_t max_passages = o.number_of_fragments == 0 ? f.values.size() : static_cast<size_t>(o.number_of_fragments);
  PassageQueue queue(max_passages);
  for (size_t v = 0; v < f.values.size(); ++v) {
    const ValueMatches& vm = f.values[v];
    if (vm.matches.empty()) continue;
    PassageCutter cutter(vm.text, vm.length, o);
    Passage current;
    bool open = false;
    auto flush = [&] {
      if (!open) return;
      current.score = passage_score(current, f.content_length, f.term_freq);
      queue.offer(std::move(current));
      current = Passage{};
      open = false;
    };
    for (const Match& m : vm.matches) {
      if (!open || m.start >= current.end) {
        flush();
        current.value = v;
        current.start = std::max<int64_t>(cutter.preceding(m.start + 1), 0);
        int64_t end = cutter.following(m.start);
        current.end = end == kDone ? vm.length : std::min<int64_t>(end, vm.length);
        current.global_start = vm.base + current.start;
        open = true;
      }
      current.matches.push_back(&m);
    }
    flush();
  }
  std::vector<Passage> passages = queue.take();
  std::sort(passages.begin(), passages.end(),
            [](const Passage& a, const Passage& b) { return a.global_start < b.global_start; });
  return passages;
}

}  // namespace

std::vector<std::string> highlight_field(const std::vector<HighlightClause>& clauses, const ResolvedField& field,
                                         const std::vector<std::string>& values, const ResolvedHighlight& o) {
  FieldMatches matches = find_matches(clauses, field, values, o);
  std::vector<Passage> passages = best_passages(matches, o);
  if (passages.empty()) return o.no_match_size > 0 ? no_match_fragment(matches.values, o) : std::vector<std::string>{};
  if (o.score_order) {
    std::stable_sort(passages.begin(), passages.end(), [](const Passage& a, const Passage& b) { return a.score > b.score; });
  }
  std::vector<std::string> out;
  std::map<size_t, std::vector<uint32_t>> byte_offsets;  // per value with a passage
  for (const auto& p : passages) {
    std::string_view text = matches.values[p.value].text;
    auto& at = byte_offsets[p.value];
    if (at.empty()) at = utf16_to_bytes(text);
    std::string s = format_passage(p, text, at, o);
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> highlight_field(const Query* query, const index::Mapping& mapping, const std::string& field,
                                         const std::vector<std::string>& values, const ResolvedHighlight& options) {
  const ResolvedField* rf = mapping.find(field);
  if (rf == nullptr) return {};
  return highlight_field(collect_highlight_clauses(options.highlight_query ? options.highlight_query : query, mapping),
                         *rf, values, options);
}

}  // namespace sift::query
