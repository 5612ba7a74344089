#include "query/query_text.h"

#include "common/json_writer.h"
#include "query/function_score.h"
#include "query/fuzzy_queries.h"
#include "query/multi_match_bind.h"
#include "query/query_string.h"
#include "query/searcher.h"
#include "query/segment_evaluator.h"
#include "query/simple_query_string.h"
#include "query/text_query_builder.h"

namespace sift::query {
namespace {

using index::FieldType;

bool is_numeric(FieldType t) {
  switch (t) {
    case FieldType::kLong:
    case FieldType::kInteger:
    case FieldType::kShort:
    case FieldType::kByte:
    case FieldType::kDouble:
    case FieldType::kFloat:
    case FieldType::kHalfFloat:
    case FieldType::kScaledFloat:
    case FieldType::kDate:
    case FieldType::kDateNanos:
    case FieldType::kUnsignedLong:
      return true;
    default:
      return false;
  }
}

// A rendered clause; Lucene puts a nested boolean query in parentheses.
struct Text {
  std::string s;
  bool boolean = false;
};

std::string boosted(std::string inner, float boost) {
  if (boost == 1.0f) return inner;
  return "(" + inner + ")^" + format_float(boost);
}

class Renderer {
 public:
  explicit Renderer(const index::Mapping& mapping) : mapping_(mapping) {}

  Result<Text> render(const Query& q) {
    SIFT_ASSIGN_OR_RETURN(Text t, render_inner(q));
    // Full-text queries carry their boost into the clauses they become.
    bool applies_own_boost = q.kind == Query::Kind::kMatch || q.kind == Query::Kind::kMatchPhrase ||
                             q.kind == Query::Kind::kMultiMatch;
    if (q.boost != 1.0f && !applies_own_boost) {
      return Text{boosted(t.s, q.boost), false};
    }
    return t;
  }

