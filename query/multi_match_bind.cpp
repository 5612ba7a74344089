// bool_prefix and cross_fields multi_match queries bound to a mapping, and the evaluation of the
// BlendedTermQuery cross_fields makes (OpenSearch's MultiMatchQuery and BlendedTermQuery).
#include "query/multi_match_bind.h"

#include <algorithm>
#include <numeric>

#include "analyzers/registry.h"
#include "analyzers/normalize.h"
#include "query/query_string.h"
#include "query/searcher.h"
#include "query/segment_evaluator.h"

namespace sift::query {
namespace {

using index::FieldType;
using index::ResolvedField;

bool is_string_field(const ResolvedField& rf) { return rf.type == FieldType::kText || rf.type == FieldType::kKeyword; }
bool has_normalizer(const ResolvedField& rf) {
  return rf.type == FieldType::kKeyword && rf.mapping != nullptr && rf.mapping->normalizer.has_value();
}

// minimum_should_match on a boolean's optional clauses when it asks for at least one.
void apply_msm(Query* q, const std::string& spec) {
  if (spec.empty() || q->kind != Query::Kind::kBool) return;
  auto* b = static_cast<BoolQuery*>(q);
  size_t n = SegmentEvaluator::resolve_msm(spec, b->should.size());
  if (n > 0) b->minimum_should_match = std::to_string(n);
}

// A term of a non-string field (a number, date, boolean): an exact term query, or an error (a
// MatchNone with lenient) when the text is not a value of that type.
Result<std::unique_ptr<Query>> exact_term(const ResolvedField& rf, const std::string& text, bool lenient) {
  Scalar v;
  v.text = text;
  auto bytes = term_bytes_for(rf, v);
  if (!bytes.is_ok()) {
    if (lenient) return std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
    return bytes.status();
  }
  auto t = std::make_unique<TermQuery>();
  t->field = rf.path;
  t->value = std::move(v);
  return std::unique_ptr<Query>(std::move(t));
}

bool is_lenient(const MultiMatchQuery& q) {
  return q.lenient || std::any_of(q.fields.begin(), q.fields.end(), [](const auto& f) {
           return f.first.find('*') != std::string::npos;
         });
}

// One field of a bool_prefix: the analyzed terms joined by the operator, the last one a prefix
// (constant score); a keyword field is a prefix on the whole value; other types an exact term.
Result<std::unique_ptr<Query>> bool_prefix_field(const index::Mapping& mapping, const MultiMatchQuery& q,
                                                 const ResolvedField& rf, bool lenient) {
  if (rf.type == FieldType::kKeyword && q.analyzer.empty()) {
    auto p = std::make_unique<PrefixQuery>();
    p->field = rf.path;
    p->value = mapping.normalize_keyword(rf, q.text);
    return std::unique_ptr<Query>(std::move(p));
  }
  if (!is_string_field(rf)) return exact_term(rf, q.text, lenient);
  Scalar v;
  v.text = q.text;
  auto terms = SegmentEvaluator::query_terms(rf, v, q.analyzer);
  if (!terms.is_ok()) {
    if (lenient) return std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
    return std::move(terms).take_status();
  }
  if (terms->empty()) {
    if (q.zero_terms_all) return std::unique_ptr<Query>(std::make_unique<MatchAllQuery>());
    return std::unique_ptr<Query>();
  }
  auto last = std::make_unique<PrefixQuery>();
  last->field = rf.path;
  last->value = terms->back().term;
  if (terms->size() == 1) return std::unique_ptr<Query>(std::move(last));
  auto b = std::make_unique<BoolQuery>();
  auto& clauses = q.and_operator ? b->must : b->should;
  for (size_t i = 0; i + 1 < terms->size(); ++i) {
    // With `fuzziness` the terms but the last are fuzzy; the prefix never is.
    if (!q.fuzzy.fuzziness.empty()) {
      auto f = std::make_unique<FuzzyQuery>();
      f->field = rf.path;
      f->value.text = (*terms)[i].term;
      f->options = q.fuzzy;
      clauses.push_back(std::move(f));
      continue;
    }
    auto t = std::make_unique<TermQuery>();
    t->field = rf.path;
    t->value.text = (*terms)[i].term;
    clauses.push_back(std::move(t));
  }
  clauses.push_back(std::move(last));
  apply_msm(b.get(), q.minimum_should_match);
  return std::unique_ptr<Query>(std::move(b));
}

Result<std::unique_ptr<Query>> bind_bool_prefix(const MultiMatchQuery& q, const index::Mapping& mapping) {
  bool lenient = is_lenient(q);
  std::vector<std::unique_ptr<Query>> parts;
  for (const auto& [f, boost] : resolve_query_fields(mapping, q.fields, "*")) {
    SIFT_ASSIGN_OR_RETURN(auto part, bool_prefix_field(mapping, q, *mapping.find(f), lenient));
    if (!part) continue;
    if (part->kind != Query::Kind::kMatchNone) part->boost *= boost;
    parts.push_back(std::move(part));
  }
  auto out = combine_dis_max(std::move(parts), q.tie_breaker);
  if (!out) out = q.zero_terms_all ? std::unique_ptr<Query>(std::make_unique<MatchAllQuery>())
                                   : std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
  return out;
}

// cross_fields: the fields that analyze alike form a group; within a group every term is one
// clause over all of the group's fields.
struct FieldGroup {
  std::string analyzer;  // an analyzer name, or "normalizer:<name>"
  std::vector<std::pair<const ResolvedField*, float>> fields;
};

std::string group_key(const MultiMatchQuery& q, const ResolvedField& rf) {
  if (!q.analyzer.empty()) return q.analyzer;
  if (rf.type == FieldType::kText) {
    if (rf.mapping != nullptr) return rf.mapping->search_analyzer.value_or(rf.mapping->analyzer.value_or("default_search"));
    return "default_search";
  }
  return has_normalizer(rf) ? "normalizer:" + *rf.mapping->normalizer : "keyword";
}

Result<std::vector<std::string>> group_tokens(const index::Mapping& mapping, const FieldGroup& g, const std::string& text) {
  if (g.analyzer.rfind("normalizer:", 0) == 0) {
    return std::vector<std::string>{mapping.normalize_keyword(*g.fields[0].first, text)};
  }
  const analysis::Analyzer* a = mapping.analyzers().get(g.analyzer);
  if (a == nullptr) {
    return invalid_argument("[multi_match] analyzer [" + g.analyzer + "] not found for field [" + g.fields[0].first->path + "]");
  }
  std::vector<analysis::Token> tokens;
  a->analyze(text, 0, 0, &tokens);
  std::vector<std::string> out;
  for (auto& t : tokens) out.push_back(std::move(t.term));
  return out;
}

// One term over a group's fields: a blended term over its text and keyword fields, beside exact
// terms for the other types (as OpenSearch's blendTerms keeps non-term queries apart).
Result<std::unique_ptr<Query>> blended_clause(const MultiMatchQuery& q, const FieldGroup& g, const std::string& token,
                                              bool lenient) {
  auto blended = std::make_unique<BlendedTermQuery>();
  blended->tie_breaker = q.tie_breaker;
  std::vector<std::unique_ptr<Query>> others;
  for (const auto& [rf, boost] : g.fields) {
    if (is_string_field(*rf)) {
      blended->entries.push_back({rf->path, token, boost});
      continue;
    }
    SIFT_ASSIGN_OR_RETURN(auto t, exact_term(*rf, token, lenient));
    if (t->kind == Query::Kind::kMatchNone) continue;
    t->boost *= boost;
    others.push_back(std::move(t));
  }
  if (!blended->entries.empty()) others.push_back(std::move(blended));
  auto out = combine_dis_max(std::move(others), q.tie_breaker);
  if (!out) out = std::make_unique<MatchNoneQuery>();
  return out;
}

Result<std::unique_ptr<Query>> bind_cross_fields(const MultiMatchQuery& q, const index::Mapping& mapping) {
  bool lenient = is_lenient(q);
  std::vector<FieldGroup> groups;
  for (const auto& [f, boost] : resolve_query_fields(mapping, q.fields, "*")) {
    const ResolvedField* rf = mapping.find(f);
    std::string key = group_key(q, *rf);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const FieldGroup& g) { return g.analyzer == key; });
    if (it == groups.end()) it = groups.insert(groups.end(), FieldGroup{key, {}});
    it->fields.emplace_back(rf, boost);
  }
  std::vector<std::unique_ptr<Query>> parts;
  for (const auto& g : groups) {
    SIFT_ASSIGN_OR_RETURN(auto tokens, group_tokens(mapping, g, q.text));
    if (tokens.empty()) continue;
    std::vector<std::unique_ptr<Query>> clauses;
    for (const auto& token : tokens) {
      SIFT_ASSIGN_OR_RETURN(auto c, blended_clause(q, g, token, lenient));
      clauses.push_back(std::move(c));
    }
    if (clauses.size() == 1) {
      parts.push_back(std::move(clauses[0]));
      continue;
    }
    auto b = std::make_unique<BoolQuery>();
    (q.and_operator ? b->must : b->should) = std::move(clauses);
    apply_msm(b.get(), q.minimum_should_match);
    parts.push_back(std::move(b));
  }
  auto out = combine_dis_max(std::move(parts), q.tie_breaker);
  if (!out) out = q.zero_terms_all ? std::unique_ptr<Query>(std::make_unique<MatchAllQuery>())
                                   : std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
  return out;
}

}  // namespace

