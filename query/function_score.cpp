// function_score and boosting in the per-segment evaluator: the query's matches are walked once
// in doc order beside each function filter's matches, and every live match is re-scored from its
// doc values with OpenSearch's arithmetic (function values in double, the final score in float).
#include "query/function_score.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include "common/json_writer.h"
#include "common/time_util.h"
#include "index/numeric_codec.h"
#include "query/segment_evaluator.h"

namespace sift::query {
namespace {

using Source = BoundScoreFunction::Source;

// Java's Math.min/max: NaN wins.
double java_min(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b); }
double java_max(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b); }

uint64_t mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double low24(uint64_t h) { return static_cast<double>(h & 0xFFFFFFu) / static_cast<double>(1u << 24); }

double select(MultiValueMode mode, const std::vector<double>& sorted) {
  size_t n = sorted.size();
  switch (mode) {
    case MultiValueMode::kMin: return sorted.front();
    case MultiValueMode::kMax: return sorted.back();
    case MultiValueMode::kMedian:
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    case MultiValueMode::kSum:
    case MultiValueMode::kAvg: {
      double sum = 0;
      for (double d : sorted) sum += d;
      return mode == MultiValueMode::kSum ? sum : sum / static_cast<double>(n);
    }
  }
  return sorted.front();
}

std::string java_float_text(float f) {
  if (std::isnan(f) || std::isinf(f)) return java_double_text(f);
  return format_float(f);
}

}  // namespace

std::string java_double_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  double a = std::fabs(v);
  char buf[64];
  if (v == 0 || (a >= 1e-3 && a < 1e7)) {
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    std::string s(buf, r.ptr);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, r.ptr);  // 1.5e+10 -> 1.5E10, 1e-05 -> 1.0E-5
  size_t e = s.find('e');
  std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  bool negative = exponent[0] == '-';
  size_t digits = exponent.find_first_not_of("+-0");
  return mantissa + "E" + (negative ? "-" : "") + (digits == std::string::npos ? "0" : exponent.substr(digits));
}

double apply_modifier(FieldValueModifier m, double n) {
  switch (m) {
    case FieldValueModifier::kNone: return n;
    case FieldValueModifier::kLog: return std::log10(n);
    case FieldValueModifier::kLog1p: return std::log10(n + 1);
    case FieldValueModifier::kLog2p: return std::log10(n + 2);
    case FieldValueModifier::kLn: return std::log(n);
    case FieldValueModifier::kLn1p: return std::log1p(n);
    case FieldValueModifier::kLn2p: return std::log1p(n + 1);
    case FieldValueModifier::kSquare: return std::pow(n, 2);
    case FieldValueModifier::kSqrt: return std::sqrt(n);
    case FieldValueModifier::kReciprocal: return 1.0 / n;
  }
  return n;
}

double evaluate_decay(DecayShape shape, double distance, double scale) {
  switch (shape) {
    case DecayShape::kGauss: return std::exp(0.5 * std::pow(distance, 2.0) / scale);
    case DecayShape::kLinear: return std::max(0.0, (scale - distance) / scale);
    case DecayShape::kExp: return std::exp(scale * distance);
  }
  return 1;
}

double random_score_of(std::string_view value, int32_t seed) {
  uint64_t h = 0xcbf29ce484222325ULL ^ mix64(static_cast<uint32_t>(seed));
  for (unsigned char c : value) h = (h ^ c) * 0x100000001b3ULL;
  return low24(mix64(h));
}

double random_score_of_doc(uint64_t doc, int32_t seed) {
  return low24(mix64(doc ^ (static_cast<uint64_t>(static_cast<uint32_t>(seed)) << 32)));
}

double combine_functions(const BoundFunctionScore& bound, const double* values, const bool* applies) {
  size_t n = bound.functions.size();
  double factor = 1;
  switch (bound.mode) {
    case FunctionScoreMode::kFirst:
      for (size_t i = 0; i < n; ++i) {
        if (applies[i]) return values[i];
      }
      return factor;
    case FunctionScoreMode::kMax:
    case FunctionScoreMode::kMin: {
      bool max = bound.mode == FunctionScoreMode::kMax;
      double best = max ? -INFINITY : INFINITY;
      for (size_t i = 0; i < n; ++i) {
        if (applies[i]) best = max ? java_max(values[i], best) : java_min(values[i], best);
      }
      return best == (max ? -INFINITY : INFINITY) ? factor : best;  // none applied: 1
    }
    case FunctionScoreMode::kMultiply:
      for (size_t i = 0; i < n; ++i) {
        if (applies[i]) factor *= values[i];
      }
      return factor;
    case FunctionScoreMode::kSum:
    case FunctionScoreMode::kAvg: {
      double total = 0, weights = 0;
      for (size_t i = 0; i < n; ++i) {
        if (!applies[i]) continue;
        total += values[i];
        weights += bound.functions[i].weight;
      }
      if (weights == 0) return factor;
      return bound.mode == FunctionScoreMode::kAvg ? total / weights : total;
    }
  }
  return factor;
}

