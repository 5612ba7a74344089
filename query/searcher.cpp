#include "query/searcher.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "index/date_format.h"
#include "index/numeric_codec.h"

namespace sift::query {
namespace {

using index::ReaderSegment;
using index::ResolvedField;
using index::FieldType;

// Matches of one clause within one segment: ascending doc ids with their scores.
struct DocScores {
  std::vector<uint32_t> docs;
  std::vector<float> scores;
};

constexpr float kK1 = 1.2f;
constexpr float kB = 0.75f;

// Shard-wide statistics for one field, as Lucene's CollectionStatistics.
struct FieldStats {
  uint64_t doc_count = 0;
  uint64_t sum_total_term_freq = 0;
};

class SegmentEvaluator {
 public:
  SegmentEvaluator(const index::ShardSnapshot& snap, const index::Mapping& mapping)
      : snap_(snap), mapping_(mapping) {}

  Result<DocScores> eval(const Query& q, const ReaderSegment& seg) {
    switch (q.kind) {
      case Query::Kind::kMatchAll: {
        DocScores out;
        out.docs.resize(seg.reader->max_doc());
        std::iota(out.docs.begin(), out.docs.end(), 0u);
        out.scores.assign(out.docs.size(), q.boost);
        return out;
      }
      case Query::Kind::kMatchNone:
        return DocScores{};
      case Query::Kind::kTerm: {
        const auto& t = static_cast<const TermQuery&>(q);
        return eval_terms(t.field, {t.value}, q.boost, seg);
      }
      case Query::Kind::kTerms: {
        const auto& t = static_cast<const TermsQuery&>(q);
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
    }
    return DocScores{};
  }

 private:
  FieldStats field_stats(const std::string& field) {
    FieldStats s;
    for (const auto& seg : snap_.segments) {
      if (const auto* fi = seg.reader->field(field)) {
        s.doc_count += fi->doc_count;
        s.sum_total_term_freq += fi->has_positions ? fi->sum_total_term_freq : fi->sum_doc_freq;
      }
    }
    return s;
  }

  uint64_t doc_freq(const std::string& field, const std::string& term) {
    uint64_t n = 0;
    for (const auto& seg : snap_.segments) {
      if (auto ts = seg.reader->term_stats(field, term)) n += ts->doc_freq;
    }
    return n;
  }

  Result<DocScores> eval_terms(const std::string& field, const std::vector<Scalar>& values, float boost,
                               const ReaderSegment& seg) {
    DocScores out;
    std::string indexed_field = field;
    const ResolvedField* rf = mapping_.find(field);
    if (field == "_id") {
      indexed_field = "_id";
    } else if (rf == nullptr || !rf->indexed) {
      return out;  // unmapped fields match nothing, as in OpenSearch
    }
    FieldStats fs = field_stats(indexed_field);
    const auto* fi = seg.reader->field(indexed_field);
    if (fi == nullptr || fs.doc_count == 0) return out;
    float avgdl = static_cast<float>(static_cast<double>(fs.sum_total_term_freq) / static_cast<double>(fs.doc_count));
    std::vector<std::pair<uint32_t, float>> hits;
    for (const auto& v : values) {
      std::string term;
      if (rf != nullptr && field != "_id") {
        SIFT_ASSIGN_OR_RETURN(term, term_bytes_for(*rf, v));
      } else {
        term = v.text;
      }
      uint64_t n = doc_freq(indexed_field, term);
      if (n == 0) continue;
      float idf = static_cast<float>(std::log(1.0 + (static_cast<double>(fs.doc_count) - static_cast<double>(n) + 0.5) /
                                                        (static_cast<double>(n) + 0.5)));
      float weight = boost * idf;
      auto it = seg.reader->postings(indexed_field, term);
      for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) {
        float dl = fi->has_norms ? static_cast<float>(index::decode_norm(seg.reader->norm(indexed_field, d))) : 1.0f;
        float norm_inverse = 1.0f / (kK1 * ((1 - kB) + kB * dl / avgdl));
        float freq = static_cast<float>(it.freq());
        hits.emplace_back(d, weight - weight / (1.0f + freq * norm_inverse));
      }
    }
    std::sort(hits.begin(), hits.end());
    for (auto& [d, s] : hits) {
      if (!out.docs.empty() && out.docs.back() == d) {
        out.scores.back() += s;
      } else {
        out.docs.push_back(d);
        out.scores.push_back(s);
      }
    }
    return out;
  }