Result<std::unique_ptr<Query>> bind_multi_match(const MultiMatchQuery& q, const index::Mapping& mapping) {
  if (!q.analyzer.empty() && mapping.analyzers().get(q.analyzer) == nullptr) {
    return Status(Code::kInvalidArgument, "query_shard_exception", "[multi_match] analyzer [" + q.analyzer + "] not found");
  }
  std::unique_ptr<Query> out;
  if (q.type == MultiMatchQuery::Type::kBoolPrefix) {
    SIFT_ASSIGN_OR_RETURN(out, bind_bool_prefix(q, mapping));
  } else if (q.type == MultiMatchQuery::Type::kCrossFields) {
    SIFT_ASSIGN_OR_RETURN(out, bind_cross_fields(q, mapping));
  } else {
    return Status(Code::kInternal, "illegal_state_exception", "multi_match type needs no binding");
  }
  out->boost *= q.boost;
  return out;
}

std::vector<uint64_t> blend_doc_freqs(const std::vector<BlendInput>& fields, uint64_t max_doc) {
  std::vector<uint64_t> out(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) out[i] = fields[i].doc_freq;
  if (fields.size() <= 1) return out;
  uint64_t max_df = 0, min_sum_ttf = UINT64_MAX;
  for (const auto& f : fields) {
    max_df = std::max(max_df, f.doc_freq);
    if (f.doc_freq > 0) min_sum_ttf = std::min(min_sum_ttf, f.sum_total_term_freq);
  }
  if (max_df == 0) return out;
  // A df above the smallest token count would make a total term frequency below the df.
  uint64_t cap = std::min(max_doc, min_sum_ttf);
  std::vector<size_t> order(fields.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return fields[a].doc_freq > fields[b].doc_freq; });
  uint64_t prev = fields[order[0]].doc_freq;
  uint64_t actual = std::min(cap, max_df);
  for (size_t i : order) {
    uint64_t df = fields[i].doc_freq;
    if (df == 0) break;
    if (prev > df) ++actual;  // a little bias towards the more frequent fields
    out[i] = std::min({actual, fields[i].doc_count, cap});
    prev = df;
  }
  return out;
}

