// fuzzy and regexp queries over the terms dictionary. Each segment's sorted terms are walked with
// an automaton that also says where to seek next: the regexp DFA jumps past prefixes it rejects,
// the fuzzy walk seeks to the required prefix and past prefixes already too far from the term.
// The terms found over the whole shard are then rewritten as Lucene rewrites a MultiTermQuery:
// fuzzy keeps the best max_expansions terms by similarity (1 - edits / shorter length) and scores
// each with BM25 from a document frequency blended over them (TopTermsBlendedFreqScoringRewrite);
// regexp is constant score. `rewrite` selects the other methods (constant_score, scoring_boolean,
// constant_score_boolean, top_terms_N, top_terms_boost_N, top_terms_blended_freqs_N).
#include "query/fuzzy_queries.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/normalize.h"
#include "query/automaton.h"
#include "query/dsl_parser.h"
#include "query/query_string.h"
#include "query/segment_evaluator.h"

namespace sift::query {

using index::FieldType;
using index::ReaderSegment;
using index::ResolvedField;

// The terms a multi-term query was rewritten to over the whole shard, sorted, with their boosts.
struct TermExpansion {
  enum class Scoring : uint8_t { kConstant, kBm25, kBlended, kBoostOnly };
  std::string field;
  Scoring scoring = Scoring::kConstant;
  std::vector<std::string> terms;
  std::vector<float> boosts;  // >= 0 (negative similarities count as 0, as Lucene truncates them)
  uint64_t blended_df = 0;
  std::shared_ptr<const Dfa> dfa;  // constant-score regexp: walked per segment, never expanded
};

namespace {

Status create_failure(const Status& s) {
  return Status(Code::kInvalidArgument, "query_shard_exception", "failed to create query: " + s.reason());
}

bool string_field(const ResolvedField& f) { return f.type == FieldType::kKeyword || f.type == FieldType::kText; }

// A keyword field's normalizer applies to the query value too.
std::string normalized_value(const ResolvedField& f, std::string v) {
  return f.type == FieldType::kKeyword && f.normalizer != nullptr ? f.normalizer->normalize(v) : v;
}

size_t utf16_length(std::string_view s) {
  std::u32string cps;
  if (!decode_utf8(s, &cps)) return s.size();
  size_t n = 0;
  for (char32_t c : cps) n += c >= 0x10000 ? 2 : 1;
  return n;
}

// Java's Integer.parseInt / Float.parseFloat, enough for fuzziness values.
bool java_int(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  size_t i = s[0] == '+' || s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = std::min<int64_t>(v * 10 + (s[i] - '0'), int64_t{1} << 32);
  }
  v = s[0] == '-' ? -v : v;
  if (v > INT32_MAX || v < INT32_MIN) return false;
  *out = v;
  return true;
}

bool java_float(std::string_view s, double* out) {
  std::string t(s);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  size_t lead = 0;
  while (lead < t.size() && std::isspace(static_cast<unsigned char>(t[lead]))) ++lead;
  t = t.substr(lead);
  if (!t.empty() && std::strchr("fFdD", t.back()) != nullptr && t != "Infinity") t.pop_back();
  if (t.empty() || t.find_first_of("xXpP") != std::string::npos) return false;
  char* end = nullptr;
  *out = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size();
}

std::string upper_ascii(std::string_view s) {
  std::string u(s);
  for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

// "AUTO:low,high" split as Java's String.split(","), which drops trailing empty parts.
std::vector<std::string> auto_limits(std::string_view value) {
  std::vector<std::string> parts;
  std::string rest(value.substr(5));
  size_t start = 0;
  while (true) {
    size_t comma = rest.find(',', start);
    parts.push_back(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  return parts;
}

// A rewrite method as OpenSearch's QueryParsers.parseRewriteMethod names it; `size` 0 means all.
struct Rewrite {
  TermExpansion::Scoring scoring = TermExpansion::Scoring::kConstant;
  int64_t size = 0;
  bool clause_limit = false;  // the boolean rewrites fail past the clause limit
};

Result<Rewrite> parse_rewrite(const std::string& name, Rewrite fallback) {
  using S = TermExpansion::Scoring;
  if (name.empty()) return fallback;
  if (name == "constant_score") return Rewrite{S::kConstant, 0, false};
  if (name == "scoring_boolean") return Rewrite{S::kBm25, 0, true};
  if (name == "constant_score_boolean") return Rewrite{S::kConstant, 0, true};
  size_t digit = name.find_first_of("0123456789");
  if (digit != std::string::npos) {
    int64_t size = 0;
    std::string number = name.substr(digit);
    if (!java_int(number, &size)) return invalid_argument("For input string: \"" + number + "\"");
    std::string prefix = name.substr(0, digit);
    if (prefix == "top_terms_") return Rewrite{S::kBm25, std::max<int64_t>(size, 0), false};
    if (prefix == "top_terms_boost_") return Rewrite{S::kBoostOnly, std::max<int64_t>(size, 0), false};
    if (prefix == "top_terms_blended_freqs_") return Rewrite{S::kBlended, std::max<int64_t>(size, 0), false};
  }
  return invalid_argument("Failed to parse rewrite_method [" + name + "]");
}

// Sequential reads of a segment's sorted terms with seeks, in batches that double while the walk
// reads to their end and halve when a seek jumps past them: dense walks (most terms visited, short
// skips inside a batch) read in big batches, sparse ones (long jumps) do not copy terms they skip.
class TermCursor {
 public:
  TermCursor(const index::SegmentReader& reader, const std::string& field) : reader_(reader), field_(field) {}

  // The next term returned is the first one >= target (targets only grow).
  void seek(const std::string& target) {
    if (idx_ < batch_.size() && target <= batch_.back()) {
      idx_ = static_cast<size_t>(std::lower_bound(batch_.begin() + static_cast<long>(idx_), batch_.end(), target) -
                                 batch_.begin());
      return;
    }
    load(target, std::max(kSeekBatch, want_ / 2));
  }
  // nullptr at the end; the pointer is valid until the next call.
  const std::string* next() {
    if (idx_ < batch_.size()) return &batch_[idx_++];
    if (end_) return nullptr;
    std::string from = loaded_ ? batch_.back() + std::string(1, '\0') : std::string();
    load(from, loaded_ ? std::min(want_ * 2, kMaxBatch) : kSeekBatch);
    return idx_ < batch_.size() ? &batch_[idx_++] : nullptr;
  }

 private:
  static constexpr size_t kSeekBatch = 16, kMaxBatch = 1024;
  void load(const std::string& from, size_t n) {
    batch_ = reader_.terms_from(field_, from, n);
    idx_ = 0;
    want_ = n;
    loaded_ = true;
    end_ = batch_.size() < n;
  }
  const index::SegmentReader& reader_;
  const std::string& field_;
  std::vector<std::string> batch_;
  size_t idx_ = 0, want_ = kSeekBatch;
  bool loaded_ = false, end_ = false;
};

// Matching docs of many terms of one segment, as a bitset turned into a constant-score list.
class DocUnion {
 public:
  explicit DocUnion(uint32_t max_doc) : bits_((max_doc + 63) / 64, 0) {}
  void add(index::PostingsIterator it) {
    for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) bits_[d >> 6] |= 1ULL << (d & 63);
  }
  DocScores take(float score) const {
    DocScores out;
    for (size_t w = 0; w < bits_.size(); ++w) {
      for (uint64_t word = bits_[w]; word != 0; word &= word - 1) {
        out.docs.push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(word))));
      }
    }
    out.scores.assign(out.docs.size(), score);
    return out;
  }

