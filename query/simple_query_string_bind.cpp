// simple_query_string bound to a mapping: each piece the parser finds becomes one query per
// resolved field, as OpenSearch's SimpleQueryStringQueryParser builds them — terms as most_fields
// matches (per-field match queries summed), phrases as phrase matches (best field wins), prefixes
// and fuzzy terms on the normalized text (summed). Pieces that analyze to nothing are dropped.
#include <algorithm>

#include "analyzers/registry.h"
#include "analyzers/normalize.h"
#include "query/query_string.h"
#include "query/segment_evaluator.h"
#include "query/multi_match_bind.h"
#include "query/simple_query_string.h"

namespace sift::query {
namespace {

using index::FieldType;
using index::ResolvedField;

bool is_string_field(const ResolvedField& rf) { return rf.type == FieldType::kText || rf.type == FieldType::kKeyword; }

// The whole text as one term of `rf`, normalized as its search analyzer (or normalizer) would
// (Lucene's Analyzer.normalize: only the character-level steps).
std::string normalized_term(const index::Mapping& mapping, const ResolvedField& rf, const std::string& analyzer,
                            std::string_view text) {
  if (!analyzer.empty()) {
    const analysis::Analyzer* a = mapping.analyzers().get(analyzer);
    return a != nullptr ? a->normalize(text) : std::string(text);
  }
  if (rf.type == FieldType::kKeyword) return mapping.normalize_keyword(rf, text);
  const analysis::Analyzer* a = mapping.search_analyzer(rf);
  return a != nullptr ? a->normalize(text) : std::string(text);
}

Status wrong_type(const char* what, const ResolvedField& rf) {
  return Status(Code::kInvalidArgument, "query_shard_exception",
                std::string(what) + " - not on [" + rf.path + "] which is of type [" + index::field_type_name(rf.type) + "]");
}

class FieldBuilder final : public SqsBuilder {
 public:
  FieldBuilder(const SimpleQueryStringQuery& q, const index::Mapping& mapping,
               std::vector<std::pair<std::string, float>> fields, bool lenient)
      : q_(q), mapping_(mapping), fields_(std::move(fields)), lenient_(lenient) {
    for (const auto& [f, b] : fields_) {
      std::string quoted = f + q.quote_field_suffix;
      bool use = !q.quote_field_suffix.empty() && mapping_.find(quoted) != nullptr;
      phrase_fields_.emplace_back(use ? quoted : f, b);
    }
  }

  // A term: a match query per field (the default operator joins its tokens), summed.
  Result<std::unique_ptr<Query>> term(std::string_view text) override {
    if (fields_.empty()) return none();
    std::vector<std::unique_ptr<Query>> parts;
    for (const auto& [f, boost] : fields_) {
      const ResolvedField* rf = mapping_.find(f);
      SIFT_ASSIGN_OR_RETURN(bool has_terms, analyzes_to_terms(*rf, text, &parts));
      if (!has_terms) continue;
      auto m = std::make_unique<MatchQuery>();
      m->field = f;
      m->value.text = std::string(text);
      m->and_operator = q_.and_default;
      m->analyzer = q_.analyzer;
      m->lenient = lenient_;
      m->boost = boost;
      parts.push_back(std::move(m));
    }
    return combine_dis_max(std::move(parts), 1.0f);
  }

  // A phrase: a phrase match per field (with quote_field_suffix), the best field counts.
  Result<std::unique_ptr<Query>> phrase(std::string_view text, int32_t slop) override {
    if (phrase_fields_.empty()) return none();
    std::vector<std::unique_ptr<Query>> parts;
    for (const auto& [f, boost] : phrase_fields_) {
      const ResolvedField* rf = mapping_.find(f);
      SIFT_ASSIGN_OR_RETURN(bool has_terms, analyzes_to_terms(*rf, text, &parts));
      if (!has_terms) continue;
      auto p = std::make_unique<MatchPhraseQuery>();
      p->field = f;
      p->text = std::string(text);
      p->slop = slop;
      p->analyzer = q_.analyzer;
      p->boost = boost;
      parts.push_back(std::move(p));
    }
    return combine_dis_max(std::move(parts), 0.0f);
  }

  // `text*`: a prefix query per string field on the normalized text (or, with analyze_wildcard,
  // the analyzed terms with the last one as the prefix), summed.
  Result<std::unique_ptr<Query>> prefix(std::string_view text) override {
    if (fields_.empty()) return none();
    std::vector<std::unique_ptr<Query>> parts;
    for (const auto& [f, boost] : fields_) {
      const ResolvedField* rf = mapping_.find(f);
      if (!is_string_field(*rf)) {
        if (!lenient_) return wrong_type("Can only use prefix queries on keyword, text and wildcard fields", *rf);
        parts.push_back(std::make_unique<MatchNoneQuery>());
        continue;
      }
      std::unique_ptr<Query> leaf;
      if (q_.analyze_wildcard && rf->type == FieldType::kText) {
        SIFT_ASSIGN_OR_RETURN(leaf, analyzed_prefix(*rf, text));
        if (!leaf) continue;
      } else {
        auto p = std::make_unique<PrefixQuery>();
        p->field = f;
        p->value = normalized_term(mapping_, *rf, q_.analyzer, text);
        leaf = std::move(p);
      }
      leaf->boost *= boost;
      parts.push_back(std::move(leaf));
    }
    if (parts.empty()) return none();
    return combine_dis_max(std::move(parts), 1.0f);
  }

