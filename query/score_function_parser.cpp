#include "query/score_function_parser.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdlib>
#include <string>

namespace sift::query {
namespace {

using Value = rapidjson::Value;

Status parsing_error(std::string reason) {
  return Status(Code::kInvalidArgument, "parsing_exception", std::move(reason));
}

// Failures OpenSearch raises while turning the function into a Lucene one on the shard.
Status shard_error(const std::string& reason) {
  return Status(Code::kInvalidArgument, "query_shard_exception", "failed to create query: " + reason);
}

const char* token_name(const Value& v) {
  if (v.IsString()) return "VALUE_STRING";
  if (v.IsNumber()) return "VALUE_NUMBER";
  if (v.IsBool()) return "VALUE_BOOLEAN";
  if (v.IsNull()) return "VALUE_NULL";
  return v.IsArray() ? "START_ARRAY" : "START_OBJECT";
}

// Jackson's doubleValue(): numbers, and strings that read as numbers.
bool number_of(const Value& v, double* out) {
  if (v.IsNumber()) {
    *out = v.GetDouble();
    return true;
  }
  if (!v.IsString()) return false;
  const char* s = v.GetString();
  char* end = nullptr;
  *out = std::strtod(s, &end);
  return end != s && *end == '\0';
}

std::string text_of(const Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

Status parse_field_value_factor(const Value& body, ScoreFunction* out) {
  bool has_field = false;
  for (auto& m : body.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    const Value& v = m.value;
    if (key == "factor" && (v.IsArray() || v.IsObject())) {
      return parsing_error("[field_value_factor] field 'factor' does not support lists or objects");
    }
    if (v.IsArray() || v.IsObject() || v.IsNull()) {
      return parsing_error("field_value_factor query does not support [" + key + "]");
    }
    double d = 0;
    if (key == "field") {
      out->field = text_of(v);
      has_field = true;
    } else if (key == "factor") {
      if (!number_of(v, &d)) return parsing_error("[field_value_factor] [factor] must be a number");
      out->factor = static_cast<float>(d);
    } else if (key == "missing") {
      if (!number_of(v, &d)) return parsing_error("[field_value_factor] [missing] must be a number");
      out->missing = d;
    } else if (key == "modifier") {
      std::string name = text_of(v);
      std::string upper;
      for (char c : name) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      static const std::pair<const char*, FieldValueModifier> kModifiers[] = {
          {"NONE", FieldValueModifier::kNone},   {"LOG", FieldValueModifier::kLog},
          {"LOG1P", FieldValueModifier::kLog1p}, {"LOG2P", FieldValueModifier::kLog2p},
          {"LN", FieldValueModifier::kLn},       {"LN1P", FieldValueModifier::kLn1p},
          {"LN2P", FieldValueModifier::kLn2p},   {"SQUARE", FieldValueModifier::kSquare},
          {"SQRT", FieldValueModifier::kSqrt},   {"RECIPROCAL", FieldValueModifier::kReciprocal},
      };
      bool found = false;
      for (const auto& [n, mod] : kModifiers) {
        if (upper == n) {
          out->modifier = mod;
          found = true;
        }
      }
      if (!found) {
        return invalid_argument("No enum constant org.opensearch.common.lucene.search.function.FieldValueFactorFunction.Modifier." +
                                upper);
      }
    } else {
      return parsing_error("field_value_factor query does not support [" + key + "]");
    }
  }
  if (!has_field) return parsing_error("[field_value_factor] required field 'field' missing");
  return Status::ok();
}

Status decay_param(const Value& v, const std::string& name, std::optional<Scalar>* slot) {
  if (v.IsObject() || v.IsArray() || v.IsNull()) {
    return shard_error("[" + name + "] must be a number or a string; geo_point origins are not supported");
  }
  Scalar s;
  s.text = text_of(v);
  if (v.IsString()) {
    s.kind = Scalar::Kind::kString;
  } else if (v.IsInt64()) {
    s.kind = Scalar::Kind::kInteger;
    s.integer = v.GetInt64();
    s.number = static_cast<double>(s.integer);
  } else if (v.IsNumber()) {
    s.kind = Scalar::Kind::kDouble;
    s.number = v.GetDouble();
  } else {
    s.kind = Scalar::Kind::kBool;
    s.boolean = v.GetBool();
  }
  *slot = std::move(s);
  return Status::ok();
}

Status parse_decay(const Value& body, ScoreFunction* out) {
  const Value* params = nullptr;
  for (auto& m : body.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (m.value.IsObject()) {
      out->field = key;
      params = &m.value;
    } else if (key == "multi_value_mode") {
      std::string mode = text_of(m.value), upper;
      for (char c : mode) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      if (upper == "MIN") out->multi_value_mode = MultiValueMode::kMin;
      else if (upper == "MAX") out->multi_value_mode = MultiValueMode::kMax;
      else if (upper == "AVG") out->multi_value_mode = MultiValueMode::kAvg;
      else if (upper == "SUM") out->multi_value_mode = MultiValueMode::kSum;
      else if (upper == "MEDIAN") out->multi_value_mode = MultiValueMode::kMedian;
      else return invalid_argument("Illegal sort mode: " + mode);
    } else {
      return parsing_error("malformed score function score parameters.");
    }
  }
  if (params == nullptr) return parsing_error("malformed score function score parameters.");
  for (auto& m : params->GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (key == "origin") {
      SIFT_RETURN_IF_ERROR(decay_param(m.value, key, &out->origin));
    } else if (key == "scale") {
      SIFT_RETURN_IF_ERROR(decay_param(m.value, key, &out->scale));
    } else if (key == "offset") {
      SIFT_RETURN_IF_ERROR(decay_param(m.value, key, &out->offset));
    } else if (key == "decay") {
      if (!number_of(m.value, &out->decay)) return shard_error("[decay] must be a number");
    } else {
      return shard_error("parameter [" + key + "] not supported!");
    }
  }
  return Status::ok();
}

Status parse_random(const Value& body, ScoreFunction* out) {
  for (auto& m : body.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    const Value& v = m.value;
    if (v.IsObject() || v.IsArray()) return parsing_error("random_score query does not support [" + key + "]");
    if (key == "seed") {
      if (v.IsInt()) {
        out->seed = v.GetInt();
      } else if (v.IsInt64()) {
        out->seed = seed_from_long(v.GetInt64());
      } else if (v.IsString()) {
        out->seed = seed_from_string(std::string_view(v.GetString(), v.GetStringLength()));
      } else if (v.IsNumber()) {
        return parsing_error("random_score seed must be an int, long or string, not 'VALUE_NUMBER'");
      } else {
        return parsing_error(std::string("random_score seed must be an int/long or string, not '") + token_name(v) + "'");
      }
    } else if (key == "field") {
      out->field = text_of(v);
    } else if (key == "_name") {
      continue;
    } else {
      return parsing_error("random_score query does not support [" + key + "]");
    }
  }
  return Status::ok();
}

}  // namespace

bool is_score_function_name(std::string_view name) {
  return name == "field_value_factor" || name == "gauss" || name == "linear" || name == "exp" ||
         name == "random_score" || name == "script_score";
}

Status parse_score_function(std::string_view name, std::string_view body_json, ScoreFunction* out) {
  if (name == "script_score") return invalid_argument("scripts are not supported");
  rapidjson::Document doc;
  doc.Parse(body_json.data(), body_json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return parsing_error("[" + std::string(name) + "] malformed score function, expected an object");
  }
  if (name == "field_value_factor") {
    out->type = ScoreFunction::Type::kFieldValueFactor;
    return parse_field_value_factor(doc, out);
  }
  if (name == "random_score") {
    out->type = ScoreFunction::Type::kRandom;
    return parse_random(doc, out);
  }
  out->type = ScoreFunction::Type::kDecay;
  out->shape = name == "gauss" ? DecayShape::kGauss : name == "linear" ? DecayShape::kLinear : DecayShape::kExp;
  return parse_decay(doc, out);
}

int32_t seed_from_long(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  return static_cast<int32_t>(static_cast<uint32_t>(u ^ (u >> 32)));
}

int32_t seed_from_string(std::string_view utf8) {
  uint32_t h = 0;
  auto add = [&](uint32_t unit) { h = 31 * h + unit; };
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xF0 && i + 3 < utf8.size()) {
      cp = ((c & 0x07u) << 18) | ((utf8[i + 1] & 0x3Fu) << 12) | ((utf8[i + 2] & 0x3Fu) << 6) | (utf8[i + 3] & 0x3Fu);
      len = 4;
    } else if (c >= 0xE0 && i + 2 < utf8.size()) {
      cp = ((c & 0x0Fu) << 12) | ((utf8[i + 1] & 0x3Fu) << 6) | (utf8[i + 2] & 0x3Fu);
      len = 3;
    } else if (c >= 0xC0 && i + 1 < utf8.size()) {
      cp = ((c & 0x1Fu) << 6) | (utf8[i + 1] & 0x3Fu);
      len = 2;
    }
    if (cp >= 0x10000) {  // a surrogate pair, as Java strings hold it
      cp -= 0x10000;
      add(0xD800 + (cp >> 10));
      add(0xDC00 + (cp & 0x3FF));
    } else {
      add(cp);
    }
    i += len;
  }
  return static_cast<int32_t>(h);
}

}  // namespace sift::query