 private:
  std::vector<uint64_t> bits_;
};

void walk_regexp(const index::SegmentReader& reader, const std::string& field, const Dfa& dfa,
                 const std::function<void(const std::string&)>& visit) {
  if (dfa.start() == Dfa::kDead || reader.field(field) == nullptr) return;
  TermCursor cursor(reader, field);
  cursor.seek(dfa.literal_prefix());
  while (const std::string* t = cursor.next()) {
    Dfa::Walk w = dfa.walk(*t);
    if (w.accepted) visit(*t);
    if (w.done) break;
    if (!w.seek.empty()) cursor.seek(w.seek);
  }
}

// A fuzzy query's term split for the walk: the exact prefix and the code points after it.
struct FuzzyPlan {
  std::string term;
  std::string prefix;     // bytes of the first prefix_length code points
  size_t prefix_cps = 0;
  std::u32string rest;
  size_t length = 0;      // code points of the term
  int edits = 0;
  bool transpositions = true;
  bool exact = false;     // no edits, or the prefix covers the whole term: only the term itself
};

FuzzyPlan make_plan(const std::string& term, int edits, int prefix_length, bool transpositions) {
  FuzzyPlan p;
  p.term = term;
  std::u32string cps;
  if (!decode_utf8(term, &cps)) cps.clear();
  p.length = cps.size();
  p.prefix_cps = std::min(static_cast<size_t>(std::max(prefix_length, 0)), cps.size());
  for (size_t i = 0; i < p.prefix_cps; ++i) append_utf8(cps[i], &p.prefix);
  p.rest = cps.substr(p.prefix_cps);
  p.edits = edits;
  p.transpositions = transpositions;
  p.exact = edits == 0 || static_cast<size_t>(std::max(prefix_length, 0)) >= cps.size();
  return p;
}