  // `text~N`: a fuzzy query per string field on the normalized text, summed.
  Result<std::unique_ptr<Query>> fuzzy(std::string_view text, int32_t edits) override {
    if (fields_.empty()) return none();
    std::vector<std::unique_ptr<Query>> parts;
    for (const auto& [f, boost] : fields_) {
      const ResolvedField* rf = mapping_.find(f);
      if (!is_string_field(*rf)) {
        if (!lenient_) {
          return wrong_type("failed to create query: Can only use fuzzy queries on keyword and text fields", *rf);
        }
        parts.push_back(std::make_unique<MatchNoneQuery>());
        continue;
      }
      auto leaf = fuzzy_leaf(f, normalized_term(mapping_, *rf, q_.analyzer, text), edits);
      leaf->boost *= boost;
      parts.push_back(std::move(leaf));
    }
    return combine_dis_max(std::move(parts), 1.0f);
  }

 private:
  static Result<std::unique_ptr<Query>> none() { return std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>()); }

  // Whether `text` gives `rf` any term. A value the field refuses is an error, or with lenient a
  // MatchNone part (and false).
  Result<bool> analyzes_to_terms(const ResolvedField& rf, std::string_view text,
                                 std::vector<std::unique_ptr<Query>>* parts) {
    Scalar v;
    v.text = std::string(text);
    auto terms = SegmentEvaluator::query_terms(rf, v, q_.analyzer);
    if (!terms.is_ok()) {
      if (!lenient_) return std::move(terms).take_status();
      parts->push_back(std::make_unique<MatchNoneQuery>());
      return false;
    }
    return !terms->empty();
  }

  // analyze_wildcard: the analyzed terms joined by the default operator, the last as a prefix.
  Result<std::unique_ptr<Query>> analyzed_prefix(const ResolvedField& rf, std::string_view text) {
    Scalar v;
    v.text = std::string(text);
    auto terms = SegmentEvaluator::query_terms(rf, v, q_.analyzer);
    if (!terms.is_ok()) {
      if (lenient_) return std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
      return std::move(terms).take_status();
    }
    if (terms->empty()) return std::unique_ptr<Query>();
    auto last = std::make_unique<PrefixQuery>();
    last->field = rf.path;
    last->value = terms->back().term;
    if (terms->size() == 1) return std::unique_ptr<Query>(std::move(last));
    auto b = std::make_unique<BoolQuery>();
    auto& clauses = q_.and_default ? b->must : b->should;
    for (size_t i = 0; i + 1 < terms->size(); ++i) {
      auto t = std::make_unique<TermQuery>();
      t->field = rf.path;
      t->value.text = (*terms)[i].term;
      clauses.push_back(std::move(t));
    }
    clauses.push_back(std::move(last));
    return std::unique_ptr<Query>(std::move(b));
  }

  std::unique_ptr<Query> fuzzy_leaf(const std::string& field, std::string term, int32_t edits) const {
    auto f = std::make_unique<FuzzyQuery>();
    f->field = field;
    f->value.text = std::move(term);
    f->options.fuzziness = std::to_string(edits);
    f->options.prefix_length = q_.fuzzy_prefix_length;
    f->options.max_expansions = q_.fuzzy_max_expansions;
    f->options.transpositions = q_.fuzzy_transpositions;
    return f;
  }

  const SimpleQueryStringQuery& q_;
  const index::Mapping& mapping_;
  std::vector<std::pair<std::string, float>> fields_;
  std::vector<std::pair<std::string, float>> phrase_fields_;
  bool lenient_;
};

// minimum_should_match applies to the top query when it is a boolean (and to a lone match query,
// which is one), as OpenSearch's Queries.maybeApplyMinimumShouldMatch.
void apply_minimum_should_match(Query* root, const std::string& spec) {
  if (spec.empty()) return;
  if (root->kind == Query::Kind::kBool) {
    auto* b = static_cast<BoolQuery*>(root);
    size_t n = SegmentEvaluator::resolve_msm(spec, b->should.size());
    if (n > 0) b->minimum_should_match = std::to_string(n);
  } else if (root->kind == Query::Kind::kMatch) {
    static_cast<MatchQuery*>(root)->minimum_should_match = spec;
  }
}

}  // namespace

Result<std::unique_ptr<Query>> bind_simple_query_string(const SimpleQueryStringQuery& q, const index::Mapping& mapping,
                                                        const std::string& default_field_setting) {
  if (!q.analyzer.empty() && mapping.analyzers().get(q.analyzer) == nullptr) {
    return Status(Code::kInvalidArgument, "query_shard_exception",
                  "[simple_query_string] analyzer [" + q.analyzer + "] not found");
  }
  std::string default_field = default_field_setting.empty() ? "*" : default_field_setting;
  bool all_fields = q.fields.empty() ? default_field == "*"
                                     : std::any_of(q.fields.begin(), q.fields.end(), [](const auto& f) { return f.first == "*"; });
  FieldBuilder builder(q, mapping, resolve_query_fields(mapping, q.fields, default_field), q.lenient.value_or(all_fields));
  SIFT_ASSIGN_OR_RETURN(auto root, parse_simple_query_string(q.query, q.flags, q.and_default, builder));
  if (!root) root = std::make_unique<MatchNoneQuery>();
  apply_minimum_should_match(root.get(), q.minimum_should_match);
  root->boost *= q.boost;
  return root;
}

}  // namespace sift::query