 private:
  Result<Text> render_inner(const Query& q) {
    switch (q.kind) {
      case Query::Kind::kMatchAll: return Text{"*:*"};
      case Query::Kind::kMatchNone: return Text{"MatchNoDocsQuery(\"\")"};
      case Query::Kind::kTerm: {
        const auto& t = static_cast<const TermQuery&>(q);
        SIFT_RETURN_IF_ERROR(check_value(t.field, t.value));
        return Text{term_text(t.field, t.value)};
      }
      case Query::Kind::kTerms: {
        const auto& t = static_cast<const TermsQuery&>(q);
        std::string s = t.field + ":(";
        for (size_t i = 0; i < t.values.size(); ++i) {
          SIFT_RETURN_IF_ERROR(check_value(t.field, t.values[i]));
          s += (i ? " " : "") + t.values[i].text;
        }
        return Text{s + ")"};
      }
      case Query::Kind::kIds: {
        const auto& t = static_cast<const IdsQuery&>(q);
        std::string s = "_id:(";
        for (size_t i = 0; i < t.ids.size(); ++i) s += (i ? " " : "") + t.ids[i];
        return Text{s + ")"};
      }
      case Query::Kind::kBool: return render_bool(static_cast<const BoolQuery&>(q));
      case Query::Kind::kConstantScore: {
        const auto& c = static_cast<const ConstantScoreQuery&>(q);
        if (!c.filter) return Text{"ConstantScore(*:*)"};
        SIFT_ASSIGN_OR_RETURN(Text inner, render(*c.filter));
        return Text{"ConstantScore(" + inner.s + ")"};
      }
      case Query::Kind::kMatch: {
        const auto& m = static_cast<const MatchQuery&>(q);
        SIFT_ASSIGN_OR_RETURN(auto rewritten, rewrite_text_query(q, mapping_));  // synonyms, graphs
        if (rewritten) return render(*rewritten);
        return render_match(m.field, m.value, m.and_operator, m.minimum_should_match, m.analyzer, m.lenient,
                            m.zero_terms_all, m.boost, m.fuzzy.fuzziness.empty() ? nullptr : &m.fuzzy);
      }
      case Query::Kind::kFuzzy: {
        const auto& f = static_cast<const FuzzyQuery&>(q);
        const index::ResolvedField* rf = mapping_.find(f.field);
        if (rf == nullptr) return Text{"MatchNoDocsQuery(\"unknown field [" + f.field + "]\")"};
        SIFT_ASSIGN_OR_RETURN(std::string text, fuzzy_query_text(*rf, f.value.text, f.options));
        return Text{text};
      }
      case Query::Kind::kRegexp: {
        const auto& r = static_cast<const RegexpQuery&>(q);
        SIFT_ASSIGN_OR_RETURN(std::string text, regexp_query_text(r, mapping_.find(r.field)));
        return Text{text};
      }
      case Query::Kind::kMatchPhrase: {
        const auto& p = static_cast<const MatchPhraseQuery&>(q);
        SIFT_ASSIGN_OR_RETURN(auto rewritten, rewrite_text_query(q, mapping_));  // synonyms, graphs
        if (rewritten) return render(*rewritten);
        return render_phrase(p.field, p.text, p.slop, p.analyzer, p.prefix, p.boost);
      }
      case Query::Kind::kMultiMatch: return render_multi_match(static_cast<const MultiMatchQuery&>(q));
      case Query::Kind::kExists:
        return Text{"FieldExistsQuery [field=" + static_cast<const ExistsQuery&>(q).field + "]"};
      case Query::Kind::kPrefix: {
        const auto& p = static_cast<const PrefixQuery&>(q);
        return Text{p.field + ":" + p.value + "*"};
      }
      case Query::Kind::kWildcard: {
        const auto& w = static_cast<const WildcardQuery&>(q);
        return Text{w.field + ":" + w.pattern};
      }
      case Query::Kind::kRange: return Text{range_text(static_cast<const RangeQuery&>(q))};
      case Query::Kind::kDisMax: {
        const auto& d = static_cast<const DisMaxQuery&>(q);
        std::vector<std::string> parts;
        for (const auto& sub : d.queries) {
          SIFT_ASSIGN_OR_RETURN(Text t, render(*sub));
          parts.push_back(t.s);
        }
        return Text{dis_max_text(parts, d.tie_breaker)};
      }
      case Query::Kind::kQueryString: {
        SIFT_ASSIGN_OR_RETURN(auto bound, bind_query_string(static_cast<const QueryStringQuery&>(q), mapping_, "*"));
        return render(*bound);
      }
      case Query::Kind::kSimpleQueryString: {
        SIFT_ASSIGN_OR_RETURN(auto bound, bind_simple_query_string(static_cast<const SimpleQueryStringQuery&>(q),
                                                                   mapping_, "*"));
        return render(*bound);
      }
      case Query::Kind::kBlendedTerm: {
        const auto& b = static_cast<const BlendedTermQuery&>(q);
        std::string s = "blended(terms:[";
        for (size_t i = 0; i < b.entries.size(); ++i) {
          s += (i ? ", " : "") + b.entries[i].field + ":" + b.entries[i].term;
          if (b.entries[i].boost != 1.0f) s += "^" + format_float(b.entries[i].boost);
        }
        return Text{s + "])"};
      }
      case Query::Kind::kFunctionScore: return render_function_score(static_cast<const FunctionScoreQuery&>(q));
      case Query::Kind::kBoosting: {
        const auto& b = static_cast<const BoostingQuery&>(q);
        SIFT_ASSIGN_OR_RETURN(Text pos, render(*b.positive));
        SIFT_ASSIGN_OR_RETURN(Text neg, render(*b.negative));
        return Text{"FunctionScoreQuery(" + pos.s + ", scored by boost(queryboost(" + neg.s + ")^" +
                    format_float(b.negative_boost) + "))"};
      }
      case Query::Kind::kNested: {  // ESToParentBlockJoinQuery's text
        SIFT_ASSIGN_OR_RETURN(Text inner, render(*static_cast<const NestedQuery&>(q).query));
        return Text{"ToParentBlockJoinQuery (" + inner.s + ")"};
      }
      case Query::Kind::kSynonym: return Text{synonym_query_text(static_cast<const SynonymQuery&>(q))};
      case Query::Kind::kMultiPhrase: return Text{multi_phrase_query_text(static_cast<const MultiPhraseQuery&>(q))};
      case Query::Kind::kSpan: return Text{span_query_text(static_cast<const SpanQuery&>(q))};
    }
    return Text{""};
  }

  // Lucene's FunctionScoreQuery text with the functions named (OpenSearch prints their objects).
  Result<Text> render_function_score(const FunctionScoreQuery& f) {
    SIFT_ASSIGN_OR_RETURN(Text sub, render(*f.query));
    std::string s = "function score (" + sub.s + ", functions: [";
    static const char* kNames[] = {"weight", "field_value_factor", "decay", "random_score"};
    for (const auto& fn : f.functions) {
      s += "{";
      if (fn.filter) {
        SIFT_ASSIGN_OR_RETURN(Text filter, render(*fn.filter));
        s += "filter(" + filter.s + "), ";
      }
      s += std::string(kNames[static_cast<int>(fn.type)]) + (fn.field.empty() ? "" : "(" + fn.field + ")") + "}";
    }
    return Text{s + "])"};
  }

