// bind_function_score: function_score's functions resolved against one shard's mapping — which
// doc values feed each function, decay origins and scales as numbers (dates in epoch
// milliseconds, time values such as "10d" in milliseconds), random seeds.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "index/date_format.h"
#include "query/date_math.h"
#include "query/function_score.h"

namespace sift::query {
namespace {

using index::FieldType;
using Source = BoundScoreFunction::Source;

Status shard_error(const std::string& reason) {
  return Status(Code::kInvalidArgument, "query_shard_exception", "failed to create query: " + reason);
}

bool is_date(FieldType t) { return t == FieldType::kDate || t == FieldType::kDateNanos; }

// Where a numeric-like field's values come from; kNone for types without numeric doc values.
Source numeric_source(FieldType t) {
  switch (t) {
    case FieldType::kLong:
    case FieldType::kInteger:
    case FieldType::kShort:
    case FieldType::kByte:
    case FieldType::kDate:
    case FieldType::kDateNanos:
      return Source::kLong;
    case FieldType::kDouble:
    case FieldType::kFloat:
    case FieldType::kHalfFloat:
      return Source::kDouble;
    case FieldType::kScaledFloat:
      return Source::kScaled;
    case FieldType::kUnsignedLong:
      return Source::kUnsignedLong;
    default:
      return Source::kNone;
  }
}

Status check_doc_values(const index::ResolvedField& rf) {
  if (rf.doc_values) return Status::ok();
  return shard_error("Can't load fielddata on [" + rf.path + "] because fielddata is unsupported on fields of type [" +
                     index::field_type_name(rf.type) + "]. Use doc values instead.");
}

void set_source(const index::ResolvedField& rf, Source s, BoundScoreFunction* out) {
  out->source = s;
  out->path = rf.path;
  if (s == Source::kScaled && rf.mapping != nullptr && rf.mapping->scaling_factor) {
    out->scaling_factor = *rf.mapping->scaling_factor;
  }
  if (s == Source::kLong && index::is_nanos(rf.type)) {  // functions see dates in milliseconds, as OpenSearch's
    out->source = Source::kScaled;
    out->scaling_factor = 1e6;
  }
}

// OpenSearch's TimeValue.parseTimeValue, in milliseconds ("10d", "1h", "30m", "5s", "100ms").
Result<double> time_value_ms(const std::string& text, const std::string& setting) {
  std::string s;
  for (char c : text) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s == "0" || s == "-1") return s == "0" ? 0.0 : -1.0;
  static const std::pair<const char*, double> kUnits[] = {
      {"nanos", 1e-6}, {"micros", 1e-3}, {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000},
  };
  for (const auto& [suffix, ms] : kUnits) {
    std::string suf(suffix);
    if (s.size() <= suf.size() || s.compare(s.size() - suf.size(), suf.size(), suf) != 0) continue;
    std::string number = s.substr(0, s.size() - suf.size());
    while (!number.empty() && number.back() == ' ') number.pop_back();
    char* end = nullptr;
    long long v = std::strtoll(number.c_str(), &end, 10);
    if (number.empty() || *end != '\0') {
      char* dend = nullptr;
      std::strtod(number.c_str(), &dend);
      if (!number.empty() && *dend == '\0') {
        return shard_error("failed to parse [" + text + "], fractional time values are not supported");
      }
      return shard_error("failed to parse [" + text + "]");
    }
    if (v < -1) {
      return shard_error("failed to parse setting [" + setting + "] with value [" + text +
                         "] as a time value: negative durations are not supported");
    }
    return static_cast<double>(v) * ms;
  }
  return shard_error("failed to parse setting [" + setting + "] with value [" + text +
                     "] as a time value: unit is missing or unrecognized");
}

// Jackson's doubleValue() of a decay parameter on a numeric field.
Result<double> number_param(const Scalar& s) {
  if (s.kind == Scalar::Kind::kInteger || s.kind == Scalar::Kind::kDouble) return s.number;
  char* end = nullptr;
  double d = std::strtod(s.text.c_str(), &end);
  if (s.text.empty() || *end != '\0') return shard_error("For input string: \"" + s.text + "\"");
  return d;
}

Status bind_field_value_factor(const ScoreFunction& f, const index::Mapping& mapping, BoundScoreFunction* out) {
  const index::ResolvedField* rf = mapping.find(f.field);
  if (rf == nullptr) {
    if (!f.missing) {
      return shard_error("Unable to find a field mapper for field [" + f.field + "]. No 'missing' value defined.");
    }
    return Status::ok();  // every document takes the missing value
  }
  Source s = rf->type == FieldType::kBoolean ? Source::kBoolean : numeric_source(rf->type);
  if (s == Source::kNone) {
    return shard_error("field [" + f.field + "] of type [" + index::field_type_name(rf->type) +
                       "] is not numeric; field_value_factor needs a numeric, date or boolean field");
  }
  SIFT_RETURN_IF_ERROR(check_doc_values(*rf));
  set_source(*rf, s, out);
  return Status::ok();
}

Status bind_decay(const ScoreFunction& f, const index::Mapping& mapping, int64_t now_ms, BoundScoreFunction* out) {
  const index::ResolvedField* rf = mapping.find(f.field);
  if (rf == nullptr) return Status(Code::kInvalidArgument, "parsing_exception", "unknown field [" + f.field + "]");
  Source s = numeric_source(rf->type);
  if (s == Source::kNone) {
    return Status(Code::kInvalidArgument, "parsing_exception",
                  "field [" + f.field + "] is of type [" + index::field_type_name(rf->type) +
                      "], but only numeric types are supported.");
  }
  SIFT_RETURN_IF_ERROR(check_doc_values(*rf));
  set_source(*rf, s, out);
  double scale = 0;
  if (is_date(rf->type)) {
    if (!f.scale) return shard_error("[scale] must be set for date fields.");
    if (f.origin) {
      std::string spec = rf->mapping != nullptr && rf->mapping->format ? *rf->mapping->format
                                                                        : "strict_date_optional_time||epoch_millis";
      SIFT_ASSIGN_OR_RETURN(index::DateFormatter fmt, index::DateFormatter::create(spec));
      auto origin = resolve_date_math(f.origin->text, now_ms, fmt, nullptr, Rounding::kRoundDown);
      if (!origin.is_ok()) return shard_error(origin.status().reason());
      out->origin = static_cast<double>(*origin);
    } else {
      out->origin = static_cast<double>(now_ms);
    }
    SIFT_ASSIGN_OR_RETURN(scale, time_value_ms(f.scale->text, "DecayFunctionParser.scale"));
    if (f.offset) {
      SIFT_ASSIGN_OR_RETURN(out->offset, time_value_ms(f.offset->text, "DecayFunctionParser.offset"));
    }
  } else {
    if (!f.scale || !f.origin) return shard_error("both [scale] and [origin] must be set for numeric fields.");
    SIFT_ASSIGN_OR_RETURN(scale, number_param(*f.scale));
    SIFT_ASSIGN_OR_RETURN(out->origin, number_param(*f.origin));
    if (f.offset) {
      SIFT_ASSIGN_OR_RETURN(out->offset, number_param(*f.offset));
    }
  }
  if (!(scale > 0.0)) return shard_error("function_score : scale must be > 0.0.");
  if (!(f.decay > 0.0 && f.decay < 1.0)) return shard_error("function_score : decay must be in the range [0..1].");
  if (out->offset < 0.0) return shard_error("function_score : offset must be > 0.0");
  out->scale = process_decay_scale(f.shape, scale, f.decay);
  return Status::ok();
}

Status bind_random(const ScoreFunction& f, const index::Mapping& mapping, int64_t now_ms, BoundScoreFunction* out) {
  // Without a seed, OpenSearch draws per Lucene doc id from the request time: not reproducible.
  int32_t now_seed = static_cast<int32_t>(static_cast<uint64_t>(now_ms) ^ (static_cast<uint64_t>(now_ms) >> 32));
  if (!f.seed) {
    out->source = Source::kDocId;
    out->seed = now_seed;
    return Status::ok();
  }
  out->seed = *f.seed;
  std::string field = f.field.empty() ? "_id" : f.field;  // OpenSearch defaults to _id (deprecated)
  if (field == "_id") {
    out->source = Source::kId;
    return Status::ok();
  }
  if (field == "_seq_no") {
    out->source = Source::kSeqNo;
    return Status::ok();
  }
  const index::ResolvedField* rf = mapping.find(field);
  if (rf == nullptr) {
    if (mapping.leaves().empty()) {  // no mappings: the index holds no documents anyway
      out->source = Source::kDocId;
      return Status::ok();
    }
    return invalid_argument("Field [" + field + "] is not mapped and cannot be used as a source of random numbers.");
  }
  Source s = numeric_source(rf->type);
  if (s == Source::kNone) {
    if (rf->type == FieldType::kText || rf->type == FieldType::kObject || rf->type == FieldType::kNested) {
      return shard_error("field [" + field + "] of type [" + index::field_type_name(rf->type) +
                         "] cannot be used as a source of random numbers");
    }
    s = Source::kKeyword;  // keyword, ip, boolean: sorted-set doc values
  }
  SIFT_RETURN_IF_ERROR(check_doc_values(*rf));
  set_source(*rf, s, out);
  return Status::ok();
}

}  // namespace

