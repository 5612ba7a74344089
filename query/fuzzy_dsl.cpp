// DSL parsing of the `fuzzy` and `regexp` queries and of the fuzziness options of the match family,
// as OpenSearch's FuzzyQueryBuilder, RegexpQueryBuilder and Fuzziness.parse read them. Called from
// dsl_parser.cpp (declared there: RapidJSON stays out of headers).
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstring>

#include "query/automaton.h"
#include "query/dsl_parser.h"
#include "query/fuzzy_queries.h"

namespace sift::query {

using Value = rapidjson::Value;

namespace {

Status parsing(std::string reason) { return Status(Code::kInvalidArgument, "parsing_exception", std::move(reason)); }

std::string token(const Value& v) { return json_token_name(v.GetType()); }

// A scalar as text (numbers as JSON writes them), as XContentParser.text() gives it.
bool scalar_text(const Value& v, std::string* out) {
  if (v.IsString()) {
    out->assign(v.GetString(), v.GetStringLength());
    return true;
  }
  if (v.IsBool()) {
    *out = v.GetBool() ? "true" : "false";
    return true;
  }
  if (v.IsNumber()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    *out = buf.GetString();
    return true;
  }
  return false;
}

// XContentParser.intValue(): numbers (fractions cut) and numeric strings.
Result<int32_t> int_value(const Value& v, const char* query, const std::string& key) {
  if (v.IsInt()) return v.GetInt();
  if (v.IsNumber()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && d >= INT32_MIN && d <= INT32_MAX) return static_cast<int32_t>(d);
  }
  if (v.IsString()) {
    char* end = nullptr;
    double d = std::strtod(v.GetString(), &end);
    if (end != v.GetString() && *end == '\0' && std::isfinite(d) && d >= INT32_MIN && d <= INT32_MAX) {
      return static_cast<int32_t>(d);
    }
  }
  return parsing(std::string("[") + query + "] [" + key + "] must be an integer");
}

Result<bool> bool_value(const Value& v, const char* query, const std::string& key) {
  if (v.IsBool()) return v.GetBool();
  if (v.IsString() && (std::strcmp(v.GetString(), "true") == 0 || std::strcmp(v.GetString(), "false") == 0)) {
    return std::strcmp(v.GetString(), "true") == 0;
  }
  return parsing(std::string("[") + query + "] [" + key + "] must be a boolean");
}

// boost and _name, common to every query.
Result<bool> common(Query* q, const std::string& key, const Value& v, const char* query) {
  if (key == "boost") {
    if (v.IsNumber()) q->boost = static_cast<float>(v.GetDouble());
    else if (v.IsString()) q->boost = static_cast<float>(std::strtod(v.GetString(), nullptr));
    else return parsing(std::string("[") + query + "] [boost] must be a number");
    return true;
  }
  if (key == "_name") {
    if (!v.IsString()) return parsing(std::string("[") + query + "] [_name] must be a string");
    q->name = v.GetString();
    return true;
  }
  return false;
}

// The single `{"field": ...}` member of a term-level query body.
Result<const rapidjson::Value::Member*> field_member(const Value& body, const char* query) {
  if (!body.IsObject() || body.MemberCount() == 0) {
    return parsing(std::string("[") + query + "] query malformed, no start_object after query name");
  }
  if (body.MemberCount() > 1) {
    return parsing(std::string("[") + query + "] query doesn't support multiple fields, found [" +
                   body.MemberBegin()->name.GetString() + "] and [" + (body.MemberBegin() + 1)->name.GetString() + "]");
  }
  return &*body.MemberBegin();
}

}  // namespace

Result<std::string> parse_fuzziness_value(const Value& v) {
  std::string text;
  if (!(v.IsString() || v.IsNumber()) || !scalar_text(v, &text)) {
    return invalid_argument("Can't parse fuzziness on token: [" + token(v) + "]");
  }
  SIFT_RETURN_IF_ERROR(validate_fuzziness(text));
  return text;
}

Status parse_fuzzy_option(const Value& v, const char* query, const std::string& key, FuzzyOptions* out, bool* handled) {
  *handled = true;
  if (key == "fuzziness") {
    SIFT_ASSIGN_OR_RETURN(out->fuzziness, parse_fuzziness_value(v));
  } else if (key == "prefix_length" || key == "fuzzy_prefix_length") {
    SIFT_ASSIGN_OR_RETURN(out->prefix_length, int_value(v, query, key));
  } else if (key == "max_expansions" || key == "fuzzy_max_expansions") {
    SIFT_ASSIGN_OR_RETURN(out->max_expansions, int_value(v, query, key));
  } else if (key == "fuzzy_transpositions" || key == "transpositions") {
    SIFT_ASSIGN_OR_RETURN(out->transpositions, bool_value(v, query, key));
  } else if (key == "fuzzy_rewrite" || key == "rewrite") {
    if (!v.IsString() && !v.IsNull()) return parsing(std::string("[") + query + "] [" + key + "] must be a string");
    out->rewrite = v.IsString() ? v.GetString() : "";
  } else {
    *handled = false;
  }
  return Status::ok();
}