float similarity(int edits, size_t term_cps, size_t query_cps) {
  if (edits == 0) return 1.0f;
  return 1.0f - static_cast<float>(edits) / static_cast<float>(std::min(term_cps, query_cps));
}

// Calls visit(term, edits, code points) for each term of the segment within `*limit` edits;
// `visit` may lower `*limit` (fewer edits cannot lose a term the collection would keep).
void walk_fuzzy(const index::SegmentReader& reader, const std::string& field, const FuzzyPlan& plan,
                BoundedLevenshtein& lev, const int* limit,
                const std::function<void(const std::string&, int, size_t)>& visit) {
  if (reader.field(field) == nullptr) return;
  if (plan.exact) {
    if (reader.term_stats(field, plan.term)) visit(plan.term, 0, plan.length);
    return;
  }
  TermCursor cursor(reader, field);
  cursor.seek(plan.prefix);
  std::u32string rest;
  while (const std::string* t = cursor.next()) {
    if (t->compare(0, plan.prefix.size(), plan.prefix) != 0) break;
    if (!decode_utf8(std::string_view(*t).substr(plan.prefix.size()), &rest)) continue;
    size_t dead_at = 0;
    int ed = lev.distance(rest, *limit, &dead_at);
    if (ed >= 0) {
      visit(*t, ed, plan.prefix_cps + rest.size());
    } else if (dead_at > 0) {  // no term starting with this prefix is close enough
      std::string skip = plan.prefix;
      for (size_t i = 0; i < dead_at; ++i) append_utf8(rest[i], &skip);
      skip = prefix_successor(std::move(skip));
      if (skip.empty()) break;
      cursor.seek(skip);
    }
  }
}

// The best `size` terms by boost, then term order (Lucene's top-terms queue), or all of them.
class TopTerms {
 public:
  TopTerms(int64_t size, bool clause_limit) : size_(size), clause_limit_(clause_limit) {}

  Status offer(const std::string& term, float boost) {
    Entry e{boost, term};
    if (size_ > 0 && static_cast<int64_t>(set_.size()) >= size_ && !better(e, *set_.rbegin())) return Status::ok();
    set_.insert(std::move(e));
    if (size_ > 0 && static_cast<int64_t>(set_.size()) > size_) set_.erase(std::prev(set_.end()));
    if (clause_limit_ && set_.size() > kMaxClauseCount) {
      return Status(Code::kInvalidArgument, "too_many_clauses", "maxClauseCount is set to " + std::to_string(kMaxClauseCount));
    }
    return Status::ok();
  }
  bool full() const { return size_ > 0 && static_cast<int64_t>(set_.size()) >= size_; }
  float bottom_boost() const { return set_.rbegin()->boost; }
  const std::string& bottom_term() const { return set_.rbegin()->term; }

