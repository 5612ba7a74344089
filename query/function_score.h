// function_score: re-scores the matches of a query with functions of each document — `weight`,
// `field_value_factor`, the decay functions `gauss`/`linear`/`exp` on numeric and date fields, and
// `random_score` — each behind an optional filter, combined by `score_mode` and merged with the
// query's score by `boost_mode`, as OpenSearch's FunctionScoreQuery. The DSL parser builds the
// tree (function bodies: score_function_parser.cpp); bind_function_score resolves fields, dates
// and decay scales against one shard's mapping; the evaluator scores each segment's matches from
// doc values (function_score.cpp). The per-document arithmetic is exposed so `_explain` can
// reproduce one document's score.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "index/mapping.h"
#include "index/segment.h"
#include "index/shard.h"
#include "query/query.h"

namespace sift::query {

enum class FunctionScoreMode : uint8_t { kMultiply, kSum, kAvg, kFirst, kMax, kMin };
enum class BoostMode : uint8_t { kMultiply, kReplace, kSum, kAvg, kMax, kMin };
enum class FieldValueModifier : uint8_t { kNone, kLog, kLog1p, kLog2p, kLn, kLn1p, kLn2p, kSquare, kSqrt, kReciprocal };
enum class DecayShape : uint8_t { kGauss, kLinear, kExp };
enum class MultiValueMode : uint8_t { kMin, kMax, kAvg, kSum, kMedian };

struct ScoreFunction {
  enum class Type : uint8_t { kWeight, kFieldValueFactor, kDecay, kRandom };
  Type type = Type::kWeight;
  std::unique_ptr<Query> filter;        // null: every match of the query (a match_all filter too)
  std::optional<float> weight;          // multiplies the function's value; alone it is the value
  std::string field;                    // field_value_factor, decay, random_score (may be empty)
  // field_value_factor
  float factor = 1.0f;
  FieldValueModifier modifier = FieldValueModifier::kNone;
  std::optional<double> missing;
  // decay: parameters as given; numbers on numeric fields, date math / time values on dates
  DecayShape shape = DecayShape::kGauss;
  std::optional<Scalar> origin, scale, offset;
  double decay = 0.5;
  MultiValueMode multi_value_mode = MultiValueMode::kMin;
  // random_score: the seed as OpenSearch derives an int from an int, a long or a string
  std::optional<int32_t> seed;
};

struct FunctionScoreQuery : Query {
  FunctionScoreQuery() : Query(Kind::kFunctionScore) {}
  std::unique_ptr<Query> query;         // never null after parsing (match_all by default)
  std::vector<ScoreFunction> functions;
  FunctionScoreMode score_mode = FunctionScoreMode::kMultiply;
  BoostMode boost_mode = BoostMode::kMultiply;
  float max_boost = std::numeric_limits<float>::max();
  std::optional<float> min_score;
};

// A function bound to one shard's mapping: where its values come from and its resolved numbers.
struct BoundScoreFunction {
  // kScaled: value / scaling_factor (scaled_float; date_nanos as epoch milliseconds, factor 1e6).
  enum class Source : uint8_t { kNone, kLong, kDouble, kScaled, kBoolean, kKeyword, kId, kSeqNo, kDocId, kUnsignedLong };
  const ScoreFunction* spec = nullptr;
  Source source = Source::kNone;
  std::string path;                     // the doc values field
  double scaling_factor = 1;            // scaled_float
  double origin = 0, scale = 0, offset = 0;  // decay; `scale` already processed for the shape
  int32_t seed = 0;                     // random_score
  double weight = 1;                    // getWeight(): the weight, 1 when none is given
};

struct BoundFunctionScore {
  const FunctionScoreQuery* query = nullptr;
  std::vector<BoundScoreFunction> functions;
  // OpenSearch scores a lone unfiltered function as `first`, whatever score_mode says.
  FunctionScoreMode mode = FunctionScoreMode::kMultiply;
};

// Resolves `q`'s functions against `mapping`. `now_ms` anchors date origins ("now", the default)
// and seedless random scores. Errors are OpenSearch's: parsing_exception "unknown field [f]" for
// a decay on an unmapped field, query_shard_exception "failed to create query: ..." for bad
// parameters, illegal_argument_exception for a random_score field that is not mapped.
Result<BoundFunctionScore> bind_function_score(const FunctionScoreQuery& q, const index::Mapping& mapping,
                                               int64_t now_ms);

// The functions' values for the documents of one segment, read from doc values (reused buffers,
// nothing allocated per document for numeric and keyword fields).
class SegmentFunctions {
 public:
  SegmentFunctions(const BoundFunctionScore& bound, const index::ReaderSegment& seg) : bound_(bound), seg_(seg) {}
  // Function i's value for `doc` with its weight applied (OpenSearch's LeafScoreFunction.score).
  // Errors: "Missing value for field [f]" (exception, 500) and the negative field value check
  // (illegal_argument_exception).
  Result<double> value(size_t i, uint32_t doc);
  // The same before the weight (explanations show the weight apart).
  Result<double> raw_value(size_t i, uint32_t doc);
  // The doc's values of function i's numeric field as the function reads them, ascending (empty:
  // none); valid until the next call.
  const std::vector<double>& field_values(size_t i, uint32_t doc);

 private:
  Result<double> field_value_factor(const BoundScoreFunction& f, uint32_t doc);
  double decay(const BoundScoreFunction& f, uint32_t doc);
  Result<double> random(const BoundScoreFunction& f, uint32_t doc);
  // The doc's values of a numeric-like field as doubles, ascending; false when it has none.
  bool doubles(const BoundScoreFunction& f, uint32_t doc);

  const BoundFunctionScore& bound_;
  const index::ReaderSegment& seg_;
  std::vector<int64_t> nums_;
  std::vector<double> values_;
  std::vector<std::string> strs_;
  index::StoredDocument stored_;
};

// Combines the values of the functions that apply to one document (`applies[i]`: its filter
// matched) as FunctionFactorScorer.computeScore: 1 when none applies.
double combine_functions(const BoundFunctionScore& bound, const double* values, const bool* applies);
// Merges the query's score with the combined function value (CombineFunction.combine), capping
// the function value at `max_boost`, in double, rounded to float.
float combine_with_query(BoostMode mode, float query_score, double factor, float max_boost);
// Decay functions on a distance already past the offset: gauss exp(-d^2 / 2s'), linear
// max(0, (s' - d) / s'), exp exp(d * ln(decay) / s) with the scale processed as OpenSearch does.
double process_decay_scale(DecayShape shape, double scale, double decay);
double evaluate_decay(DecayShape shape, double distance, double processed_scale);
double apply_modifier(FieldValueModifier m, double v);
// The random score of a value: the low 24 bits of a 64-bit mix of the value's bytes and the seed,
// over 2^24 (so in [0, 1)). Sift's hash, not OpenSearch's murmur3.
double random_score_of(std::string_view value, int32_t seed);
double random_score_of_doc(uint64_t doc, int32_t seed);
// Java's Double.toString for the numbers OpenSearch puts in its messages (NaN, Infinity, 1.0).
std::string java_double_text(double v);

}  // namespace sift::query