double process_decay_scale(DecayShape shape, double scale, double decay) {
  switch (shape) {
    case DecayShape::kGauss: return 0.5 * std::pow(scale, 2.0) / std::log(decay);
    case DecayShape::kLinear: return scale / (1.0 - decay);
    case DecayShape::kExp: return std::log(decay) / scale;
  }
  return scale;
}

Result<BoundFunctionScore> bind_function_score(const FunctionScoreQuery& q, const index::Mapping& mapping,
                                               int64_t now_ms) {
  BoundFunctionScore out;
  out.query = &q;
  out.mode = q.functions.size() == 1 && !q.functions[0].filter ? FunctionScoreMode::kFirst : q.score_mode;
  for (const auto& f : q.functions) {
    BoundScoreFunction b;
    b.spec = &f;
    b.weight = f.weight ? static_cast<double>(*f.weight) : 1.0;
    switch (f.type) {
      case ScoreFunction::Type::kWeight:
        break;
      case ScoreFunction::Type::kFieldValueFactor:
        SIFT_RETURN_IF_ERROR(bind_field_value_factor(f, mapping, &b));
        break;
      case ScoreFunction::Type::kDecay:
        SIFT_RETURN_IF_ERROR(bind_decay(f, mapping, now_ms, &b));
        break;
      case ScoreFunction::Type::kRandom:
        SIFT_RETURN_IF_ERROR(bind_random(f, mapping, now_ms, &b));
        break;
    }
    out.functions.push_back(std::move(b));
  }
  return out;
}

}  // namespace sift::query