  std::shared_ptr<TermExpansion> finish(const index::ShardSnapshot& snap, const std::string& field,
                                        TermExpansion::Scoring scoring) const {
    auto e = std::make_shared<TermExpansion>();
    e->field = field;
    e->scoring = scoring;
    std::vector<const Entry*> sorted;
    for (const auto& x : set_) sorted.push_back(&x);
    std::sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) { return a->term < b->term; });
    for (const auto* x : sorted) {
      e->terms.push_back(x->term);
      e->boosts.push_back(std::max(0.0f, x->boost));
      if (scoring == TermExpansion::Scoring::kBlended) {
        e->blended_df = std::max(e->blended_df, shard_doc_freq(snap, field, x->term));
      }
    }
    return e;
  }

 private:
  struct Entry {
    float boost;
    std::string term;
  };
  static bool better(const Entry& a, const Entry& b) {
    return a.boost != b.boost ? a.boost > b.boost : a.term < b.term;
  }
  struct Better {
    bool operator()(const Entry& a, const Entry& b) const { return better(a, b); }
  };
  int64_t size_;
  bool clause_limit_;
  std::set<Entry, Better> set_;
};

// The terms of every segment within the plan's edits, kept as the rewrite keeps them. The edit
// limit drops (per segment, as FuzzyTermsEnum does) once the kept terms all beat what more edits
// could reach.
Result<std::shared_ptr<TermExpansion>> expand_fuzzy(const index::ShardSnapshot& snap, const std::string& field,
                                                    const FuzzyPlan& plan, const Rewrite& rw) {
  TopTerms top(std::min<int64_t>(rw.size, rw.size > 0 ? kMaxClauseCount : 0), rw.clause_limit);
  BoundedLevenshtein lev(plan.rest, plan.edits, plan.transpositions);
  int limit = plan.edits;
  auto lower_limit = [&](bool term_after) {
    if (!top.full() || plan.length == 0) return;
    while (limit > 0) {
      float max_boost = 1.0f - static_cast<float>(limit) / static_cast<float>(plan.length);
      float bottom = top.bottom_boost();
      if (bottom < max_boost || (bottom == max_boost && !term_after)) break;
      --limit;
    }
  };
  Status failed = Status::ok();
  for (const auto& seg : snap.segments) {
    limit = plan.edits;
    lower_limit(false);
    walk_fuzzy(*seg.reader, field, plan, lev, &limit, [&](const std::string& term, int ed, size_t cps) {
      if (!failed.is_ok()) return;
      failed = top.offer(term, similarity(ed, cps, plan.length));
      lower_limit(top.full() && term >= top.bottom_term());
    });
    SIFT_RETURN_IF_ERROR(failed);
  }
  return top.finish(snap, field, rw.scoring);
}

Result<std::shared_ptr<TermExpansion>> expand_regexp(const index::ShardSnapshot& snap, const std::string& field,
                                                     const Dfa& dfa, const Rewrite& rw) {
  TopTerms top(std::min<int64_t>(rw.size, rw.size > 0 ? kMaxClauseCount : 0), rw.clause_limit);
  Status failed = Status::ok();
  for (const auto& seg : snap.segments) {
    walk_regexp(*seg.reader, field, dfa, [&](const std::string& term) {
      if (failed.is_ok()) failed = top.offer(term, 1.0f);
    });
    SIFT_RETURN_IF_ERROR(failed);
  }
  return top.finish(snap, field, rw.scoring);
}

Result<Dfa> compile_for(const RegexpQuery& q, const ResolvedField* rf) {
  RegexOptions o;
  o.flags = q.flags;
  o.case_insensitive = q.case_insensitive;
  o.max_determinized_states = q.max_determinized_states;
  std::string value = rf != nullptr ? normalized_value(*rf, q.value) : q.value;
  auto dfa = compile_regex(value, o);
  if (!dfa.is_ok()) return create_failure(dfa.status());
  return dfa;
}