float combine_with_query(BoostMode mode, float query_score, double factor, float max_boost) {
  double q = query_score, f = java_min(factor, static_cast<double>(max_boost));
  switch (mode) {
    case BoostMode::kMultiply: return static_cast<float>(q * f);
    case BoostMode::kReplace: return static_cast<float>(f);
    case BoostMode::kSum: return static_cast<float>(q + f);
    case BoostMode::kAvg: return static_cast<float>((f + q) / 2.0);
    case BoostMode::kMax: return static_cast<float>(java_max(q, f));
    case BoostMode::kMin: return static_cast<float>(java_min(q, f));
  }
  return query_score;
}

bool SegmentFunctions::doubles(const BoundScoreFunction& f, uint32_t doc) {
  values_.clear();
  switch (f.source) {
    case Source::kLong:
    case Source::kDouble:
    case Source::kScaled:
    case Source::kUnsignedLong:
      seg_.reader->numeric_values(f.path, doc, &nums_);
      for (int64_t v : nums_) {
        values_.push_back(f.source == Source::kLong           ? static_cast<double>(v)
                          : f.source == Source::kDouble       ? index::sortable_to_double(v)
                          : f.source == Source::kUnsignedLong ? static_cast<double>(index::sortable_to_unsigned(v))
                                                              : static_cast<double>(v) / f.scaling_factor);
      }
      break;
    case Source::kBoolean:
      seg_.reader->term_values(f.path, doc, &strs_);
      for (const auto& s : strs_) values_.push_back(s == "T" ? 1.0 : 0.0);
      break;
    default:
      break;
  }
  return !values_.empty();
}

Result<double> SegmentFunctions::field_value_factor(const BoundScoreFunction& f, uint32_t doc) {
  const ScoreFunction& spec = *f.spec;
  double value;
  if (doubles(f, doc)) {
    value = values_.front();  // the smallest, as SortedNumericDoubleValues.nextValue()
  } else if (spec.missing) {
    value = *spec.missing;
  } else {
    return Status(Code::kInternal, "exception", "Missing value for field [" + spec.field + "]");
  }
  double result = apply_modifier(spec.modifier, value * static_cast<double>(spec.factor));
  if (result < 0) {
    std::string message = "field value function must not produce negative scores, but got: [" +
                          java_double_text(result) + "] for field value: [" + java_double_text(value) + "]";
    if (spec.modifier == FieldValueModifier::kLn) {
      message += "; consider using ln1p or ln2p instead of ln to avoid negative scores";
    } else if (spec.modifier == FieldValueModifier::kLog) {
      message += "; consider using log1p or log2p instead of log to avoid negative scores";
    }
    return invalid_argument(message);
  }
  return result;
}

double SegmentFunctions::decay(const BoundScoreFunction& f, uint32_t doc) {
  double distance = 0;  // a document without values counts as at the origin (score 1)
  if (doubles(f, doc)) {
    for (double& v : values_) v = std::max(0.0, std::fabs(v - f.origin) - f.offset);
    std::sort(values_.begin(), values_.end());
    distance = select(f.spec->multi_value_mode, values_);
  }
  return evaluate_decay(f.spec->shape, distance, f.scale);
}

Result<double> SegmentFunctions::random(const BoundScoreFunction& f, uint32_t doc) {
  switch (f.source) {
    case Source::kDocId:
      return random_score_of_doc(static_cast<uint64_t>(seg_.base) + doc, f.seed);
    case Source::kId:
    case Source::kSeqNo: {
      SIFT_RETURN_IF_ERROR(seg_.reader->stored(doc, &stored_));
      if (f.source == Source::kId) return random_score_of(stored_.meta.id, f.seed);
      return random_score_of(std::to_string(stored_.meta.seq_no), f.seed);
    }
    case Source::kKeyword:
      seg_.reader->term_values(f.path, doc, &strs_);
      if (strs_.empty()) break;
      return random_score_of(strs_.front(), f.seed);
    default:
      seg_.reader->numeric_values(f.path, doc, &nums_);
      if (nums_.empty()) break;
      if (f.source == Source::kLong) return random_score_of(std::to_string(nums_.front()), f.seed);
      if (f.source == Source::kUnsignedLong) {
        return random_score_of(std::to_string(index::sortable_to_unsigned(nums_.front())), f.seed);
      }
      return random_score_of(java_double_text(f.source == Source::kDouble
                                                  ? index::sortable_to_double(nums_.front())
                                                  : static_cast<double>(nums_.front()) / f.scaling_factor),
                             f.seed);
  }
  return low24(mix64(static_cast<uint32_t>(f.seed)));  // no value: the seed alone
}

