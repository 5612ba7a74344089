#include "query/searcher.h"

#include "query/function_score.h"
#include "query/nested_sort.h"
#include "query/query_string.h"
#include "query/simple_query_string.h"
#include "query/segment_evaluator.h"
#include "query/similarity_scoring.h"
#include "query/sort_numeric.h"
#include "query/unsigned_long_query.h"
#include "query/weight.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "analyzers/analyzer.h"
#include "common/hash.h"
#include "common/time_util.h"
#include "index/date_format.h"
#include "index/numeric_codec.h"

namespace sift::query {

using index::FieldType;
using index::ReaderSegment;
using index::ResolvedField;

Result<DocScores> SegmentEvaluator::eval(const Query& q, const ReaderSegment& seg) {
  switch (q.kind) {
    case Query::Kind::kMatchAll:
      return all_docs(seg, q.boost);
    case Query::Kind::kMatchNone:
      return DocScores{};
    case Query::Kind::kTerm: {
      const auto& t = static_cast<const TermQuery&>(q);
      return eval_terms(t.field, {t.value}, q.boost, seg);
    }
    case Query::Kind::kTerms: {
      const auto& t = static_cast<const TermsQuery&>(q);
      if (t.lookup) return internal_error("terms lookup on [" + t.field + "] was not resolved before the search");
      SIFT_ASSIGN_OR_RETURN(DocScores d, eval_terms(t.field, t.values, q.boost, seg));
      std::fill(d.scores.begin(), d.scores.end(), q.boost);  // terms is a constant-score query
      return d;
    }
    case Query::Kind::kIds: {
      const auto& t = static_cast<const IdsQuery&>(q);
      DocScores out;
      for (const auto& id : t.ids) {
        auto it = seg.reader->postings("_id", id);
        for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) out.docs.push_back(d);
      }
      std::sort(out.docs.begin(), out.docs.end());
      out.docs.erase(std::unique(out.docs.begin(), out.docs.end()), out.docs.end());
      out.scores.assign(out.docs.size(), q.boost);
      return out;
    }
    case Query::Kind::kConstantScore: {
      const auto& c = static_cast<const ConstantScoreQuery&>(q);
      SIFT_ASSIGN_OR_RETURN(DocScores d, eval(*c.filter, seg));
      std::fill(d.scores.begin(), d.scores.end(), q.boost);
      return d;
    }
    case Query::Kind::kBool:
      return eval_bool(static_cast<const BoolQuery&>(q), seg);
    case Query::Kind::kMatch:
      return eval_match(static_cast<const MatchQuery&>(q), seg);
    case Query::Kind::kMatchPhrase:
      return eval_phrase(static_cast<const MatchPhraseQuery&>(q), seg);
    case Query::Kind::kMultiMatch:
      return eval_multi_match(static_cast<const MultiMatchQuery&>(q), seg);
    case Query::Kind::kDisMax:
      return eval_dis_max(static_cast<const DisMaxQuery&>(q), seg);
    case Query::Kind::kExists:
      return eval_exists(static_cast<const ExistsQuery&>(q), seg);
    case Query::Kind::kPrefix:
      return eval_prefix(static_cast<const PrefixQuery&>(q), seg);
    case Query::Kind::kWildcard:
      return eval_wildcard(static_cast<const WildcardQuery&>(q), seg);
    case Query::Kind::kRange:
      return eval_range(static_cast<const RangeQuery&>(q), seg);
    case Query::Kind::kQueryString: {
      auto& bound = bound_[&q];
      if (!bound) {
        SIFT_ASSIGN_OR_RETURN(bound, bind_query_string(static_cast<const QueryStringQuery&>(q), mapping_, "*"));
      }
      return eval(*bound, seg);
    }
    case Query::Kind::kFunctionScore:
      return eval_function_score(static_cast<const FunctionScoreQuery&>(q), seg);
    case Query::Kind::kBoosting:
      return eval_boosting(static_cast<const BoostingQuery&>(q), seg);
    case Query::Kind::kSimpleQueryString: {
      auto& bound = bound_[&q];
      if (!bound) {
        SIFT_ASSIGN_OR_RETURN(bound,
                              bind_simple_query_string(static_cast<const SimpleQueryStringQuery&>(q), mapping_, "*"));
      }
      return eval(*bound, seg);
    }
    case Query::Kind::kBlendedTerm:
      return eval_blended_term(static_cast<const BlendedTermQuery&>(q), seg);
    case Query::Kind::kFuzzy:
      return eval_fuzzy(static_cast<const FuzzyQuery&>(q), seg);
    case Query::Kind::kRegexp:
      return eval_regexp(static_cast<const RegexpQuery&>(q), seg);
    case Query::Kind::kNested:
      return eval_nested(static_cast<const NestedQuery&>(q), seg);
    case Query::Kind::kSynonym:
      return eval_synonym(static_cast<const SynonymQuery&>(q), seg);
    case Query::Kind::kMultiPhrase:
      return eval_multi_phrase(static_cast<const MultiPhraseQuery&>(q), seg);
    case Query::Kind::kSpan:
      return eval_span(static_cast<const SpanQuery&>(q), seg);
  }
  return DocScores{};
}


