#include "analyzers/analyzer.h"

#include "analyzers/utf.h"

#include <algorithm>

namespace sift::analysis {

void OffsetMap::add(uint32_t at, int32_t cumulative_diff) {
  if (!points_.empty() && points_.back().first == at) {
    points_.back().second = cumulative_diff;
    return;
  }
  points_.emplace_back(at, cumulative_diff);
}

void append_token(std::u16string_view text, size_t start, size_t end, uint32_t position, const char* type,
                  TokenStream* out) {
  Token& t = out->tokens.emplace_back();
  to_utf8(text.substr(start, end - start), &t.term);
  t.start_offset = static_cast<uint32_t>(start);
  t.end_offset = static_cast<uint32_t>(end);
  t.position = position;
  t.type = type;
}

uint32_t OffsetMap::correct(uint32_t offset) const {
  auto it = std::upper_bound(points_.begin(), points_.end(), offset,
                             [](uint32_t o, const std::pair<uint32_t, int32_t>& p) { return o < p.first; });
  if (it == points_.begin()) return offset;
  int64_t corrected = static_cast<int64_t>(offset) + std::prev(it)->second;
  return corrected < 0 ? 0 : static_cast<uint32_t>(corrected);
}

namespace {

// Per-thread buffers reused across calls, so analyzing a document's values does not allocate once
// they have grown. `busy` hands a nested use (an analyzer run from inside another's chain, as a
// synonym rule parse might) a fresh copy instead.
template <typename T>
class Scratch {
 public:
  Scratch() : mine_(!slot().busy) {
    if (mine_) slot().busy = true;
  }
  ~Scratch() {
    if (mine_) slot().busy = false;
  }
  T& get() { return mine_ ? slot().value : own_; }

 private:
  struct Slot {
    T value;
    bool busy = false;
  };
  static Slot& slot() {
    thread_local Slot s;
    return s;
  }
  bool mine_;
  T own_;
};

struct ChainBuffers {
  std::u16string filtered, next;
  std::vector<OffsetMap> maps;
};

}  // namespace

uint32_t Analyzer::analyze(std::string_view text, uint32_t first_position, uint32_t offset_base,
                           std::vector<Token>* out) const {
  Scratch<TokenStream> scratch;
  TokenStream& s = scratch.get();
  analyze_stream(text, &s);
  if (out->empty()) {
    // Hand the tokens over whole (the stream takes `out`'s empty buffer) and shift them in place.
    out->swap(s.tokens);
    if (first_position != 0 || offset_base != 0) {
      for (Token& t : *out) {
        t.position += first_position;
        t.start_offset += offset_base;
        t.end_offset += offset_base;
      }
    }
    return first_position + s.end_position;
  }
  for (Token& t : s.tokens) {
    t.position += first_position;
    t.start_offset += offset_base;
    t.end_offset += offset_base;
    out->push_back(std::move(t));
  }
  return first_position + s.end_position;
}

ChainAnalyzer::ChainAnalyzer(std::string name, std::vector<Named<CharFilter>> char_filters, Named<Tokenizer> tokenizer,
                             std::vector<Named<TokenFilter>> filters, int32_t position_increment_gap)
    : Analyzer(std::move(name)),
      char_filters_(std::move(char_filters)),
      tokenizer_(std::move(tokenizer)),
      filters_(std::move(filters)),
      gap_(position_increment_gap),
      lowercase_first_(!filters_.empty() && filters_[0].component->plain_lowercase()) {}

void ChainAnalyzer::run_char_filters(std::string_view text, std::u16string* filtered, std::u16string* next,
                                     std::vector<OffsetMap>* maps, std::vector<std::string>* trace) const {
  to_utf16(text, filtered);
  maps->resize(char_filters_.size());
  for (size_t i = 0; i < char_filters_.size(); ++i) {
    (*maps)[i].clear();
    next->clear();
    char_filters_[i].component->filter(*filtered, next, &(*maps)[i]);
    filtered->swap(*next);
    if (trace != nullptr) trace->push_back(to_utf8(*filtered));
  }
}

void ChainAnalyzer::correct_offsets(const std::vector<OffsetMap>& maps, TokenStream* s) {
  bool any = false;
  for (const OffsetMap& m : maps) any = any || !m.empty();
  if (!any) return;
  for (auto it = maps.rbegin(); it != maps.rend(); ++it) s->end_offset = it->correct(s->end_offset);
  for (Token& t : s->tokens) {
    for (auto it = maps.rbegin(); it != maps.rend(); ++it) {
      t.start_offset = it->correct(t.start_offset);
      t.end_offset = it->correct(t.end_offset);
    }
  }
}

void ChainAnalyzer::analyze_stream(std::string_view text, TokenStream* out) const {
  out->clear();
  Scratch<ChainBuffers> scratch;
  ChainBuffers& b = scratch.get();
  run_char_filters(text, &b.filtered, &b.next, &b.maps, nullptr);
  const std::u16string& filtered = b.filtered;
  const std::vector<OffsetMap>& maps = b.maps;
  // A leading lowercase filter runs inside the tokenizer's pass when it can.
  const size_t first = lowercase_first_ && tokenizer_.component->tokenize_lowercased(filtered, out) ? 1 : 0;
  if (first == 0) tokenizer_.component->tokenize(filtered, out);
  out->end_offset = static_cast<uint32_t>(filtered.size());
  correct_offsets(maps, out);
  for (size_t i = first; i < filters_.size(); ++i) filters_[i].component->filter(out);
}

std::string ChainAnalyzer::normalize(std::string_view text) const {
  std::u16string u = to_utf16(text), next;
  for (const auto& cf : char_filters_) {
    if (!cf.component->normalizing()) continue;
    OffsetMap unused;
    next.clear();
    cf.component->filter(u, &next, &unused);
    u.swap(next);
  }
  TokenStream s;
  Token t;
  to_utf8(u, &t.term);
  tokenizer_.component->normalize(&t.term);
  t.end_offset = static_cast<uint32_t>(u.size());
  s.tokens.push_back(std::move(t));
  s.end_position = 1;
  for (const auto& f : filters_) {
    if (f.component->normalizing()) f.component->filter(&s);
  }
  return s.tokens.empty() ? std::string() : s.tokens.front().term;
}

void ChainAnalyzer::trace(std::string_view text, Trace* out) const {
  out->char_filtered.clear();
  out->stages.clear();
  std::u16string filtered, next;
  std::vector<OffsetMap> maps;
  run_char_filters(text, &filtered, &next, &maps, &out->char_filtered);
  TokenStream s;
  tokenizer_.component->tokenize(filtered, &s);
  s.end_offset = static_cast<uint32_t>(filtered.size());
  correct_offsets(maps, &s);
  out->stages.push_back(s);
  for (const auto& f : filters_) {
    f.component->filter(&s);
    out->stages.push_back(s);
  }
}

}  // namespace sift::analysis