Result<std::unique_ptr<Query>> parse_fuzzy_query(const Value& body) {
  SIFT_ASSIGN_OR_RETURN(const rapidjson::Value::Member* f, field_member(body, "fuzzy"));
  auto q = std::make_unique<FuzzyQuery>();
  q->field.assign(f->name.GetString(), f->name.GetStringLength());
  q->options.fuzziness = "AUTO";
  bool has_value = false;
  if (f->value.IsObject()) {
    for (auto& p : f->value.GetObject()) {
      std::string key(p.name.GetString(), p.name.GetStringLength());
      if (p.value.IsObject() || p.value.IsArray()) {
        return parsing("[fuzzy] unexpected token [" + token(p.value) + "] after [" + key + "]");
      }
      SIFT_ASSIGN_OR_RETURN(bool done, common(q.get(), key, p.value, "fuzzy"));
      if (done) continue;
      if (key == "value" || key == "term") {
        has_value = scalar_text(p.value, &q->value.text);
        continue;
      }
      bool handled = false;
      if (key != "fuzzy_prefix_length" && key != "fuzzy_max_expansions" && key != "fuzzy_transpositions" &&
          key != "fuzzy_rewrite") {
        SIFT_RETURN_IF_ERROR(parse_fuzzy_option(p.value, "fuzzy", key, &q->options, &handled));
      }
      if (!handled) return parsing("[fuzzy] query does not support [" + key + "]");
    }
  } else if (f->value.IsArray()) {
    return parsing("[fuzzy] unexpected token [START_ARRAY] after [" + q->field + "]");
  } else {
    has_value = scalar_text(f->value, &q->value.text);
  }
  if (q->field.empty()) return invalid_argument("field name cannot be null or empty");
  if (!has_value) return invalid_argument("query value cannot be null");
  return std::unique_ptr<Query>(std::move(q));
}

Result<std::unique_ptr<Query>> parse_regexp_query(const Value& body) {
  SIFT_ASSIGN_OR_RETURN(const rapidjson::Value::Member* f, field_member(body, "regexp"));
  auto q = std::make_unique<RegexpQuery>();
  q->field.assign(f->name.GetString(), f->name.GetStringLength());
  bool has_value = false;
  if (f->value.IsObject()) {
    for (auto& p : f->value.GetObject()) {
      std::string key(p.name.GetString(), p.name.GetStringLength());
      SIFT_ASSIGN_OR_RETURN(bool done, common(q.get(), key, p.value, "regexp"));
      if (done) continue;
      if (key == "value") {
        has_value = scalar_text(p.value, &q->value);
      } else if (key == "flags") {
        std::string names;
        if (!p.value.IsNull() && !scalar_text(p.value, &names)) return parsing("[regexp] [flags] must be a string");
        SIFT_ASSIGN_OR_RETURN(q->flags, parse_regex_flags(names));
      } else if (key == "flags_value") {
        SIFT_ASSIGN_OR_RETURN(int32_t flags, int_value(p.value, "regexp", key));
        q->flags = static_cast<uint32_t>(flags) & kRegexAll;
      } else if (key == "max_determinized_states") {
        SIFT_ASSIGN_OR_RETURN(q->max_determinized_states, int_value(p.value, "regexp", key));
      } else if (key == "case_insensitive") {
        SIFT_ASSIGN_OR_RETURN(q->case_insensitive, bool_value(p.value, "regexp", key));
      } else if (key == "rewrite") {
        if (!p.value.IsString() && !p.value.IsNull()) return parsing("[regexp] [rewrite] must be a string");
        q->rewrite = p.value.IsString() ? p.value.GetString() : "";
      } else {
        return parsing("[regexp] query does not support [" + key + "]");
      }
    }
  } else if (f->value.IsArray()) {
    return parsing("[regexp] unexpected token [START_ARRAY] after [" + q->field + "]");
  } else {
    has_value = scalar_text(f->value, &q->value);
  }
  if (q->field.empty()) return invalid_argument("field name is null or empty");
  if (!has_value) return invalid_argument("value cannot be null");
  return std::unique_ptr<Query>(std::move(q));
}

}  // namespace sift::query