Status regex_length_check(const RegexpQuery& q, int64_t max_length) {
  size_t n = utf16_length(q.value);
  if (static_cast<int64_t>(n) <= max_length) return Status::ok();
  return create_failure(invalid_argument(
      "The length of regex [" + std::to_string(n) + "] used in the " +
      (q.from_query_string ? "[query_string]" : "Regexp Query request") + " has exceeded the allowed maximum of [" +
      std::to_string(max_length) + "]. This maximum can be set by changing the [index.max_regex_length] index level setting."));
}

Status fuzzy_type_error(const ResolvedField& f) {
  return create_failure(invalid_argument("Can only use fuzzy queries on keyword and text fields - not on [" + f.path +
                                         "] which is of type [" + index::field_type_name(f.type) + "]"));
}

Status regexp_type_error(const RegexpQuery& q, const ResolvedField& f) {
  return Status(Code::kInvalidArgument, "query_shard_exception",
                "Can only use regexp queries on keyword and text fields - not on [" + q.field + "] which is of type [" +
                    index::field_type_name(f.type) + "]");
}

std::string expansion_key(const char* kind, const std::string& field, const std::string& value, const std::string& more) {
  std::string key(kind);
  for (const auto* part : {&field, &value, &more}) key.append(1, '\x1f').append(*part);
  return key;
}

}  // namespace

// ---- Fuzziness -----------------------------------------------------------------------------------

Status validate_fuzziness(std::string_view value) {
  std::string upper = upper_ascii(value);
  if (upper == "AUTO") return Status::ok();
  if (upper.rfind("AUTO:", 0) == 0) {
    auto parts = auto_limits(value);
    if (parts.size() != 2) return parse_error("failed to find low and high distance values");
    int64_t low = 0, high = 0;
    if (!java_int(parts[0], &low) || !java_int(parts[1], &high)) {
      return parse_error("failed to parse [" + std::string(value) + "] as a \"auto:int,int\"");
    }
    if (low < 0 || high < 0 || low > high) {
      return invalid_argument(
          "fuzziness wrongly configured, must be: lowDistance > 0, highDistance > 0 and lowDistance <= highDistance ");
    }
    return Status::ok();
  }
  int64_t n = 0;
  double d = 0;
  if (value.empty() || (!java_int(value, &n) && !java_float(value, &d))) {
    return invalid_argument("Invalid fuzziness value: " + std::string(value));
  }
  return Status::ok();
}

int fuzzy_edits(std::string_view fuzziness, size_t code_points) {
  std::string upper = upper_ascii(fuzziness);
  int64_t low = 3, high = 6;
  bool is_auto = upper == "AUTO" || upper.empty();
  if (upper.rfind("AUTO:", 0) == 0) {
    auto parts = auto_limits(fuzziness);
    is_auto = parts.size() == 2 && java_int(parts[0], &low) && java_int(parts[1], &high);
  }
  if (is_auto) return static_cast<int64_t>(code_points) < low ? 0 : static_cast<int64_t>(code_points) < high ? 1 : 2;
  double d = 0;
  int64_t n = 0;
  if (java_int(fuzziness, &n)) d = static_cast<double>(n);
  else if (!java_float(fuzziness, &d)) return 0;
  if (std::isnan(d)) return 0;
  return static_cast<int>(std::clamp(std::trunc(d), -1e9, 2.0));
}

Result<int> checked_fuzzy_edits(std::string_view term, const FuzzyOptions& options) {
  std::u32string cps;
  if (!decode_utf8(term, &cps)) cps.assign(term.begin(), term.end());
  int edits = fuzzy_edits(options.fuzziness.empty() ? "AUTO" : options.fuzziness, cps.size());
  if (edits < 0 || edits > 2) return create_failure(invalid_argument("maxEdits must be between 0 and 2"));
  if (options.prefix_length < 0) return create_failure(invalid_argument("prefixLength cannot be negative."));
  if (options.max_expansions <= 0) return create_failure(invalid_argument("maxExpansions must be positive."));
  return edits;
}