  Status check_value(const std::string& field, const Scalar& value) {
    const index::ResolvedField* rf = mapping_.find(field);
    if (rf == nullptr) return Status::ok();
    return term_bytes_for(*rf, value).status();
  }

  std::string term_text(const std::string& field, const Scalar& value) {
    const index::ResolvedField* rf = mapping_.find(field);
    if (rf != nullptr && is_numeric(rf->type)) return field + ":[" + value.text + " TO " + value.text + "]";
    if (rf != nullptr && rf->type == FieldType::kBoolean) {
      return field + ":" + (value.text == "true" || (value.kind == Scalar::Kind::kBool && value.boolean) ? "T" : "F");
    }
    return field + ":" + value.text;
  }

  static std::string range_text(const RangeQuery& r) {
    std::string lower = r.gte ? r.gte->text : r.gt ? r.gt->text : "*";
    std::string upper = r.lte ? r.lte->text : r.lt ? r.lt->text : "*";
    return r.field + ":" + (r.gt ? "{" : "[") + lower + " TO " + upper + (r.lt ? "}" : "]");
  }

  static std::string dis_max_text(const std::vector<std::string>& parts, float tie_breaker) {
    std::string s = "(";
    for (size_t i = 0; i < parts.size(); ++i) s += (i ? " | " : "") + parts[i];
    s += ")";
    if (tie_breaker != 0) s += "~" + format_float(tie_breaker);
    return s;
  }

  Result<Text> render_bool(const BoolQuery& b) {
    std::vector<std::string> clauses;
    auto add = [&](const std::vector<std::unique_ptr<Query>>& list, const char* occur) -> Status {
      for (const auto& sub : list) {
        SIFT_ASSIGN_OR_RETURN(Text t, render(*sub));
        clauses.push_back(occur + (t.boolean ? "(" + t.s + ")" : t.s));
      }
      return Status::ok();
    };
    SIFT_RETURN_IF_ERROR(add(b.must, "+"));
    SIFT_RETURN_IF_ERROR(add(b.filter, "#"));
    SIFT_RETURN_IF_ERROR(add(b.should, ""));
    SIFT_RETURN_IF_ERROR(add(b.must_not, "-"));
    if (clauses.empty()) return Text{"*:*"};
    // A query of only exclusions matches everything else, as OpenSearch rewrites it.
    if (b.must.empty() && b.filter.empty() && b.should.empty()) clauses.push_back("#*:*");
    size_t msm = 0;
    if (!b.minimum_should_match.empty() && !b.should.empty()) {
      msm = SegmentEvaluator::resolve_msm(b.minimum_should_match, b.should.size());
    }
    std::string s;
    for (size_t i = 0; i < clauses.size(); ++i) s += (i ? " " : "") + clauses[i];
    if (msm > 0) return Text{"(" + s + ")~" + std::to_string(msm), false};
    return Text{s, true};
  }

  Result<Text> render_match(const std::string& field, const Scalar& value, bool and_operator, const std::string& msm_spec,
                            const std::string& analyzer, bool lenient, bool zero_terms_all, float boost,
                            const FuzzyOptions* fuzzy = nullptr) {
    const index::ResolvedField* rf = mapping_.find(field);
    if (rf == nullptr) return Text{"MatchNoDocsQuery(\"unmapped field [" + field + "]\")"};
    auto terms = SegmentEvaluator::query_terms(*rf, value, analyzer);
    if (!terms.is_ok()) {
      if (lenient) return Text{"MatchNoDocsQuery(\"failed [" + field + "] query, caught " + terms.status().reason() + "\")"};
      return terms.status();
    }
    if (terms->empty()) {
      return Text{zero_terms_all ? "*:*" : "MatchNoDocsQuery(\"Matching no documents because no terms present\")"};
    }
    // One term as its query: `f:term`, or `f:term~edits` with fuzziness (Lucene's FuzzyQuery).
    auto piece = [&](const std::string& term) -> Result<std::string> {
      if (fuzzy == nullptr) return field + ":" + term;
      auto text = fuzzy_query_text(*rf, term, *fuzzy);
      if (!text.is_ok() && lenient) return "MatchNoDocsQuery(\"failed [" + field + "] query, caught " + text.status().reason() + "\")";
      return text;
    };
    if (!is_text_field(*rf) && fuzzy != nullptr) {
      SIFT_ASSIGN_OR_RETURN(std::string one, piece((*terms)[0].term));
      return Text{boosted(one, boost)};
    }
    if (!is_text_field(*rf)) return Text{boosted(term_text(field, value), boost)};
    if (terms->size() == 1) {
      SIFT_ASSIGN_OR_RETURN(std::string one, piece((*terms)[0].term));
      return Text{boosted(one, boost)};
    }
    std::string s;
    for (size_t i = 0; i < terms->size(); ++i) {
      SIFT_ASSIGN_OR_RETURN(std::string one, piece((*terms)[i].term));
      s += std::string(i ? " " : "") + (and_operator ? "+" : "") + one;
    }
    size_t msm = and_operator || msm_spec.empty() ? 0 : SegmentEvaluator::resolve_msm(msm_spec, terms->size());
    if (msm > 0) return Text{boosted("(" + s + ")~" + std::to_string(msm), boost), false};
    if (boost != 1.0f) return Text{boosted(s, boost), false};
    return Text{s, true};
  }

