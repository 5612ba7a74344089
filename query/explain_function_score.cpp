// function_score and boosting explained as OpenSearch explains them. function_score
// (FunctionScoreQuery.CustomBoostFactorWeight.explain): the query's explanation and the functions'
// factor merged by boost_mode (CombineFunction.explain: "function score, product of:", "sum of",
// "avg of", "min of", "max of:", or replace's "min of:"), the factor capped as "min of:" it and
// "maxBoost"; the factor is one function alone, or "function score, score mode [mode]" over the
// functions whose filter matched, a filtered one as "function score, product of:" its "match
// filter: ..." and its value; a weight shows as "product of:" the function and "weight". boosting
// (Lucene's FunctionScoreQuery.boostByQuery): "weight(FunctionScoreQuery(...)), result of:" the
// positive query, or "product of:" it and "Matched boosting query score(...)" when the negative
// query matches too. The values of the whole are the evaluator's scores.
#include <cmath>
#include <memory>

#include "common/time_util.h"
#include "query/explainer.h"
#include "query/function_score.h"

namespace sift::query {
namespace {

const char* score_mode_name(FunctionScoreMode m) {
  static const char* kNames[] = {"multiply", "sum", "avg", "first", "max", "min"};
  return kNames[static_cast<int>(m)];
}

const char* modifier_name(FieldValueModifier m) {
  static const char* kNames[] = {"none", "log", "log1p", "log2p", "ln", "ln1p", "ln2p", "square", "sqrt", "reciprocal"};
  return kNames[static_cast<int>(m)];
}

const char* multi_value_mode_name(MultiValueMode m) {
  static const char* kNames[] = {"MIN", "MAX", "AVG", "SUM", "MEDIAN"};
  return kNames[static_cast<int>(m)];
}

// NumericFieldDataScoreFunction.getDistanceString: the doc's distances as computed, or 0.0.
std::string distance_text(const BoundScoreFunction& f, const std::vector<double>& values) {
  std::string s = std::string(multi_value_mode_name(f.spec->multi_value_mode)) + "[";
  if (values.empty()) s += "0.0";
  for (size_t i = 0; i < values.size(); ++i) {
    s += "Math.max(Math.abs(" + java_double_text(values[i]) + "(=doc value) - " + java_double_text(f.origin) +
         "(=origin))) - " + java_double_text(f.offset) + "(=offset), 0)";
    if (i + 1 < values.size()) s += ", ";
  }
  return s + "]";
}

// DecayFunction.explainFunction of each shape, with the scale as processed.
std::string decay_text(DecayShape shape, const std::string& distance, double scale) {
  switch (shape) {
    case DecayShape::kGauss:
      return "exp(-0.5*pow(" + distance + ",2.0)/" + java_double_text(-1 * scale) + ")";
    case DecayShape::kLinear:
      return "max(0.0, ((" + java_double_text(scale) + " - " + distance + ")/" + java_double_text(scale) + ")";
    case DecayShape::kExp:
      return "exp(- " + distance + " * " + java_double_text(-1 * scale) + ")";
  }
  return distance;
}

// The field RandomScoreFunction reads (null: the doc id, without a seed).
std::string random_field(const BoundScoreFunction& f) {
  switch (f.source) {
    case BoundScoreFunction::Source::kDocId: return "null";
    case BoundScoreFunction::Source::kId: return "_id";
    case BoundScoreFunction::Source::kSeqNo: return "_seq_no";
    default: return f.path;
  }
}

}  // namespace

Result<Explanation> Explainer::function_explanation(const BoundFunctionScore& bound, size_t i,
                                                    SegmentFunctions& functions) {
  const BoundScoreFunction& f = bound.functions[i];
  const ScoreFunction& spec = *f.spec;
  SIFT_ASSIGN_OR_RETURN(double raw, functions.raw_value(i, doc_));
  const float value = static_cast<float>(raw);
  Explanation inner;
  switch (spec.type) {
    case ScoreFunction::Type::kWeight:
      inner = match(1.0f, "constant score 1.0 - no function provided");
      break;
    case ScoreFunction::Type::kFieldValueFactor: {
      std::string missing = spec.missing ? "?:" + java_double_text(*spec.missing) : "";
      inner = match(value, "field value function: " + std::string(modifier_name(spec.modifier)) + "(doc['" +
                               spec.field + "'].value" + missing + " * factor=" + java_float(spec.factor) + ")");
      break;
    }
    case ScoreFunction::Type::kDecay: {
      std::string distance = distance_text(f, functions.field_values(i, doc_));
      inner = match(value, "Function for field " + f.path + ":",
                    {match(value, decay_text(spec.shape, distance, f.scale))});
      break;
    }
    case ScoreFunction::Type::kRandom:
      inner = match(value, "random score function (seed: " + std::to_string(f.seed) + ", field: " + random_field(f) + ")");
      break;
  }
  if (!spec.weight) return inner;
  return match(static_cast<float>(raw * f.weight), "product of:", {std::move(inner), match(*spec.weight, "weight")});
}

Result<Explanation> Explainer::explain_function_score(const FunctionScoreQuery& q, float outer) {
  // The evaluator boosts the inner query by the query's boost and applies enclosing boosts to the
  // result: the same as Lucene pushing them into the inner query when the modes multiply.
  const bool pushed = outer == 1.0f || q.boost_mode == BoostMode::kMultiply;
  SIFT_ASSIGN_OR_RETURN(Explanation sub, explain(*q.query, pushed ? outer * q.boost : q.boost));
  SIFT_ASSIGN_OR_RETURN(std::optional<float> score, score_of(q));
  if (!sub.match) return score ? generic(q, outer) : sub;
  if (q.functions.empty()) {
    if (!score) return generic(q, outer);
    sub.value = *score * outer;
    return sub;
  }
  SIFT_ASSIGN_OR_RETURN(BoundFunctionScore bound, bind_function_score(q, mapping_, now_millis()));
  SegmentFunctions functions(bound, seg_);
  const size_t n = q.functions.size();
  std::vector<double> values(n, 1.0);
  auto applies = std::make_unique<bool[]>(n);
  std::vector<Explanation> parts;
  bool found = false;  // `first` scores only the first function that applies (all are listed)
  for (size_t i = 0; i < n; ++i) {
    const ScoreFunction& spec = q.functions[i];
    applies[i] = false;
    if (spec.filter) {
      SIFT_ASSIGN_OR_RETURN(std::optional<float> in_filter, score_of(*spec.filter));
      if (!in_filter) continue;
    }
    applies[i] = !(found && bound.mode == FunctionScoreMode::kFirst);
    if (applies[i]) {
      SIFT_ASSIGN_OR_RETURN(values[i], functions.value(i, doc_));
      found = true;
    }
    SIFT_ASSIGN_OR_RETURN(Explanation e, function_explanation(bound, i, functions));
    if (spec.filter) {
      float v = e.value;
      e = match(v, "function score, product of:", {match(1.0f, "match filter: " + text_of(*spec.filter)), std::move(e)});
    }
    parts.push_back(std::move(e));
  }
  const double factor = combine_functions(bound, values.data(), applies.get());
  Explanation factor_e;
  if (parts.empty()) {
    factor_e = match(1.0f, "No function matched");
  } else if (n == 1 && !q.functions[0].filter) {
    factor_e = std::move(parts[0]);
  } else {
    factor_e = match(static_cast<float>(factor),
                     "function score, score mode [" + std::string(score_mode_name(q.score_mode)) + "]", std::move(parts));
  }
  const float own = combine_with_query(q.boost_mode, sub.value, factor, q.max_boost);
  Explanation capped = match(static_cast<float>(std::fmin(factor, static_cast<double>(q.max_boost))), "min of:",
                             {std::move(factor_e), match(q.max_boost, "maxBoost")});
  Explanation out;
  switch (q.boost_mode) {
    case BoostMode::kMultiply: out = match(own, "function score, product of:", {std::move(sub), std::move(capped)}); break;
    case BoostMode::kReplace: out = std::move(capped); break;
    case BoostMode::kSum: out = match(own, "sum of", {std::move(sub), std::move(capped)}); break;
    case BoostMode::kAvg: out = match(own, "avg of", {std::move(sub), std::move(capped)}); break;
    case BoostMode::kMin: out = match(own, "min of", {std::move(sub), std::move(capped)}); break;
    case BoostMode::kMax: out = match(own, "max of:", {std::move(sub), std::move(capped)}); break;
  }
  if (!score) {
    if (!q.min_score) return generic(q, outer);
    return no_match("Score value is too low, expected at least " + java_float(*q.min_score) + " but got " +
                        java_float(out.value), {std::move(out)});
  }
  if (pushed) {
    out.value = *score * outer;
    return out;
  }
  out.value = *score;
  return match(*score * outer, "product of:", {std::move(out), match(outer, "boost")});
}

Result<Explanation> Explainer::explain_boosting(const BoostingQuery& q, float outer) {
  SIFT_ASSIGN_OR_RETURN(Explanation positive, explain(*q.positive, 1.0f));  // Lucene's inner weight has boost 1
  SIFT_ASSIGN_OR_RETURN(std::optional<float> score, score_of(q));
  if (!score || !positive.match) return score ? generic(q, outer) : positive;
  SIFT_ASSIGN_OR_RETURN(std::optional<float> negative, score_of(*q.negative));
  const std::string negative_text = "score(" + text_of(*q.negative) + ")";
  Explanation inner = std::move(positive);
  if (negative) {
    float v = inner.value * q.negative_boost;
    inner = match(v, "product of:", {std::move(inner), match(q.negative_boost, "Matched boosting query " + negative_text)});
  }
  const float boost = outer * q.boost;
  std::string text = "weight(FunctionScoreQuery(" + text_of(*q.positive) + ", scored by boost(queryboost(" +
                     negative_text + ")^" + java_float(q.negative_boost) + ")))";
  if (boost != 1.0f) return match(*score * outer, text + ", product of:", {match(boost, "boost"), std::move(inner)});
  return match(*score, text + ", result of:", {std::move(inner)});
}

}  // namespace sift::query