Status validate_regexp(const RegexpQuery& q, int64_t max_regex_length) {
  SIFT_RETURN_IF_ERROR(regex_length_check(q, max_regex_length));
  auto rw = parse_rewrite(q.rewrite, Rewrite{});
  if (!rw.is_ok()) return create_failure(rw.status());
  return compile_for(q, nullptr).status();
}

Result<TermPredicate> fuzzy_term_predicate(const std::string& term, const FuzzyOptions& options) {
  SIFT_ASSIGN_OR_RETURN(int edits, checked_fuzzy_edits(term, options));
  auto plan = std::make_shared<FuzzyPlan>(make_plan(term, edits, options.prefix_length, options.transpositions));
  auto lev = std::make_shared<BoundedLevenshtein>(plan->rest, plan->edits, plan->transpositions);
  return TermPredicate([plan, lev](std::string_view t) {
    if (plan->exact) return t == plan->term;
    if (t.substr(0, plan->prefix.size()) != plan->prefix) return false;
    std::u32string rest;
    size_t dead_at = 0;
    return decode_utf8(t.substr(plan->prefix.size()), &rest) && lev->distance(rest, plan->edits, &dead_at) >= 0;
  });
}

Result<TermPredicate> regexp_term_predicate(const RegexpQuery& q) {
  SIFT_ASSIGN_OR_RETURN(Dfa dfa, compile_for(q, nullptr));
  auto shared = std::make_shared<Dfa>(std::move(dfa));
  return TermPredicate([shared](std::string_view t) { return shared->matches(t); });
}

Result<std::unique_ptr<Query>> query_string_automaton_leaf(const QsNode& node, const QueryStringQuery& q,
                                                           const ResolvedField& field, bool lenient) {
  if (!string_field(field) && lenient) return std::unique_ptr<Query>();
  std::string text = node.text;
  if (field.type == FieldType::kText) text = index::Mapping::normalize_term(field, text, q.analyzer);
  if (node.regexp) {
    auto r = std::make_unique<RegexpQuery>();
    r->field = field.path;
    r->value = std::move(text);
    r->max_determinized_states = q.max_determinized_states;
    r->from_query_string = true;
    // A lenient query_string drops a field whose regexp does not compile (only the length limit
    // applies to the whole query), as OpenSearch's parser catches the error per field.
    if (lenient && !compile_for(*r, &field).is_ok()) return std::unique_ptr<Query>();
    return std::unique_ptr<Query>(std::move(r));
  }
  auto f = std::make_unique<FuzzyQuery>();
  f->field = field.path;
  f->value.text = std::move(text);
  f->options = q.fuzzy;
  f->options.rewrite.clear();  // query_string's fuzzy terms keep the default rewrite
  if (!node.fuzzy_slop.empty()) f->options.fuzziness = node.fuzzy_slop;
  if (f->options.fuzziness.empty()) f->options.fuzziness = "AUTO";
  return std::unique_ptr<Query>(std::move(f));
}

Result<std::string> fuzzy_query_text(const ResolvedField& field, const std::string& raw, const FuzzyOptions& options) {
  if (!string_field(field)) return fuzzy_type_error(field);
  std::string term = normalized_value(field, raw);
  SIFT_ASSIGN_OR_RETURN(int edits, checked_fuzzy_edits(term, options));
  auto rw = parse_rewrite(options.rewrite, Rewrite{});
  if (!rw.is_ok()) return create_failure(rw.status());
  return field.path + ":" + term + "~" + std::to_string(edits);
}

Result<std::string> regexp_query_text(const RegexpQuery& q, const ResolvedField* field) {
  SIFT_RETURN_IF_ERROR(regex_length_check(q, 1000));
  auto rw = parse_rewrite(q.rewrite, Rewrite{});
  if (!rw.is_ok()) return create_failure(rw.status());
  if (field != nullptr && !string_field(*field)) return regexp_type_error(q, *field);
  SIFT_RETURN_IF_ERROR(compile_for(q, field).status());
  return q.field + ":/" + (field != nullptr ? normalized_value(*field, q.value) : q.value) + "/";
}