 public:
  static DocScores intersect(const DocScores& a, const DocScores& b, bool add_scores) {
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

 private:
  Result<DocScores> eval_bool(const BoolQuery& q, const ReaderSegment& seg) {
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

  static size_t resolve_msm(const std::string& spec, size_t clauses) {
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

  const index::ShardSnapshot& snap_;
  const index::Mapping& mapping_;
};

}  // namespace

Result<std::string> term_bytes_for(const ResolvedField& field, const Scalar& value) {
  auto bad = [&](const std::string& why) {
    return Status(Code::kInvalidArgument, "query_shard_exception",
                  "failed to create query: " + why);
  };
  switch (field.type) {
    case FieldType::kKeyword:
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
    case FieldType::kDate:
    case FieldType::kDateNanos: {  // both hold epoch milliseconds (see mapping.h)
      const index::DateFormatter* fmt = &index::DateFormatter::default_formatter();
      index::DateFormatter custom;
      if (field.mapping != nullptr && field.mapping->format) {
        auto f = index::DateFormatter::create(*field.mapping->format);
        if (f.is_ok()) {
          custom = std::move(f).value();
          fmt = &custom;
        }
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

Result<ShardSearchResult> search_shard(const index::ShardSnapshot& snapshot, const index::Mapping& mapping,
                                       const Query* query, const ShardSearchOptions& options) {
  ShardSearchResult result;
  MatchAllQuery match_all;
  const Query& q = query != nullptr ? *query : match_all;
  SegmentEvaluator eval(snapshot, mapping);
  std::vector<ShardHit> candidates;
  uint64_t limit = options.terminate_after > 0 ? static_cast<uint64_t>(options.terminate_after) : UINT64_MAX;
  for (uint32_t s = 0; s < snapshot.segments.size() && !result.terminated_early; ++s) {
    const auto& seg = snapshot.segments[s];
    SIFT_ASSIGN_OR_RETURN(DocScores d, eval.eval(q, seg));
    if (options.filter != nullptr) {
      SIFT_ASSIGN_OR_RETURN(DocScores f, eval.eval(*options.filter, seg));
      d = SegmentEvaluator::intersect(d, f, false);
    }
    for (size_t k = 0; k < d.docs.size(); ++k) {
      if (seg.live && seg.live->is_deleted(d.docs[k])) continue;
      if (options.has_min_score && d.scores[k] < options.min_score) continue;
      if (result.total_hits >= limit) {
        result.terminated_early = true;
        break;
      }
      ++result.total_hits;
      if (!result.has_max_score || d.scores[k] > result.max_score) result.max_score = d.scores[k];
      result.has_max_score = true;
      if (options.by_doc) {
        if (candidates.size() < options.top_n) candidates.push_back({s, d.docs[k], d.scores[k]});
      } else {
        candidates.push_back({s, d.docs[k], d.scores[k]});
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
  if (!options.by_doc) {
    auto cmp = [](const ShardHit& a, const ShardHit& b) {
      return a.score != b.score ? a.score > b.score : (a.segment != b.segment ? a.segment < b.segment : a.doc < b.doc);
    };
    std::sort(candidates.begin(), candidates.end(), cmp);
    if (candidates.size() > options.top_n) candidates.resize(options.top_n);
  }
  result.top = std::move(candidates);
  return result;
}

}  // namespace sift::query