  Result<Text> render_phrase(const std::string& field, const std::string& text, int32_t slop,
                             const std::string& analyzer, bool prefix, float boost) {
    const index::ResolvedField* rf = mapping_.find(field);
    if (rf == nullptr) return Text{"MatchNoDocsQuery(\"unmapped field [" + field + "]\")"};
    Scalar v;
    v.text = text;
    SIFT_ASSIGN_OR_RETURN(auto terms, SegmentEvaluator::query_terms(*rf, v, analyzer));
    if (terms.empty()) return Text{"MatchNoDocsQuery(\"Matching no documents because no terms present\")"};
    if (terms.size() == 1 && !prefix) return Text{boosted(field + ":" + terms[0].term, boost)};
    std::string s = field + ":\"";
    for (size_t i = 0; i < terms.size(); ++i) s += (i ? " " : "") + terms[i].term;
    s += prefix ? "*\"" : "\"";
    if (slop > 0) s += "~" + std::to_string(slop);
    return Text{boosted(s, boost)};
  }

  Result<Text> render_multi_match(const MultiMatchQuery& q) {
    if (q.type == MultiMatchQuery::Type::kBoolPrefix || q.type == MultiMatchQuery::Type::kCrossFields) {
      SIFT_ASSIGN_OR_RETURN(auto bound, bind_multi_match(q, mapping_));
      return render(*bound);
    }
    std::vector<std::string> parts;
    bool lenient = q.lenient;
    for (const auto& [pattern, field_boost] : q.fields) {
      lenient |= pattern.find('*') != std::string::npos;
      for (const auto& leaf : mapping_.leaves()) {
        bool searchable = leaf.type == FieldType::kText || leaf.type == FieldType::kKeyword;
        if (!(pattern == "*" ? searchable : wildcard_matches(pattern, leaf.path))) continue;
        Result<Text> t = Text{};
        if (q.type == MultiMatchQuery::Type::kPhrase || q.type == MultiMatchQuery::Type::kPhrasePrefix) {
          t = render_phrase(leaf.path, q.text, q.slop, q.analyzer, q.type == MultiMatchQuery::Type::kPhrasePrefix,
                            q.boost * field_boost);
        } else {
          Scalar v;
          v.text = q.text;
          t = render_match(leaf.path, v, q.and_operator, q.minimum_should_match, q.analyzer, false, q.zero_terms_all,
                           q.boost * field_boost, q.fuzzy.fuzziness.empty() ? nullptr : &q.fuzzy);
        }
        if (!t.is_ok()) {
          if (lenient) continue;
          return t.status();
        }
        parts.push_back(t->boolean ? "(" + t->s + ")" : t->s);
      }
    }
    if (parts.empty()) return Text{"MatchNoDocsQuery(\"\")"};
    if (parts.size() == 1) return Text{parts[0]};
    if (q.type == MultiMatchQuery::Type::kMostFields) {
      std::string s;
      for (size_t i = 0; i < parts.size(); ++i) s += (i ? " " : "") + parts[i];
      return Text{s, true};
    }
    return Text{dis_max_text(parts, q.tie_breaker)};
  }

  static bool is_text_field(const index::ResolvedField& f) { return f.type == FieldType::kText; }

  const index::Mapping& mapping_;
};

}  // namespace

Result<std::string> query_to_text(const Query& q, const index::Mapping& mapping) {
  Renderer r(mapping);
  SIFT_ASSIGN_OR_RETURN(Text t, r.render(q));
  return t.s;
}

}  // namespace sift::query