Result<double> SegmentFunctions::value(size_t i, uint32_t doc) {
  SIFT_ASSIGN_OR_RETURN(double v, raw_value(i, doc));
  const BoundScoreFunction& f = bound_.functions[i];
  return f.spec->weight ? v * f.weight : v;
}

const std::vector<double>& SegmentFunctions::field_values(size_t i, uint32_t doc) {
  doubles(bound_.functions[i], doc);
  return values_;
}

Result<double> SegmentFunctions::raw_value(size_t i, uint32_t doc) {
  const BoundScoreFunction& f = bound_.functions[i];
  double v = 1;
  switch (f.spec->type) {
    case ScoreFunction::Type::kWeight:
      break;
    case ScoreFunction::Type::kFieldValueFactor: {
      SIFT_ASSIGN_OR_RETURN(v, field_value_factor(f, doc));
      break;
    }
    case ScoreFunction::Type::kDecay:
      v = decay(f, doc);
      break;
    case ScoreFunction::Type::kRandom: {
      SIFT_ASSIGN_OR_RETURN(v, random(f, doc));
      break;
    }
  }
  return v;
}

Result<DocScores> SegmentEvaluator::eval_function_score(const FunctionScoreQuery& q, const index::ReaderSegment& seg) {
  SIFT_ASSIGN_OR_RETURN(DocScores sub, eval(*q.query, seg));
  // The query's boost reaches the inner query's weight (Lucene's BoostQuery), not the result.
  if (q.boost != 1.0f) {
    for (auto& s : sub.scores) s *= q.boost;
  }
  DocScores out;
  size_t n = q.functions.size();
  std::shared_ptr<const BoundFunctionScore>& bound = function_scores_[&q];
  if (n > 0 && !bound) {
    SIFT_ASSIGN_OR_RETURN(BoundFunctionScore b, bind_function_score(q, mapping_, now_millis()));
    bound = std::make_shared<const BoundFunctionScore>(std::move(b));
  }
  std::vector<DocScores> filters(n);
  for (size_t i = 0; i < n; ++i) {
    if (q.functions[i].filter) {
      SIFT_ASSIGN_OR_RETURN(filters[i], eval(*q.functions[i].filter, seg));
    }
  }
  std::vector<size_t> cursor(n, 0);
  std::vector<double> values(n, 1.0);
  auto applies = std::make_unique<bool[]>(n > 0 ? n : 1);
  std::optional<SegmentFunctions> functions;
  if (n > 0) functions.emplace(*bound, seg);
  for (size_t k = 0; k < sub.docs.size(); ++k) {
    uint32_t doc = sub.docs[k];
    if (seg.live && seg.live->is_deleted(doc)) continue;  // Lucene never scores deleted docs
    float score = sub.scores[k];
    if (n > 0) {
      bool found = false;  // `first` scores only the first function that applies
      for (size_t i = 0; i < n; ++i) {
        bool a = true;
        if (q.functions[i].filter) {
          const auto& f = filters[i].docs;
          size_t& c = cursor[i];
          while (c < f.size() && f[c] < doc) ++c;
          a = c < f.size() && f[c] == doc;
        }
        applies[i] = a && !(found && bound->mode == FunctionScoreMode::kFirst);
        if (applies[i]) {
          SIFT_ASSIGN_OR_RETURN(values[i], functions->value(i, doc));
          found = true;
        }
      }
      double factor = combine_functions(*bound, values.data(), applies.get());
      score = combine_with_query(q.boost_mode, score, factor, q.max_boost);
      if (score < 0 || std::isnan(score)) {
        return Status(Code::kInternal, "exception",
                      "function score query returned an invalid score: " + java_float_text(score) +
                          " for doc: " + std::to_string(doc));
      }
    }
    if (q.min_score && score < *q.min_score) continue;
    out.docs.push_back(doc);
    out.scores.push_back(score);
  }
  return out;
}

Result<DocScores> SegmentEvaluator::eval_boosting(const BoostingQuery& q, const index::ReaderSegment& seg) {
  SIFT_ASSIGN_OR_RETURN(DocScores pos, eval(*q.positive, seg));
  SIFT_ASSIGN_OR_RETURN(DocScores neg, eval(*q.negative, seg));
  size_t j = 0;
  for (size_t k = 0; k < pos.docs.size(); ++k) {
    while (j < neg.docs.size() && neg.docs[j] < pos.docs[k]) ++j;
    double v = pos.scores[k];
    if (j < neg.docs.size() && neg.docs[j] == pos.docs[k]) v *= static_cast<double>(q.negative_boost);
    pos.scores[k] = static_cast<float>(v * static_cast<double>(q.boost));
  }
  return pos;
}

}  // namespace sift::query