Result<DocScores> SegmentEvaluator::eval_blended_term(const BlendedTermQuery& q, const index::ReaderSegment& seg) const {
  std::vector<uint64_t> dfs;
  if (q.entries.size() > 1) {
    std::vector<BlendInput> in;
    for (const auto& e : q.entries) {
      FieldStats fs = field_stats(e.field);
      in.push_back({doc_freq(e.field, e.term), fs.doc_count, fs.sum_total_term_freq});
    }
    uint64_t max_doc = 0;
    for (const auto& s : snap_.segments) max_doc += s.reader->max_doc();
    dfs = blend_doc_freqs(in, max_doc);
  }
  std::vector<DocScores> per_field;
  for (size_t i = 0; i < q.entries.size(); ++i) {
    const auto& e = q.entries[i];
    per_field.push_back(term_scores(e.field, e.term, q.boost * e.boost, seg, dfs.empty() ? 0 : dfs[i]));
  }
  return dis_max(per_field, q.tie_breaker);
}

std::unique_ptr<Query> combine_dis_max(std::vector<std::unique_ptr<Query>> parts, float tie_breaker) {
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return std::move(parts[0]);
  auto dm = std::make_unique<DisMaxQuery>();
  dm->tie_breaker = tie_breaker;
  dm->queries = std::move(parts);
  return dm;
}

PerFieldQueries multi_match_per_field(const MultiMatchQuery& q, const index::Mapping& mapping) {
  PerFieldQueries out;
  out.lenient = q.lenient || std::any_of(q.fields.begin(), q.fields.end(), [](const auto& f) {
                  return f.first.find('*') != std::string::npos;
                });
  const bool phrase = q.type == MultiMatchQuery::Type::kPhrase || q.type == MultiMatchQuery::Type::kPhrasePrefix;
  for (const auto& [pattern, field_boost] : q.fields) {
    for (const auto& leaf : mapping.leaves()) {
      bool searchable = leaf.type == index::FieldType::kText || leaf.type == index::FieldType::kKeyword;
      if (!(pattern == "*" ? searchable : wildcard_matches(pattern, leaf.path))) continue;
      if (phrase) {
        auto p = std::make_unique<MatchPhraseQuery>();
        p->field = leaf.path;
        p->text = q.text;
        p->slop = q.slop;
        p->analyzer = q.analyzer;
        p->prefix = q.type == MultiMatchQuery::Type::kPhrasePrefix;
        p->boost = q.boost * field_boost;
        out.queries.push_back(std::move(p));
      } else {
        auto m = std::make_unique<MatchQuery>();
        m->field = leaf.path;
        m->value.text = q.text;
        m->and_operator = q.and_operator;
        m->minimum_should_match = q.minimum_should_match;
        m->analyzer = q.analyzer;
        m->lenient = out.lenient;
        m->fuzzy = q.fuzzy;
        m->auto_generate_synonyms_phrase_query = q.auto_generate_synonyms_phrase_query;
        m->boost = q.boost * field_boost;
        out.queries.push_back(std::move(m));
      }
    }
  }
  return out;
}

}  // namespace sift::query