// ---- Rewrites for _explain -----------------------------------------------------------------------

namespace {

ScoredTermRewrite scored_terms(const TermExpansion& e) {
  using S = TermExpansion::Scoring;
  ScoredTermRewrite r;
  r.field = e.field;
  if (e.scoring == S::kConstant || e.dfa) return r;
  r.constant = false;
  r.boost_only = e.scoring == S::kBoostOnly;
  r.terms = e.terms;
  r.boosts = e.boosts;
  if (e.scoring == S::kBlended) r.doc_freq = e.blended_df;
  return r;
}

}  // namespace

Result<ScoredTermRewrite> fuzzy_rewrite(const index::ShardSnapshot& snap, const ResolvedField& field,
                                        const std::string& raw, const FuzzyOptions& options) {
  if (!string_field(field)) return fuzzy_type_error(field);
  const std::string term = normalized_value(field, raw);
  SIFT_ASSIGN_OR_RETURN(int edits, checked_fuzzy_edits(term, options));
  Rewrite fallback{TermExpansion::Scoring::kBlended, options.max_expansions, false};
  auto rw = parse_rewrite(options.rewrite, fallback);
  if (!rw.is_ok()) return create_failure(rw.status());
  ScoredTermRewrite constant;
  constant.field = field.path;
  if (rw->scoring == TermExpansion::Scoring::kConstant) return constant;
  FuzzyPlan plan = make_plan(term, edits, options.prefix_length, options.transpositions);
  SIFT_ASSIGN_OR_RETURN(auto e, expand_fuzzy(snap, field.path, plan, *rw));
  return scored_terms(*e);
}

Result<ScoredTermRewrite> regexp_rewrite(const index::ShardSnapshot& snap, const index::Mapping& mapping,
                                         const RegexpQuery& q) {
  auto rw = parse_rewrite(q.rewrite, Rewrite{});
  if (!rw.is_ok()) return create_failure(rw.status());
  const ResolvedField* rf = mapping.find(q.field);
  if (rf != nullptr && !string_field(*rf)) return regexp_type_error(q, *rf);
  SIFT_ASSIGN_OR_RETURN(Dfa dfa, compile_for(q, rf));
  ScoredTermRewrite constant;
  constant.field = q.field;
  if (rf == nullptr || !rf->indexed || rw->scoring == TermExpansion::Scoring::kConstant) return constant;
  SIFT_ASSIGN_OR_RETURN(auto e, expand_regexp(snap, rf->path, dfa, *rw));
  return scored_terms(*e);
}

// ---- Evaluation ----------------------------------------------------------------------------------

Result<DocScores> SegmentEvaluator::score_expansion(const TermExpansion& e, float boost, const ReaderSegment& seg) const {
  using S = TermExpansion::Scoring;
  if (e.scoring == S::kConstant) {
    DocUnion docs(seg.reader->max_doc());
    for (const auto& t : e.terms) docs.add(seg.reader->postings(e.field, t));
    return docs.take(boost);
  }
  std::vector<DocScores> per_term;
  for (size_t i = 0; i < e.terms.size(); ++i) {
    // Lucene boosts each term's query by its boost (a BoostQuery only when not 1).
    float b = e.boosts[i] == 1.0f ? boost : boost * e.boosts[i];
    if (e.scoring == S::kBoostOnly) {
      DocUnion docs(seg.reader->max_doc());
      docs.add(seg.reader->postings(e.field, e.terms[i]));
      per_term.push_back(docs.take(b));
    } else {
      per_term.push_back(term_scores(e.field, e.terms[i], b, seg, e.scoring == S::kBlended ? e.blended_df : 0));
    }
  }
  if (per_term.empty()) return DocScores{};
  return combine_should(per_term, 1);
}