FieldStats shard_field_stats(const index::ShardSnapshot& snap, const std::string& field) {
  FieldStats s;
  for (const auto& seg : snap.segments) {
    if (const auto* fi = seg.reader->field(field)) {
      s.doc_count += fi->doc_count;
      s.sum_total_term_freq += fi->has_positions ? fi->sum_total_term_freq : fi->sum_doc_freq;
    }
  }
  return s;
}

uint64_t shard_doc_freq(const index::ShardSnapshot& snap, const std::string& field, const std::string& term) {
  uint64_t n = 0;
  for (const auto& seg : snap.segments) {
    if (auto ts = seg.reader->term_stats(field, term)) n += ts->doc_freq;
  }
  return n;
}

float bm25_idf(uint64_t doc_count, uint64_t df) {
  return static_cast<float>(std::log(1.0 + (static_cast<double>(doc_count) - static_cast<double>(df) + 0.5) /
                                                (static_cast<double>(df) + 0.5)));
}

FieldStats SegmentEvaluator::field_stats(const std::string& field) const { return shard_field_stats(snap_, field); }

uint64_t SegmentEvaluator::doc_freq(const std::string& field, const std::string& term) const {
  return shard_doc_freq(snap_, field, term);
}

float SegmentEvaluator::idf(uint64_t doc_count, uint64_t df) const { return bm25_idf(doc_count, df); }

DocScores SegmentEvaluator::term_scores(const std::string& field, const std::string& term, float boost,
                                        const ReaderSegment& seg, uint64_t doc_freq_override) const {
  DocScores out;
  const auto* fi = seg.reader->field(field);
  if (fi == nullptr) return out;
  FieldStats fs = field_stats(field);
  uint64_t n = doc_freq_override != 0 ? doc_freq_override : doc_freq(field, term);
  if (n == 0 || fs.doc_count == 0) return out;
  float avgdl = bm25_avgdl(fs);
  const index::Similarity& sim = mapping_.similarity(field);
  float weight = sim_weight(sim, boost, idf(fs.doc_count, n));
  const uint8_t* norms = fi->has_norms ? seg.reader->norms(field) : nullptr;
  auto it = seg.reader->postings(field, term);
  for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) {
    float dl = norms != nullptr ? static_cast<float>(index::decode_norm(norms[d])) : 1.0f;
    out.docs.push_back(d);
    out.scores.push_back(bm25_score(weight, static_cast<float>(it.freq()), sim_norm_inverse(sim, dl, avgdl)));
  }
  return out;
}

Result<DocScores> SegmentEvaluator::eval_terms(const std::string& field, const std::vector<Scalar>& values, float boost,
                                               const ReaderSegment& seg) const {
  std::string indexed_field = field;
  const ResolvedField* rf = mapping_.find(field);
  if (field != "_id" && (rf == nullptr || !rf->indexed)) return DocScores{};  // unmapped: no match
  std::vector<DocScores> per_term;
  for (const auto& v : values) {
    std::string term = v.text;
    if (rf != nullptr && field != "_id") {
      SIFT_ASSIGN_OR_RETURN(term, term_bytes_for(*rf, v));
    }
    per_term.push_back(term_scores(indexed_field, term, boost, seg));
  }
  DocScores out = combine_should(per_term, 1);
  if (rf != nullptr && is_point_type(rf->type)) std::fill(out.scores.begin(), out.scores.end(), boost);
  return out;
}

DocScores SegmentEvaluator::intersect(const DocScores& a, const DocScores& b, bool add_scores) {
  DocScores out;
  size_t i = 0, j = 0;
  while (i < a.docs.size() && j < b.docs.size()) {
    if (a.docs[i] < b.docs[j]) ++i;
    else if (a.docs[i] > b.docs[j]) ++j;
    else {
      out.docs.push_back(a.docs[i]);
      out.scores.push_back(add_scores ? a.scores[i] + b.scores[j] : a.scores[i]);
      ++i;
      ++j;
    }
  }
  return out;
}

DocScores SegmentEvaluator::combine_should(const std::vector<DocScores>& clauses, size_t min_should) {
  if (clauses.size() == 1 && min_should <= 1) return clauses[0];
  std::vector<std::pair<uint32_t, float>> all;
  for (const auto& c : clauses) {
    for (size_t k = 0; k < c.docs.size(); ++k) all.emplace_back(c.docs[k], c.scores[k]);
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  DocScores out;
  size_t count = 0;
  for (size_t k = 0; k < all.size(); ++k) {
    if (out.docs.empty() || out.docs.back() != all[k].first || count == SIZE_MAX) {
      if (!out.docs.empty() && count < min_should) {
        out.docs.pop_back();
        out.scores.pop_back();
      }
      out.docs.push_back(all[k].first);
      out.scores.push_back(all[k].second);
      count = 1;
    } else {
      out.scores.back() += all[k].second;
      ++count;
    }
  }
  if (!out.docs.empty() && count < min_should) {
    out.docs.pop_back();
    out.scores.pop_back();
  }
  return out;
}

DocScores SegmentEvaluator::dis_max(const std::vector<DocScores>& clauses, float tie_breaker) {
  std::vector<std::pair<uint32_t, float>> all;
  for (const auto& c : clauses) {
    for (size_t k = 0; k < c.docs.size(); ++k) all.emplace_back(c.docs[k], c.scores[k]);
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  DocScores out;
  float max = 0, sum = 0;
  for (size_t k = 0; k < all.size(); ++k) {
    if (out.docs.empty() || out.docs.back() != all[k].first) {
      if (!out.docs.empty()) out.scores.back() = max + tie_breaker * (sum - max);
      out.docs.push_back(all[k].first);
      out.scores.push_back(0);
      max = sum = all[k].second;
    } else {
      max = std::max(max, all[k].second);
      sum += all[k].second;
    }
  }
  if (!out.docs.empty()) out.scores.back() = max + tie_breaker * (sum - max);
  return out;
}

Result<DocScores> SegmentEvaluator::eval_bool(const BoolQuery& q, const ReaderSegment& seg) {
  bool have_required = false;
  DocScores acc;
  for (const auto& c : q.must) {
    SIFT_ASSIGN_OR_RETURN(DocScores d, eval(*c, seg));
    acc = have_required ? intersect(acc, d, true) : std::move(d);
    have_required = true;
  }
  for (const auto& c : q.filter) {
    SIFT_ASSIGN_OR_RETURN(DocScores d, eval(*c, seg));
    std::fill(d.scores.begin(), d.scores.end(), 0.0f);
    acc = have_required ? intersect(acc, d, true) : std::move(d);
    have_required = true;
  }
  // should: count matching clauses and sum their scores per doc.
  size_t min_should = 0;
  if (!q.should.empty()) {
    min_should = have_required ? 0 : 1;
    if (!q.minimum_should_match.empty()) min_should = resolve_msm(q.minimum_should_match, q.should.size());
    // A minimum that resolves to 0 sets none (OpenSearch's applyMinimumShouldMatch): without
    // required clauses the should clauses still need one match.
    if (!have_required) min_should = std::max<size_t>(min_should, 1);
  }
  if (!q.should.empty()) {
    std::vector<std::tuple<uint32_t, float>> all;
    for (const auto& c : q.should) {
      SIFT_ASSIGN_OR_RETURN(DocScores d, eval(*c, seg));
      for (size_t k = 0; k < d.docs.size(); ++k) all.emplace_back(d.docs[k], d.scores[k]);
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
    DocScores should;
    std::vector<uint32_t> counts;
    for (const auto& [d, s] : all) {
      if (!should.docs.empty() && should.docs.back() == d) {
        should.scores.back() += s;
        ++counts.back();
      } else {
        should.docs.push_back(d);
        should.scores.push_back(s);
        counts.push_back(1);
      }
    }
    if (min_should > 0) {
      DocScores kept;
      for (size_t k = 0; k < should.docs.size(); ++k) {
        if (counts[k] >= min_should) {
          kept.docs.push_back(should.docs[k]);
          kept.scores.push_back(should.scores[k]);
        }
      }
      should = std::move(kept);
      acc = have_required ? intersect(acc, should, true) : std::move(should);
      have_required = true;
    } else if (have_required) {
      // Optional clauses only add to the score of docs that already match.
      size_t j = 0;
      for (size_t i = 0; i < acc.docs.size(); ++i) {
        while (j < should.docs.size() && should.docs[j] < acc.docs[i]) ++j;
        if (j < should.docs.size() && should.docs[j] == acc.docs[i]) acc.scores[i] += should.scores[j];
      }
    }
  }
  if (!have_required) {
    // Only must_not clauses: everything else matches (with score 0 as in Lucene's pure negatives).
    MatchAllQuery all;
    SIFT_ASSIGN_OR_RETURN(acc, eval(all, seg));
    std::fill(acc.scores.begin(), acc.scores.end(), 0.0f);
  }
  for (const auto& c : q.must_not) {
    SIFT_ASSIGN_OR_RETURN(DocScores d, eval(*c, seg));
    DocScores kept;
    size_t j = 0;
    for (size_t i = 0; i < acc.docs.size(); ++i) {
      while (j < d.docs.size() && d.docs[j] < acc.docs[i]) ++j;
      if (j < d.docs.size() && d.docs[j] == acc.docs[i]) continue;
      kept.docs.push_back(acc.docs[i]);
      kept.scores.push_back(acc.scores[i]);
    }
    acc = std::move(kept);
  }
  if (q.boost != 1.0f) {
    for (auto& s : acc.scores) s *= q.boost;
  }
  return acc;
}


size_t SegmentEvaluator::resolve_msm(const std::string& spec, size_t clauses) {
  long n = static_cast<long>(clauses);
  long v = 0;
  if (!spec.empty() && spec.back() == '%') {
    long pct = std::atol(spec.substr(0, spec.size() - 1).c_str());
    v = pct >= 0 ? n * pct / 100 : n - (n * -pct / 100);
  } else {
    long x = std::atol(spec.c_str());
    v = x >= 0 ? x : n + x;
  }
  return static_cast<size_t>(std::clamp(v, 0L, n));
}


Result<std::string> term_bytes_for(const ResolvedField& field, const Scalar& value) {
  auto bad = [&](const std::string& why) {
    return Status(Code::kInvalidArgument, "query_shard_exception",
                  "failed to create query: " + why);
  };
  switch (field.type) {
    case FieldType::kKeyword:  // a normalizer applies to query values as to indexed ones
      return field.normalizer != nullptr ? field.normalizer->normalize(value.text) : value.text;
    case FieldType::kText:
      return value.text;
    case FieldType::kLong:
    case FieldType::kInteger:
    case FieldType::kShort:
    case FieldType::kByte:
    case FieldType::kScaledFloat: {
      if (value.kind == Scalar::Kind::kInteger) return index::encode_sortable_term(value.integer);
      try {
        size_t used = 0;
        long long v = std::stoll(value.text, &used);
        if (used == value.text.size()) return index::encode_sortable_term(v);
      } catch (...) {
      }
      return bad("For input string: \"" + value.text + "\"");
    }
    case FieldType::kDouble:
    case FieldType::kFloat:
    case FieldType::kHalfFloat: {
      double d = value.number;
      if (value.kind == Scalar::Kind::kString || value.kind == Scalar::Kind::kBool) {
        try {
          size_t used = 0;
          d = std::stod(value.text, &used);
          if (used != value.text.size()) return bad("For input string: \"" + value.text + "\"");
        } catch (...) {
          return bad("For input string: \"" + value.text + "\"");
        }
      }
      if (field.type != FieldType::kDouble) d = static_cast<double>(static_cast<float>(d));
      return index::encode_sortable_term(index::double_to_sortable(d));
    }
    case FieldType::kUnsignedLong:
      return unsigned_long_term_bytes(value);  // unsigned_long_query.h
    case FieldType::kDate:
    case FieldType::kDateNanos: {  // epoch milliseconds, date_nanos epoch nanoseconds (mapping.h)
      const index::DateFormatter* fmt = &index::DateFormatter::default_formatter();
      index::DateFormatter custom;
      if (field.mapping != nullptr && field.mapping->format) {
        auto f = index::DateFormatter::create(*field.mapping->format);
        if (f.is_ok()) {
          custom = std::move(f).value();
          fmt = &custom;
        }
      }
      if (index::is_nanos(field.type)) {  // a number is epoch_millis; clamped to the range as OpenSearch
        if (value.kind == Scalar::Kind::kInteger) return index::encode_sortable_term(index::clamp_millis_to_nanos(value.integer));
        SIFT_ASSIGN_OR_RETURN(index::DateInstant t, fmt->parse_instant(value.text));
        return index::encode_sortable_term(index::clamp_to_nanos(t));
      }
      if (value.kind == Scalar::Kind::kInteger) return index::encode_sortable_term(value.integer);
      SIFT_ASSIGN_OR_RETURN(int64_t ms, fmt->parse(value.text));
      return index::encode_sortable_term(ms);
    }
    case FieldType::kBoolean:
      if (value.text == "true") return std::string("T");
      if (value.text == "false") return std::string("F");
      return bad("Can't parse boolean value [" + value.text + "], expected [true] or [false]");
    case FieldType::kIp:
      return bad("term queries on ip fields come with the search issue");
    case FieldType::kObject:
    case FieldType::kNested:
      return bad("field [" + field.path + "] is an object");
  }
  return value.text;
}

Result<std::vector<SortKey>> resolve_sort(const std::vector<SortSpec>& specs, const index::Mapping& mapping) {
  std::vector<SortKey> keys;
  for (const auto& spec : specs) {
    SortKey k;
    k.field = spec.field;
    k.descending = spec.descending;
    k.use_max = spec.mode.empty() ? spec.descending : spec.mode == "max";
    if (spec.field == "_score") {
      k.type = SortKey::Type::kScore;
    } else if (spec.field == "_doc") {
      k.type = SortKey::Type::kDoc;
    } else {
      const ResolvedField* rf = mapping.find(spec.field);
      if (rf == nullptr) {
        if (spec.unmapped_type.empty()) {
          return Status(Code::kInvalidArgument, "query_shard_exception",
                        "No mapping found for [" + spec.field + "] in order to sort on");
        }
        k.type = SortKey::Type::kUnmapped;
      } else {
        switch (rf->type) {
          case FieldType::kText:
            return invalid_argument(
                "Text fields are not optimised for operations that require per-document field data like "
                "aggregations and sorting, so these operations are disabled by default. Please use a keyword "
                "field instead. Alternatively, set fielddata=true on [" + spec.field +
                "] in order to load field data by uninverting the inverted index. Note that this can use "
                "significant memory.");
          case FieldType::kKeyword:
          case FieldType::kBoolean:
          case FieldType::kIp:
            k.type = SortKey::Type::kString;
            break;
          case FieldType::kDouble:
          case FieldType::kFloat:
          case FieldType::kHalfFloat:
            k.type = SortKey::Type::kDouble;
            break;
          case FieldType::kObject:
          case FieldType::kNested:
            return invalid_argument("can't sort on an object field [" + spec.field + "]");
          default:
            k.type = SortKey::Type::kLong;
        }
        if (!rf->doc_values) {
          return invalid_argument("Can't load fielddata on [" + spec.field +
                                  "] because fielddata is unsupported on fields of type [" +
                                  index::field_type_name(rf->type) + "]. Use doc values instead.");
        }
        SIFT_RETURN_IF_ERROR(bind_numeric_sort(spec, *rf, &k));  // sort_numeric.h
        if (spec.mode == "avg" || spec.mode == "sum" || spec.mode == "median") {
          if (k.type != SortKey::Type::kLong && k.type != SortKey::Type::kDouble) {
            return invalid_argument(k.type == SortKey::Type::kUnsignedLong
                                        ? "sort mode [" + spec.mode + "] is not supported on unsigned_long fields"
                                        : std::string("we only support AVG, MEDIAN and SUM on number based fields"));
          }
          k.reduce = spec.mode == "avg" ? SortKey::Reduce::kAvg
                     : spec.mode == "sum" ? SortKey::Reduce::kSum
                                          : SortKey::Reduce::kMedian;
        }
        SIFT_RETURN_IF_ERROR(bind_nested_sort(spec, *rf, mapping, &k));  // nested_sort.cpp
      }
    }
    if (spec.missing == "_first") {
      k.missing_first = true;
    } else if (!spec.missing.empty() && spec.missing != "_last") {
      SortValue mv;
      if (k.type == SortKey::Type::kString || k.type == SortKey::Type::kUnmapped) {
        mv.kind = SortValue::Kind::kString;
        mv.s = spec.missing;
      } else {
        SIFT_ASSIGN_OR_RETURN(mv, numeric_missing_value(spec.missing, k));
      }
      k.missing_value = mv;
    }
    keys.push_back(std::move(k));
  }
  return keys;
}

int compare_sort_values(const std::vector<SortValue>& a, const std::vector<SortValue>& b,
                        const std::vector<SortKey>& keys) {
  for (size_t i = 0; i < keys.size() && i < a.size() && i < b.size(); ++i) {
    const SortValue &x = a[i], &y = b[i];
    bool xm = x.kind == SortValue::Kind::kMissing, ym = y.kind == SortValue::Kind::kMissing;
    if (xm || ym) {
      if (xm && ym) continue;
      // Missing values go last (or first) whatever the order.
      return (xm ? 1 : -1) * (keys[i].missing_first ? -1 : 1);
    }
    int c = 0;
    if (x.kind == SortValue::Kind::kString || y.kind == SortValue::Kind::kString) {
      c = x.s < y.s ? -1 : x.s > y.s ? 1 : 0;
    } else if (x.kind == SortValue::Kind::kLong && y.kind == SortValue::Kind::kLong) {
      c = x.l < y.l ? -1 : x.l > y.l ? 1 : 0;
    } else {
      c = compare_numeric_sort_values(x, y);  // doubles, unsigned_long (sort_numeric.h)
    }
    if (c != 0) return keys[i].descending ? -c : c;
  }
  return 0;
}

namespace {

// The sort values of one document (doc values read per hit; the search issue moves this to blocks).
// `nested_docs[k]` holds the nested docs key k reads in this segment (nested_sort.h).
class SortValueReader {
 public:
  SortValueReader(const std::vector<SortKey>& keys, const std::vector<std::vector<uint32_t>>* nested_docs)
      : keys_(keys), nested_docs_(nested_docs) {}

  void read(const index::ReaderSegment& seg, uint32_t doc, uint64_t shard_doc, float score,
            std::vector<SortValue>* out) {
    out->clear();
    for (size_t i = 0; i < keys_.size(); ++i) {
      const SortKey& k = keys_[i];
      SortValue v;
      switch (k.type) {
        case SortKey::Type::kScore:
          v.kind = SortValue::Kind::kDouble;
          v.d = score;
          break;
        case SortKey::Type::kDoc:
          v.kind = SortValue::Kind::kLong;
          v.l = static_cast<int64_t>(shard_doc);
          break;
        case SortKey::Type::kLong:
        case SortKey::Type::kDouble:
        case SortKey::Type::kUnsignedLong:
          numeric(seg, k, children(seg, i, doc), doc, &v);
          if (v.kind != SortValue::Kind::kMissing && k.cast != SortKey::Cast::kNone) cast_sort_value(k, &v);
          break;
        case SortKey::Type::kString:
          string(seg, k, children(seg, i, doc), doc, &v);
          break;
        case SortKey::Type::kUnmapped:
          break;
      }
      if (v.kind == SortValue::Kind::kMissing && k.missing_value) v = *k.missing_value;
      out->push_back(std::move(v));
    }
  }

 private:
  // The docs whose values key `i` reads for `doc`: the doc itself, or its nested children.
  std::span<const uint32_t> children(const index::ReaderSegment& seg, size_t i, uint32_t doc) {
    if (keys_[i].nested.empty()) {
      self_ = doc;
      return {&self_, 1};
    }
    return nested_sort_children(seg, (*nested_docs_)[i], doc);
  }

  // min/max/sum/avg over the values of `docs` (up to max_children docs with values), median of one
  // doc's values; as OpenSearch's MultiValueMode (a long average rounds half up).
  void numeric(const index::ReaderSegment& seg, const SortKey& k, std::span<const uint32_t> docs, uint32_t doc,
               SortValue* v) {
    const bool is_double = k.type == SortKey::Type::kDouble;
    const int64_t max_children = k.nested.empty() ? INT64_MAX : k.nested.back().max_children;
    int64_t with_values = 0, count = 0, long_sum = 0, picked = 0;
    double double_sum = 0;
    for (uint32_t d : docs) {
      seg.reader->numeric_values(k.field, d, &nums_);
      if (nums_.empty()) continue;
      if (++with_values > max_children) break;
      if (k.reduce == SortKey::Reduce::kPick) {
        int64_t raw = k.use_max ? nums_.back() : nums_.front();
        if (count == 0 || (k.use_max ? raw > picked : raw < picked)) picked = raw;  // sortable order
        ++count;
        continue;
      }
      if (k.reduce == SortKey::Reduce::kMedian) {  // never nested (bind_nested_sort)
        median(k, is_double, v);
        return;
      }
      for (int64_t raw : nums_) {
        if (is_double) double_sum += index::sortable_to_double(raw);
        else long_sum += raw;  // wraps as Java's long sum does
      }
      count += static_cast<int64_t>(nums_.size());
    }
    (void)doc;
    if (count == 0) return;
    if (k.reduce == SortKey::Reduce::kPick) {
      if (is_double) {
        v->kind = SortValue::Kind::kDouble;
        v->d = index::sortable_to_double(picked);
      } else {
        v->kind = k.type == SortKey::Type::kUnsignedLong ? SortValue::Kind::kUnsignedLong : SortValue::Kind::kLong;
        v->l = picked;
      }
      return;
    }
    if (is_double) {
      v->kind = SortValue::Kind::kDouble;
      v->d = k.reduce == SortKey::Reduce::kAvg ? double_sum / static_cast<double>(count) : double_sum;
    } else {
      v->kind = SortValue::Kind::kLong;
      v->l = k.reduce == SortKey::Reduce::kAvg
                 ? static_cast<int64_t>(std::floor(static_cast<double>(long_sum) / static_cast<double>(count) + 0.5))
                 : long_sum;
    }
  }

  void median(const SortKey& k, bool is_double, SortValue* v) {
    const size_t n = nums_.size();  // sorted
    if (is_double) {
      v->kind = SortValue::Kind::kDouble;
      v->d = n % 2 == 1 ? index::sortable_to_double(nums_[n / 2])
                        : (index::sortable_to_double(nums_[n / 2 - 1]) + index::sortable_to_double(nums_[n / 2])) / 2;
    } else {
      (void)k;
      v->kind = SortValue::Kind::kLong;
      v->l = n % 2 == 1 ? nums_[n / 2]
                        : static_cast<int64_t>(std::floor(
                              (static_cast<double>(nums_[n / 2 - 1]) + static_cast<double>(nums_[n / 2])) / 2 + 0.5));
    }
  }

  void string(const index::ReaderSegment& seg, const SortKey& k, std::span<const uint32_t> docs, uint32_t doc,
              SortValue* v) {
    (void)doc;
    const int64_t max_children = k.nested.empty() ? INT64_MAX : k.nested.back().max_children;
    int64_t with_values = 0;
    for (uint32_t d : docs) {
      seg.reader->term_values(k.field, d, &strs_);
      if (strs_.empty()) continue;
      if (++with_values > max_children) break;
      const std::string& s = k.use_max ? *std::max_element(strs_.begin(), strs_.end())
                                       : *std::min_element(strs_.begin(), strs_.end());
      if (v->kind == SortValue::Kind::kMissing || (k.use_max ? s > v->s : s < v->s)) {
        v->kind = SortValue::Kind::kString;
        v->s = s;
      }
    }
  }

  const std::vector<SortKey>& keys_;
  const std::vector<std::vector<uint32_t>>* nested_docs_;
  uint32_t self_ = 0;
  std::vector<int64_t> nums_;
  std::vector<std::string> strs_;
};

}  // namespace

namespace {

// indices_boost as OpenSearch applies it: a weight function around the query, in double.
float boosted_score(float score, float boost) {
  return static_cast<float>(static_cast<double>(score) * static_cast<double>(boost));
}

}  // namespace

namespace {

// The docs of one segment in a slice: those whose _id hashes to `id` modulo `max`.
DocScores slice_docs(const ReaderSegment& seg, uint32_t id, uint32_t max) {
  constexpr uint32_t kSliceSeed = 7919;
  DocScores out;
  for (const std::string& term : seg.reader->terms_from("_id", "", SIZE_MAX)) {
    auto h = static_cast<int32_t>(murmur3_32(term, kSliceSeed));
    auto bucket = static_cast<uint32_t>(((h % static_cast<int64_t>(max)) + max) % max);
    if (bucket != id) continue;
    auto it = seg.reader->postings("_id", term);
    for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) out.docs.push_back(d);
  }
  std::sort(out.docs.begin(), out.docs.end());
  out.scores.assign(out.docs.size(), 0.0f);
  return out;
}

}  // namespace

Result<ShardSearchResult> search_shard(const index::ShardSnapshot& snapshot, const index::Mapping& mapping,
                                       const Query* query, const ShardSearchOptions& options) {
  ShardSearchResult result;
  MatchAllQuery match_all;
  const Query& q = query != nullptr ? *query : match_all;
  SIFT_RETURN_IF_ERROR(check_nested_queries(q, mapping));
  // Score-ordered searches of the covered shapes run on the block scorers (weight.h).
  if (options.sort.empty() && !options.by_doc && options.filter == nullptr && !options.has_min_score &&
      options.terminate_after == 0 && !options.exhaustive && options.slice_max == 0 && options.score_boost > 0) {
    SIFT_ASSIGN_OR_RETURN(std::optional<Weight> weight, Weight::bind(q, snapshot, mapping));
    if (weight) {
      uint64_t threshold = options.track_total_hits < 0 ? 0 : static_cast<uint64_t>(options.track_total_hits);
      TopCollector top(options.top_n, threshold);
      top.set_deadline(options.deadline_nanos);
      for (uint32_t s = 0; s < snapshot.segments.size() && !top.done(); ++s) {
        weight->search_segment(snapshot.segments[s], s, options.top_n > 0, &top);
      }
      result.timed_out = top.timed_out();
      result.total_hits = top.total();
      result.top = top.take_sorted();
      if (options.score_boost != 1.0f) {  // a positive factor keeps the order
        for (auto& h : result.top) h.score = boosted_score(h.score, options.score_boost);
      }
      if (!result.top.empty()) {
        result.max_score = result.top.front().score;
        result.has_max_score = true;
      }
      return result;
    }
  }
  SegmentEvaluator eval(snapshot, mapping);
  eval.set_max_regex_length(options.max_regex_length);
  std::vector<ShardHit> candidates;
  bool nested_sort = false;
  for (const SortKey& k : options.sort) nested_sort = nested_sort || !k.nested.empty();
  std::vector<std::vector<uint32_t>> nested_docs;  // per key, this segment's docs (nested_sort.h)
  SortValueReader sort_values(options.sort, &nested_docs);
  auto by_keys = [&](const ShardHit& a, const ShardHit& b) {
    int c = compare_sort_values(a.sort_values, b.sort_values, options.sort);
    if (c != 0) return c < 0;
    return a.segment != b.segment ? a.segment < b.segment : a.doc < b.doc;
  };
  uint64_t limit = options.terminate_after > 0 ? static_cast<uint64_t>(options.terminate_after) : UINT64_MAX;
  auto past_deadline = [&] {
    return options.deadline_nanos != 0 && monotonic_nanos() >= options.deadline_nanos;
  };
  for (uint32_t s = 0; s < snapshot.segments.size() && !result.terminated_early && !result.timed_out; ++s) {
    if (past_deadline()) {
      result.timed_out = true;
      break;
    }
    const auto& seg = snapshot.segments[s];
    SIFT_ASSIGN_OR_RETURN(DocScores d, eval.eval(q, seg));
    if (options.score_boost != 1.0f) {
      for (auto& sc : d.scores) sc = boosted_score(sc, options.score_boost);
    }
    if (options.filter != nullptr) {
      SIFT_ASSIGN_OR_RETURN(DocScores f, eval.eval(*options.filter, seg));
      d = SegmentEvaluator::intersect(d, f, false);
    }
    if (options.slice_max > 0) d = SegmentEvaluator::intersect(d, slice_docs(seg, options.slice_id, options.slice_max), false);
    if (nested_sort) {
      SIFT_ASSIGN_OR_RETURN(nested_docs, nested_sort_docs(eval, seg, options.sort));
    }
    for (size_t k = 0; k < d.docs.size(); ++k) {
      if ((k & 4095) == 4095 && past_deadline()) {
        result.timed_out = true;
        break;
      }
      if (seg.live && seg.live->is_deleted(d.docs[k])) continue;
      if (options.has_min_score && d.scores[k] < options.min_score) continue;
      if (result.total_hits >= limit) {
        result.terminated_early = true;
        break;
      }
      ++result.total_hits;
      if (!result.has_max_score || d.scores[k] > result.max_score) result.max_score = d.scores[k];
      result.has_max_score = true;
      if (!options.sort.empty()) {
        ShardHit hit{s, d.docs[k], d.scores[k], {}};
        sort_values.read(seg, d.docs[k], seg.base + static_cast<uint64_t>(d.docs[k]), d.scores[k], &hit.sort_values);
        if (!options.search_after.empty() &&
            compare_sort_values(hit.sort_values, options.search_after, options.sort) <= 0) {
          continue;
        }
        candidates.push_back(std::move(hit));
        if (candidates.size() >= options.top_n * 2 + 1024) {
          std::nth_element(candidates.begin(), candidates.begin() + static_cast<long>(options.top_n), candidates.end(),
                           by_keys);
          candidates.resize(options.top_n);
        }
      } else if (options.by_doc) {
        if (candidates.size() < options.top_n) candidates.push_back({s, d.docs[k], d.scores[k], {}});
      } else if (options.top_n > 0) {  // counting only (size 0): no candidates to rank
        candidates.push_back({s, d.docs[k], d.scores[k], {}});
        if (candidates.size() >= options.top_n * 2 + 1024) {
          auto cmp = [](const ShardHit& a, const ShardHit& b) {
            return a.score != b.score ? a.score > b.score : (a.segment != b.segment ? a.segment < b.segment : a.doc < b.doc);
          };
          std::nth_element(candidates.begin(), candidates.begin() + static_cast<long>(options.top_n), candidates.end(), cmp);
          candidates.resize(options.top_n);
        }
      }
    }
  }
  if (!options.sort.empty()) {
    std::sort(candidates.begin(), candidates.end(), by_keys);
    if (candidates.size() > options.top_n) candidates.resize(options.top_n);
  } else if (!options.by_doc) {
    auto cmp = [](const ShardHit& a, const ShardHit& b) {
      return a.score != b.score ? a.score > b.score : (a.segment != b.segment ? a.segment < b.segment : a.doc < b.doc);
    };
    std::sort(candidates.begin(), candidates.end(), cmp);
    if (candidates.size() > options.top_n) candidates.resize(options.top_n);
  }
  result.top = std::move(candidates);
  if (options.top_n == 0) result.has_max_score = false;  // nothing was scored for hits (max_score null)
  return result;
}

}  // namespace sift::query