Result<DocScores> SegmentEvaluator::fuzzy_term_scores(const ResolvedField& field, const std::string& raw,
                                                      const FuzzyOptions& options, float boost, const ReaderSegment& seg) {
  if (!string_field(field)) return fuzzy_type_error(field);
  const std::string term = normalized_value(field, raw);
  SIFT_ASSIGN_OR_RETURN(int edits, checked_fuzzy_edits(term, options));
  Rewrite fallback{TermExpansion::Scoring::kBlended, options.max_expansions, false};
  auto rw = parse_rewrite(options.rewrite, fallback);
  if (!rw.is_ok()) return create_failure(rw.status());
  FuzzyPlan plan = make_plan(term, edits, options.prefix_length, options.transpositions);
  if (rw->scoring == TermExpansion::Scoring::kConstant && !rw->clause_limit) {
    DocUnion docs(seg.reader->max_doc());
    BoundedLevenshtein lev(plan.rest, plan.edits, plan.transpositions);
    int limit = plan.edits;
    walk_fuzzy(*seg.reader, field.path, plan, lev, &limit,
               [&](const std::string& t, int, size_t) { docs.add(seg.reader->postings(field.path, t)); });
    return docs.take(boost);
  }
  std::string key = expansion_key("fuzzy", field.path, term,
                                  std::to_string(edits) + "/" + std::to_string(options.prefix_length) + "/" +
                                      (options.transpositions ? "t" : "f") + "/" + options.rewrite + "/" +
                                      std::to_string(options.max_expansions));
  auto& e = expansions_[key];
  if (!e) {
    SIFT_ASSIGN_OR_RETURN(e, expand_fuzzy(snap_, field.path, plan, *rw));
  }
  return score_expansion(*e, boost, seg);
}

Result<DocScores> SegmentEvaluator::eval_fuzzy(const FuzzyQuery& q, const ReaderSegment& seg) {
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf == nullptr) return DocScores{};  // unknown field: no match
  if (string_field(*rf) && !rf->indexed) return DocScores{};
  return fuzzy_term_scores(*rf, q.value.text, q.options, q.boost, seg);
}

Result<DocScores> SegmentEvaluator::eval_regexp(const RegexpQuery& q, const ReaderSegment& seg) {
  SIFT_RETURN_IF_ERROR(regex_length_check(q, max_regex_length_));
  auto rw = parse_rewrite(q.rewrite, Rewrite{});
  if (!rw.is_ok()) return create_failure(rw.status());
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf != nullptr && !string_field(*rf)) return regexp_type_error(q, *rf);
  std::string key = expansion_key("regexp", q.field, q.value,
                                  std::to_string(q.flags) + "/" + (q.case_insensitive ? "i" : "s") + "/" +
                                      std::to_string(q.max_determinized_states) + "/" + q.rewrite);
  auto& e = expansions_[key];
  if (!e) {
    // The automaton is compiled even for an unmapped field, so a bad expression fails everywhere.
    SIFT_ASSIGN_OR_RETURN(Dfa dfa, compile_for(q, rf));
    if (rf == nullptr || !rf->indexed) {
      e = std::make_shared<TermExpansion>();
    } else if (rw->scoring == TermExpansion::Scoring::kConstant && !rw->clause_limit) {
      auto shared = std::make_shared<TermExpansion>();
      shared->field = rf->path;
      shared->dfa = std::make_shared<const Dfa>(std::move(dfa));
      e = shared;
    } else {
      SIFT_ASSIGN_OR_RETURN(e, expand_regexp(snap_, rf->path, dfa, *rw));
    }
  }
  if (e->dfa) {  // constant score: each segment's matching terms, no shard-wide expansion
    DocUnion docs(seg.reader->max_doc());
    walk_regexp(*seg.reader, e->field, *e->dfa, [&](const std::string& t) { docs.add(seg.reader->postings(e->field, t)); });
    return docs.take(q.boost);
  }
  return score_expansion(*e, q.boost, seg);
}

}  // namespace sift::query
