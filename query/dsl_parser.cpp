#include "query/dsl_parser.h"

#include <rapidjson/document.h>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "query/function_score.h"
#include "query/query_string.h"
#include "query/score_function_parser.h"
#include "query/search_request.h"
#include "query/simple_query_string.h"

namespace sift::query {

const char* json_token_name(int rapidjson_type) {
  switch (static_cast<rapidjson::Type>(rapidjson_type)) {
    case rapidjson::kObjectType: return "START_OBJECT";
    case rapidjson::kArrayType: return "START_ARRAY";
    case rapidjson::kStringType: return "VALUE_STRING";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "VALUE_BOOLEAN";
    case rapidjson::kNullType: return "VALUE_NULL";
    case rapidjson::kNumberType: return "VALUE_NUMBER";
  }
  return "VALUE_NUMBER";
}

// fuzzy_dsl.cpp (declared here: RapidJSON stays out of headers).
Result<std::unique_ptr<Query>> parse_fuzzy_query(const rapidjson::Value& body);
Result<std::unique_ptr<Query>> parse_regexp_query(const rapidjson::Value& body);
Status parse_fuzzy_option(const rapidjson::Value& v, const char* query, const std::string& key, FuzzyOptions* out,
                          bool* handled);

namespace {

using Value = rapidjson::Value;

Status parsing_error(std::string reason) {
  return Status(Code::kInvalidArgument, "parsing_exception", std::move(reason));
}

const char* json_type_name(const Value& v) { return json_token_name(v.GetType()); }

Result<Scalar> to_scalar(const Value& v, const char* query_name) {
  Scalar s;
  if (v.IsString()) {
    s.kind = Scalar::Kind::kString;
    s.text.assign(v.GetString(), v.GetStringLength());
  } else if (v.IsBool()) {
    s.kind = Scalar::Kind::kBool;
    s.boolean = v.GetBool();
    s.text = s.boolean ? "true" : "false";
  } else if (v.IsInt64()) {
    s.kind = Scalar::Kind::kInteger;
    s.integer = v.GetInt64();
    s.number = static_cast<double>(s.integer);
    s.text = std::to_string(s.integer);
  } else if (v.IsNumber()) {
    s.kind = Scalar::Kind::kDouble;
    s.number = v.GetDouble();
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    s.text = buf.GetString();
  } else {
    return parsing_error(std::string("[") + query_name + "] unsupported value type [" + json_type_name(v) + "]");
  }
  return s;
}

class Parser {
 public:
  Result<std::unique_ptr<Query>> parse(const Value& v, int depth);

 private:
  Status common_param(Query* q, const char* key, const Value& v, const char* query_name, bool* handled);
  Result<std::unique_ptr<Query>> parse_term(const Value& body);
  Result<std::unique_ptr<Query>> parse_terms(const Value& body);
  Result<std::unique_ptr<Query>> parse_ids(const Value& body);
  Result<std::unique_ptr<Query>> parse_bool(const Value& body, int depth);
  Result<std::unique_ptr<Query>> parse_constant_score(const Value& body, int depth);
  Result<std::unique_ptr<Query>> parse_match(const Value& body, const std::string& name);
  Result<std::unique_ptr<Query>> parse_multi_match(const Value& body);
  Result<std::unique_ptr<Query>> parse_field_value(const Value& body, const std::string& name);
  Result<std::unique_ptr<Query>> parse_range(const Value& body);
  Result<std::unique_ptr<Query>> parse_dis_max(const Value& body, int depth);
  Result<std::unique_ptr<Query>> parse_query_string_query(const Value& body);
  Result<std::unique_ptr<Query>> parse_simple_query_string_query(const Value& body);
  Result<std::unique_ptr<Query>> parse_match_bool_prefix(const Value& body);
  Result<std::unique_ptr<Query>> parse_function_score(const Value& body, int depth);
  Status parse_functions_array(const Value& array, int depth, std::vector<ScoreFunction>* out);
  Result<std::unique_ptr<Query>> parse_boosting(const Value& body, int depth);
  Result<std::unique_ptr<Query>> parse_nested(const Value& body, int depth);
  size_t clauses_ = 0;
  int nested_depth_ = 0;  // nested queries around the clause being parsed
};

Status Parser::common_param(Query* q, const char* key, const Value& v, const char* query_name, bool* handled) {
  *handled = true;
  if (std::strcmp(key, "boost") == 0) {
    if (!v.IsNumber()) return parsing_error(std::string("[") + query_name + "] [boost] must be a number");
    q->boost = static_cast<float>(v.GetDouble());
  } else if (std::strcmp(key, "_name") == 0) {
    if (!v.IsString()) return parsing_error(std::string("[") + query_name + "] [_name] must be a string");
    q->name = v.GetString();
  } else {
    *handled = false;
  }
  return Status::ok();
}

Result<std::unique_ptr<Query>> Parser::parse(const Value& v, int depth) {
  if (depth > kMaxQueryDepth) {
    return Status(Code::kInvalidArgument, "parsing_exception",
                  "query nesting is deeper than the limit of [" + std::to_string(kMaxQueryDepth) + "]");
  }
  if (!v.IsObject()) return parsing_error("[_na] query malformed, must start with start_object");
  if (v.MemberCount() == 0) return std::unique_ptr<Query>(std::make_unique<MatchAllQuery>());
  if (v.MemberCount() > 1) {
    auto it = v.MemberBegin();
    ++it;
    return parsing_error(std::string("[") + v.MemberBegin()->name.GetString() +
                         "] malformed query, expected [END_OBJECT] but found [FIELD_NAME]");
  }
  if (++clauses_ > kMaxClauseCount * 8) {
    return Status(Code::kInvalidArgument, "too_many_clauses", "too many clauses in the query");
  }
  const auto& m = *v.MemberBegin();
  std::string name(m.name.GetString(), m.name.GetStringLength());
  const Value& body = m.value;
  if (name == "match_all" || name == "match_none") {
    if (!body.IsObject()) return parsing_error("[" + name + "] query malformed, no start_object after query name");
    std::unique_ptr<Query> q;
    if (name == "match_all") q = std::make_unique<MatchAllQuery>();
    else q = std::make_unique<MatchNoneQuery>();
    for (auto& p : body.GetObject()) {
      bool handled;
      SIFT_RETURN_IF_ERROR(common_param(q.get(), p.name.GetString(), p.value, name.c_str(), &handled));
      if (!handled) return parsing_error("[" + name + "] query does not support [" + p.name.GetString() + "]");
    }
    return q;
  }
  if (name == "term") return parse_term(body);
  if (name == "terms") return parse_terms(body);
  if (name == "ids") return parse_ids(body);
  if (name == "bool") return parse_bool(body, depth);
  if (name == "constant_score") return parse_constant_score(body, depth);
  if (name == "match" || name == "match_phrase" || name == "match_phrase_prefix") return parse_match(body, name);
  if (name == "multi_match") return parse_multi_match(body);
  if (name == "exists" || name == "prefix" || name == "wildcard") return parse_field_value(body, name);
  if (name == "range") return parse_range(body);
  if (name == "fuzzy") return parse_fuzzy_query(body);
  if (name == "regexp") return parse_regexp_query(body);
  if (name == "dis_max") return parse_dis_max(body, depth);
  if (name == "query_string") return parse_query_string_query(body);
  if (name == "function_score") return parse_function_score(body, depth);
  if (name == "boosting") return parse_boosting(body, depth);
  if (name == "nested") return parse_nested(body, depth);
  if (name == "script_score" || name == "script") return invalid_argument("scripts are not supported");
  if (name == "simple_query_string") return parse_simple_query_string_query(body);
  if (name == "match_bool_prefix") return parse_match_bool_prefix(body);
  return Status(Code::kInvalidArgument, "parsing_exception", "unknown query [" + name + "]");
}

Result<std::unique_ptr<Query>> Parser::parse_term(const Value& body) {
  if (!body.IsObject() || body.MemberCount() == 0) return parsing_error("[term] query malformed, no start_object after query name");
  if (body.MemberCount() > 1) {
    return parsing_error("[term] query doesn't support multiple fields, found [" +
                         std::string(body.MemberBegin()->name.GetString()) + "] and [" +
                         std::string((body.MemberBegin() + 1)->name.GetString()) + "]");
  }
  auto q = std::make_unique<TermQuery>();
  const auto& f = *body.MemberBegin();
  q->field = f.name.GetString();
  if (f.value.IsObject()) {
    bool has_value = false;
    for (auto& p : f.value.GetObject()) {
      std::string key = p.name.GetString();
      bool handled;
      SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), p.value, "term", &handled));
      if (handled) continue;
      if (key == "value") {
        SIFT_ASSIGN_OR_RETURN(q->value, to_scalar(p.value, "term"));
        has_value = true;
      } else if (key == "case_insensitive") {
        if (!p.value.IsBool()) return parsing_error("[term] [case_insensitive] must be a boolean");
        q->case_insensitive = p.value.GetBool();
      } else {
        return parsing_error("[term] query does not support [" + key + "]");
      }
    }
    if (!has_value) return parsing_error("[term] query requires a [value]");
  } else {
    SIFT_ASSIGN_OR_RETURN(q->value, to_scalar(f.value, "term"));
  }
  return std::unique_ptr<Query>(std::move(q));
}

// {"index":..,"id":..,"path":..,"routing":..}, as OpenSearch's TermsLookup.
Result<TermsQuery::Lookup> parse_terms_lookup(const Value& v) {
  TermsQuery::Lookup l;
  bool index = false, id = false, path = false;
  for (auto& m : v.GetObject()) {
    std::string key = m.name.GetString();
    if (m.value.IsObject() || m.value.IsArray()) {
      return parsing_error("[terms] unknown token [" + std::string(json_type_name(m.value)) + "] after [" + key + "]");
    }
    std::string text;
    if (!m.value.IsNull()) {
      SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(m.value, "terms"));
      text = s.text;
    }
    if (key == "index") { l.index = text; index = !m.value.IsNull(); }
    else if (key == "id") { l.id = text; id = !m.value.IsNull(); }
    else if (key == "path") { l.path = text; path = !m.value.IsNull(); }
    else if (key == "routing") l.routing = text;
    else return parsing_error("[terms] query does not support [" + key + "] within lookup element");
  }
  if (!id) return invalid_argument("[terms] query lookup element requires specifying the id.");
  if (!path) return invalid_argument("[terms] query lookup element requires specifying the path.");
  if (!index) return invalid_argument("[terms] query lookup element requires specifying the index.");
  return l;
}

Result<std::unique_ptr<Query>> Parser::parse_terms(const Value& body) {
  if (!body.IsObject()) return parsing_error("[terms] query malformed, no start_object after query name");
  auto q = std::make_unique<TermsQuery>();
  bool have_field = false;
  for (auto& p : body.GetObject()) {
    std::string key = p.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), p.value, "terms", &handled));
    if (handled) continue;
    if (!p.value.IsArray() && !p.value.IsObject()) return parsing_error("[terms] query does not support [" + key + "]");
    if (have_field) return parsing_error("[terms] query does not support multiple fields");
    have_field = true;
    q->field = key;
    if (p.value.IsObject()) {
      SIFT_ASSIGN_OR_RETURN(q->lookup, parse_terms_lookup(p.value));
      continue;
    }
    // The count is checked against each index's index.max_terms_count when the search runs.
    for (auto& v : p.value.GetArray()) {
      SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(v, "terms"));
      q->values.push_back(std::move(s));
    }
  }
  if (!have_field) return parsing_error("[terms] query requires a field");
  return std::unique_ptr<Query>(std::move(q));
}

Result<std::unique_ptr<Query>> Parser::parse_ids(const Value& body) {
  if (!body.IsObject()) return parsing_error("[ids] query malformed, no start_object after query name");
  auto q = std::make_unique<IdsQuery>();
  for (auto& p : body.GetObject()) {
    std::string key = p.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), p.value, "ids", &handled));
    if (handled) continue;
    if (key == "values") {
      if (!p.value.IsArray()) return parsing_error("[ids] [values] must be an array");
      for (auto& v : p.value.GetArray()) {
        if (v.IsString()) q->ids.emplace_back(v.GetString(), v.GetStringLength());
        else if (v.IsNumber()) {
          SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(v, "ids"));
          q->ids.push_back(s.text);
        } else {
          return parsing_error("[ids] values must be strings");
        }
      }
    } else if (key == "type" || key == "types") {
      continue;  // legacy, ignored
    } else {
      return parsing_error("[ids] query does not support [" + key + "]");
    }
  }
  return std::unique_ptr<Query>(std::move(q));
}

Result<std::unique_ptr<Query>> Parser::parse_bool(const Value& body, int depth) {
  if (!body.IsObject()) return parsing_error("[bool] query malformed, no start_object after query name");
  auto q = std::make_unique<BoolQuery>();
  size_t clauses = 0;
  for (auto& p : body.GetObject()) {
    std::string key = p.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), p.value, "bool", &handled));
    if (handled) continue;
    std::vector<std::unique_ptr<Query>>* target = key == "must"       ? &q->must
                                                  : key == "filter"   ? &q->filter
                                                  : key == "should"   ? &q->should
                                                  : key == "must_not" ? &q->must_not
                                                                      : nullptr;
    if (key == "mustNot") target = &q->must_not;
    if (target != nullptr) {
      auto add = [&](const Value& c) -> Status {
        if (++clauses > kMaxClauseCount) {
          return Status(Code::kInvalidArgument, "too_many_clauses",
                        "maxClauseCount is set to " + std::to_string(kMaxClauseCount));
        }
        SIFT_ASSIGN_OR_RETURN(auto sub, parse(c, depth + 1));
        target->push_back(std::move(sub));
        return Status::ok();
      };
      if (p.value.IsArray()) {
        for (auto& c : p.value.GetArray()) SIFT_RETURN_IF_ERROR(add(c));
      } else {
        SIFT_RETURN_IF_ERROR(add(p.value));
      }
    } else if (key == "minimum_should_match") {
      if (p.value.IsString()) q->minimum_should_match = p.value.GetString();
      else if (p.value.IsInt64()) q->minimum_should_match = std::to_string(p.value.GetInt64());
      else return parsing_error("[bool] [minimum_should_match] must be a number or a string");
    } else if (key == "adjust_pure_negative") {
      continue;
    } else {
      return parsing_error("[bool] query does not support [" + key + "]");
    }
  }
  return std::unique_ptr<Query>(std::move(q));
}

namespace {

Result<bool> bool_param(const Value& v, const char* query, const std::string& key) {
  if (v.IsBool()) return v.GetBool();
  if (v.IsString() && (std::strcmp(v.GetString(), "true") == 0 || std::strcmp(v.GetString(), "false") == 0)) {
    return std::strcmp(v.GetString(), "true") == 0;
  }
  return parsing_error(std::string("[") + query + "] [" + key + "] must be a boolean");
}

Result<int32_t> int_param(const Value& v, const char* query, const std::string& key) {
  if (v.IsInt()) return v.GetInt();
  if (v.IsString()) {
    try {
      size_t used = 0;
      int n = std::stoi(v.GetString(), &used);
      if (used == v.GetStringLength()) return n;
    } catch (...) {
    }
  }
  return parsing_error(std::string("[") + query + "] [" + key + "] must be an integer");
}

Result<std::string> msm_param(const Value& v, const char* query) {
  if (v.IsString()) return std::string(v.GetString());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return parsing_error(std::string("[") + query + "] [minimum_should_match] must be a number or a string");
}

Result<bool> operator_param(const Value& v, const char* query) {
  std::string op = v.IsString() ? v.GetString() : "";
  for (auto& c : op) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (op == "and") return true;
  if (op == "or") return false;
  return invalid_argument(std::string("[") + query + "] operator must be [and] or [or], found [" + op + "]");
}

Result<bool> zero_terms_param(const Value& v, const char* query) {
  std::string z = v.IsString() ? v.GetString() : "";
  if (z == "all") return true;
  if (z == "none") return false;
  return parsing_error(std::string("[") + query + "] unsupported zero_terms_query value [" + z + "]");
}

// A `fields` list: a name or an array of names, each with an optional `^boost`.
Status boosted_fields(const Value& v, const char* query, std::vector<std::pair<std::string, float>>* out) {
  std::vector<std::string> names;
  if (v.IsString()) {
    names.emplace_back(v.GetString());
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) {
      if (!e.IsString()) return parsing_error(std::string("[") + query + "] [fields] must be strings");
      names.emplace_back(e.GetString());
    }
  } else {
    return parsing_error(std::string("[") + query + "] [fields] must be a string or an array");
  }
  for (const auto& n : names) {
    size_t caret = n.find('^');
    float boost = 1.0f;
    if (caret != std::string::npos) {
      try {
        boost = std::stof(n.substr(caret + 1));
      } catch (...) {
        return parsing_error(std::string("[") + query + "] bad boost in field [" + n + "]");
      }
    }
    out->emplace_back(n.substr(0, caret), boost);
  }
  return Status::ok();
}

// Options the match family accepts but that change nothing Sift computes differently.
bool ignorable_match_option(const std::string& key) {
  return key == "auto_generate_synonyms_phrase_query" || key == "fuzzy_transpositions" || key == "max_expansions" ||
         key == "prefix_length" || key == "cutoff_frequency" || key == "fuzzy_rewrite";
}

}  // namespace

Result<std::unique_ptr<Query>> Parser::parse_match(const Value& body, const std::string& name) {
  const char* qn = name.c_str();
  if (!body.IsObject() || body.MemberCount() == 0) return parsing_error("[" + name + "] query malformed, no start_object after query name");
  if (body.MemberCount() > 1) {
    return parsing_error("[" + name + "] query doesn't support multiple fields, found [" +
                         std::string(body.MemberBegin()->name.GetString()) + "] and [" +
                         std::string((body.MemberBegin() + 1)->name.GetString()) + "]");
  }
  const auto& f = *body.MemberBegin();
  std::string field = f.name.GetString();
  bool phrase = name != "match";
  auto m = std::make_unique<MatchQuery>();
  auto p = std::make_unique<MatchPhraseQuery>();
  m->field = p->field = field;
  p->prefix = name == "match_phrase_prefix";
  Query* q = phrase ? static_cast<Query*>(p.get()) : m.get();
  auto set_value = [&](const Value& v) -> Status {
    SIFT_ASSIGN_OR_RETURN(m->value, to_scalar(v, qn));
    p->text = m->value.text;
    return Status::ok();
  };
  if (!f.value.IsObject()) {
    SIFT_RETURN_IF_ERROR(set_value(f.value));
  } else {
    bool has_query = false;
    for (auto& o : f.value.GetObject()) {
      std::string key = o.name.GetString();
      bool handled;
      SIFT_RETURN_IF_ERROR(common_param(q, key.c_str(), o.value, qn, &handled));
      if (handled) continue;
      if (key == "query") {
        SIFT_RETURN_IF_ERROR(set_value(o.value));
        has_query = true;
      } else if (key == "analyzer") {
        if (!o.value.IsString()) return parsing_error("[" + name + "] [analyzer] must be a string");
        m->analyzer = p->analyzer = o.value.GetString();
      } else if (key == "zero_terms_query") {
        SIFT_ASSIGN_OR_RETURN(bool all, zero_terms_param(o.value, qn));
        m->zero_terms_all = p->zero_terms_all = all;
      } else if (!phrase && key == "operator") {
        SIFT_ASSIGN_OR_RETURN(m->and_operator, operator_param(o.value, qn));
      } else if (!phrase && key == "minimum_should_match") {
        SIFT_ASSIGN_OR_RETURN(m->minimum_should_match, msm_param(o.value, qn));
      } else if (!phrase && key == "lenient") {
        SIFT_ASSIGN_OR_RETURN(m->lenient, bool_param(o.value, qn, key));
      } else if (!phrase && (key == "fuzziness" || key == "prefix_length" || key == "max_expansions" ||
                             key == "fuzzy_transpositions" || key == "fuzzy_rewrite")) {
        SIFT_RETURN_IF_ERROR(parse_fuzzy_option(o.value, qn, key, &m->fuzzy, &handled));
      } else if (phrase && key == "slop") {
        SIFT_ASSIGN_OR_RETURN(p->slop, int_param(o.value, qn, key));
      } else if (phrase && key == "max_expansions") {
        SIFT_ASSIGN_OR_RETURN(p->max_expansions, int_param(o.value, qn, key));
      } else if (!phrase && key == "auto_generate_synonyms_phrase_query") {
        SIFT_ASSIGN_OR_RETURN(m->auto_generate_synonyms_phrase_query, bool_param(o.value, qn, key));
      } else if (ignorable_match_option(key)) {
        continue;
      } else {
        return parsing_error("[" + name + "] query does not support [" + key + "]");
      }
    }
    if (!has_query) return parsing_error("[" + name + "] requires query value");
  }
  if (phrase) return std::unique_ptr<Query>(std::move(p));
  return std::unique_ptr<Query>(std::move(m));
}

Result<std::unique_ptr<Query>> Parser::parse_multi_match(const Value& body) {
  if (!body.IsObject()) return parsing_error("[multi_match] query malformed, no start_object after query name");
  auto q = std::make_unique<MultiMatchQuery>();
  bool has_query = false;
  for (auto& o : body.GetObject()) {
    std::string key = o.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), o.value, "multi_match", &handled));
    if (handled) continue;
    if (key == "query") {
      SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(o.value, "multi_match"));
      q->text = s.text;
      has_query = true;
    } else if (key == "fields") {
      SIFT_RETURN_IF_ERROR(boosted_fields(o.value, "multi_match", &q->fields));
    } else if (key == "type") {
      std::string t = o.value.IsString() ? o.value.GetString() : "";
      if (t == "best_fields") q->type = MultiMatchQuery::Type::kBestFields;
      else if (t == "most_fields") q->type = MultiMatchQuery::Type::kMostFields;
      else if (t == "phrase") q->type = MultiMatchQuery::Type::kPhrase;
      else if (t == "phrase_prefix") q->type = MultiMatchQuery::Type::kPhrasePrefix;
      else if (t == "cross_fields") q->type = MultiMatchQuery::Type::kCrossFields;
      else if (t == "bool_prefix") q->type = MultiMatchQuery::Type::kBoolPrefix;
      else {
        return parsing_error("[multi_match] query does not support type " + t);
      }
    } else if (key == "tie_breaker") {
      if (!o.value.IsNumber()) return parsing_error("[multi_match] [tie_breaker] must be a number");
      q->tie_breaker = static_cast<float>(o.value.GetDouble());
    } else if (key == "operator") {
      SIFT_ASSIGN_OR_RETURN(q->and_operator, operator_param(o.value, "multi_match"));
    } else if (key == "minimum_should_match") {
      SIFT_ASSIGN_OR_RETURN(q->minimum_should_match, msm_param(o.value, "multi_match"));
    } else if (key == "analyzer") {
      if (!o.value.IsString()) return parsing_error("[multi_match] [analyzer] must be a string");
      q->analyzer = o.value.GetString();
    } else if (key == "slop") {
      SIFT_ASSIGN_OR_RETURN(q->slop, int_param(o.value, "multi_match", key));
    } else if (key == "lenient") {
      SIFT_ASSIGN_OR_RETURN(q->lenient, bool_param(o.value, "multi_match", key));
    } else if (key == "zero_terms_query") {
      SIFT_ASSIGN_OR_RETURN(q->zero_terms_all, zero_terms_param(o.value, "multi_match"));
    } else if (key == "fuzziness" || key == "prefix_length" || key == "max_expansions" ||
               key == "fuzzy_transpositions" || key == "fuzzy_rewrite") {
      SIFT_RETURN_IF_ERROR(parse_fuzzy_option(o.value, "multi_match", key, &q->fuzzy, &handled));
    } else if (key == "auto_generate_synonyms_phrase_query") {
      SIFT_ASSIGN_OR_RETURN(q->auto_generate_synonyms_phrase_query, bool_param(o.value, "multi_match", key));
    } else if (ignorable_match_option(key)) {
      continue;
    } else {
      return parsing_error("[multi_match] query does not support [" + key + "]");
    }
  }
  if (!has_query) return parsing_error("No text specified for multi_match query");
  if (q->type == MultiMatchQuery::Type::kBoolPrefix && q->slop != 0) {
    return parsing_error("[slop] not allowed for type [bool_prefix]");
  }
  if (!q->fuzzy.fuzziness.empty() && (q->type == MultiMatchQuery::Type::kPhrase ||
                                      q->type == MultiMatchQuery::Type::kPhrasePrefix ||
                                      q->type == MultiMatchQuery::Type::kCrossFields)) {
    static const char* kTypes[] = {"best_fields", "most_fields", "phrase", "phrase_prefix", "bool_prefix", "cross_fields"};
    return parsing_error(std::string("Fuzziness not allowed for type [") + kTypes[static_cast<int>(q->type)] + "]");
  }
  if (q->fields.empty()) q->fields.emplace_back("*", 1.0f);  // index.query.default_field
  return std::unique_ptr<Query>(std::move(q));
}

Result<std::unique_ptr<Query>> Parser::parse_field_value(const Value& body, const std::string& name) {
  const char* qn = name.c_str();
  if (!body.IsObject()) return parsing_error("[" + name + "] query malformed, no start_object after query name");
  if (name == "exists") {
    auto q = std::make_unique<ExistsQuery>();
    for (auto& o : body.GetObject()) {
      std::string key = o.name.GetString();
      bool handled;
      SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), o.value, qn, &handled));
      if (handled) continue;
      if (key == "field" && o.value.IsString()) q->field = o.value.GetString();
      else return parsing_error("[exists] query does not support [" + key + "]");
    }
    if (q->field.empty()) return parsing_error("[exists] must be provided with a [field]");
    return std::unique_ptr<Query>(std::move(q));
  }
  if (body.MemberCount() != 1) return parsing_error("[" + name + "] query doesn't support multiple fields");
  const auto& f = *body.MemberBegin();
  std::string field = f.name.GetString(), value;
  bool case_insensitive = false;
  float boost = 1.0f;
  std::string query_name;
  if (f.value.IsObject()) {
    for (auto& o : f.value.GetObject()) {
      std::string key = o.name.GetString();
      if (key == "value" || (name == "wildcard" && key == "wildcard")) {
        SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(o.value, qn));
        value = s.text;
      } else if (key == "case_insensitive") {
        SIFT_ASSIGN_OR_RETURN(case_insensitive, bool_param(o.value, qn, key));
      } else if (key == "boost" && o.value.IsNumber()) {
        boost = static_cast<float>(o.value.GetDouble());
      } else if (key == "_name" && o.value.IsString()) {
        query_name = o.value.GetString();
      } else if (key == "rewrite") {
        continue;
      } else {
        return parsing_error("[" + name + "] query does not support [" + key + "]");
      }
    }
  } else {
    SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(f.value, qn));
    value = s.text;
  }
  std::unique_ptr<Query> out;
  if (name == "prefix") {
    auto q = std::make_unique<PrefixQuery>();
    q->field = field;
    q->value = value;
    q->case_insensitive = case_insensitive;
    out = std::move(q);
  } else {
    if (value.size() > 1000) {
      return invalid_argument("The length of the wildcard pattern exceeds the allowed maximum of [1000]");
    }
    auto q = std::make_unique<WildcardQuery>();
    q->field = field;
    q->pattern = value;
    q->case_insensitive = case_insensitive;
    out = std::move(q);
  }
  out->boost = boost;
  out->name = query_name;
  return out;
}

Result<std::unique_ptr<Query>> Parser::parse_range(const Value& body) {
  if (!body.IsObject() || body.MemberCount() != 1) return parsing_error("[range] query doesn't support multiple fields");
  const auto& f = *body.MemberBegin();
  auto q = std::make_unique<RangeQuery>();
  q->field = f.name.GetString();
  if (!f.value.IsObject()) return parsing_error("[range] query malformed, no start_object after query name");
  bool include_lower = true, include_upper = true;
  std::optional<Scalar> from, to;
  for (auto& o : f.value.GetObject()) {
    std::string key = o.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), o.value, "range", &handled));
    if (handled) continue;
    auto bound = [&](std::optional<Scalar>* slot) -> Status {
      if (o.value.IsNull()) {
        slot->reset();
        return Status::ok();
      }
      SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(o.value, "range"));
      *slot = std::move(s);
      return Status::ok();
    };
    if (key == "gt") SIFT_RETURN_IF_ERROR(bound(&q->gt));
    else if (key == "gte") SIFT_RETURN_IF_ERROR(bound(&q->gte));
    else if (key == "lt") SIFT_RETURN_IF_ERROR(bound(&q->lt));
    else if (key == "lte") SIFT_RETURN_IF_ERROR(bound(&q->lte));
    else if (key == "from") SIFT_RETURN_IF_ERROR(bound(&from));
    else if (key == "to") SIFT_RETURN_IF_ERROR(bound(&to));
    else if (key == "include_lower") { SIFT_ASSIGN_OR_RETURN(include_lower, bool_param(o.value, "range", key)); }
    else if (key == "include_upper") { SIFT_ASSIGN_OR_RETURN(include_upper, bool_param(o.value, "range", key)); }
    else if (key == "format" && o.value.IsString()) q->format = o.value.GetString();
    else if (key == "time_zone" && o.value.IsString()) q->time_zone = o.value.GetString();
    else if (key == "relation") {
      std::string r = o.value.IsString() ? o.value.GetString() : "";
      if (r != "intersects" && r != "INTERSECTS") return invalid_argument("[range] relation [" + r + "] is only supported on range fields");
    } else {
      return parsing_error("[range] query does not support [" + key + "]");
    }
  }
  if (from) (include_lower ? q->gte : q->gt) = from;
  if (to) (include_upper ? q->lte : q->lt) = to;
  return std::unique_ptr<Query>(std::move(q));
}

Result<std::unique_ptr<Query>> Parser::parse_dis_max(const Value& body, int depth) {
  if (!body.IsObject()) return parsing_error("[dis_max] query malformed, no start_object after query name");
  auto q = std::make_unique<DisMaxQuery>();
  for (auto& o : body.GetObject()) {
    std::string key = o.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), o.value, "dis_max", &handled));
    if (handled) continue;
    if (key == "queries") {
      if (!o.value.IsArray()) return parsing_error("[dis_max] [queries] must be an array");
      for (auto& e : o.value.GetArray()) {
        SIFT_ASSIGN_OR_RETURN(auto sub, parse(e, depth + 1));
        q->queries.push_back(std::move(sub));
      }
    } else if (key == "tie_breaker" && o.value.IsNumber()) {
      q->tie_breaker = static_cast<float>(o.value.GetDouble());
    } else {
      return parsing_error("[dis_max] query does not support [" + key + "]");
    }
  }
  if (q->queries.empty()) return parsing_error("[dis_max] requires 'queries' field with at least one clause");
  return std::unique_ptr<Query>(std::move(q));
}

Result<std::unique_ptr<Query>> Parser::parse_query_string_query(const Value& body) {
  if (!body.IsObject()) return parsing_error("[query_string] query malformed, no start_object after query name");
  auto q = std::make_unique<QueryStringQuery>();
  bool has_query = false;
  for (auto& o : body.GetObject()) {
    std::string key = o.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), o.value, "query_string", &handled));
    if (handled) continue;
    if (key == "query") {
      SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(o.value, "query_string"));
      q->query = s.text;
      has_query = true;
    } else if (key == "default_field" && o.value.IsString()) {
      q->fields = {{o.value.GetString(), 1.0f}};
    } else if (key == "fields") {
      SIFT_RETURN_IF_ERROR(boosted_fields(o.value, "query_string", &q->fields));
    } else if (key == "default_operator") {
      SIFT_ASSIGN_OR_RETURN(q->and_default, operator_param(o.value, "query_string"));
    } else if (key == "analyzer" && o.value.IsString()) {
      q->analyzer = o.value.GetString();
    } else if (key == "lenient") {
      SIFT_ASSIGN_OR_RETURN(q->lenient, bool_param(o.value, "query_string", key));
    } else if (key == "analyze_wildcard") {
      SIFT_ASSIGN_OR_RETURN(q->analyze_wildcard, bool_param(o.value, "query_string", key));
    } else if (key == "tie_breaker" && o.value.IsNumber()) {
      q->tie_breaker = static_cast<float>(o.value.GetDouble());
    } else if (key == "minimum_should_match") {
      SIFT_ASSIGN_OR_RETURN(q->minimum_should_match, msm_param(o.value, "query_string"));
    } else if (key == "time_zone" && o.value.IsString()) {
      q->time_zone = o.value.GetString();
    } else if (key == "fuzziness" || key == "fuzzy_max_expansions" || key == "fuzzy_prefix_length" ||
               key == "fuzzy_transpositions" || key == "fuzzy_rewrite") {
      SIFT_RETURN_IF_ERROR(parse_fuzzy_option(o.value, "query_string", key, &q->fuzzy, &handled));
    } else if (key == "max_determinized_states") {
      SIFT_ASSIGN_OR_RETURN(q->max_determinized_states, int_param(o.value, "query_string", key));
    } else if (key == "allow_leading_wildcard" || key == "enable_position_increments" ||
               key == "phrase_slop" || key == "quote_field_suffix" || key == "auto_generate_synonyms_phrase_query" ||
               key == "escape" || key == "type" || key == "rewrite" ||
               key == "quote_analyzer" || key == "split_on_whitespace") {
      continue;  // accepted; their defaults are what Sift does
    } else {
      return parsing_error("[query_string] query does not support [" + key + "]");
    }
  }
  if (!has_query) return parsing_error("[query_string] requires 'query' field");
  SIFT_ASSIGN_OR_RETURN(q->root, parse_query_string(q->query));
  return std::unique_ptr<Query>(std::move(q));
}

// simple_query_string keeps its text and options; the syntax is read when it is bound to a mapping
// (simple_query_string.h) and never fails, so only the options can be wrong here.
Result<std::unique_ptr<Query>> Parser::parse_simple_query_string_query(const Value& body) {
  static constexpr const char* kName = "simple_query_string";
  if (!body.IsObject()) return parsing_error("[simple_query_string] query malformed, no start_object after query name");
  auto q = std::make_unique<SimpleQueryStringQuery>();
  bool has_query = false;
  for (auto& o : body.GetObject()) {
    std::string key = o.name.GetString();
    const Value& v = o.value;
    if (v.IsArray()) {
      if (key != "fields") return parsing_error("[simple_query_string] query does not support [" + key + "]");
      SIFT_RETURN_IF_ERROR(boosted_fields(v, kName, &q->fields));
      continue;
    }
    if (v.IsObject()) {
      return parsing_error("[simple_query_string] unknown token [START_OBJECT] after [" + key + "]");
    }
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), v, kName, &handled));
    if (handled) continue;
    if (key == "query") {
      SIFT_ASSIGN_OR_RETURN(Scalar text, to_scalar(v, kName));
      q->query = std::move(text.text);
      has_query = true;
    } else if (key == "analyzer" && v.IsString()) {
      q->analyzer = v.GetString();
    } else if (key == "default_operator") {
      SIFT_ASSIGN_OR_RETURN(q->and_default, operator_param(v, kName));
    } else if (key == "flags") {
      if (v.IsInt64()) {
        q->flags = v.GetInt64() < 0 ? kSqsAll : static_cast<uint32_t>(v.GetInt64());
      } else if (v.IsString()) {
        SIFT_ASSIGN_OR_RETURN(q->flags, parse_sqs_flags(std::string_view(v.GetString(), v.GetStringLength())));
      } else {
        return parsing_error("[simple_query_string] [flags] must be a string or an integer");
      }
    } else if (key == "lenient") {
      SIFT_ASSIGN_OR_RETURN(bool lenient, bool_param(v, kName, key));
      q->lenient = lenient;
    } else if (key == "analyze_wildcard") {
      SIFT_ASSIGN_OR_RETURN(q->analyze_wildcard, bool_param(v, kName, key));
    } else if (key == "minimum_should_match") {
      if (!v.IsNull()) {
        SIFT_ASSIGN_OR_RETURN(q->minimum_should_match, msm_param(v, kName));
      }
    } else if (key == "quote_field_suffix") {
      if (v.IsString()) q->quote_field_suffix = v.GetString();
    } else if (key == "auto_generate_synonyms_phrase_query") {
      SIFT_ASSIGN_OR_RETURN(q->auto_generate_synonyms_phrase_query, bool_param(v, kName, key));
    } else if (key == "fuzzy_prefix_length") {
      SIFT_ASSIGN_OR_RETURN(q->fuzzy_prefix_length, int_param(v, kName, key));
    } else if (key == "fuzzy_max_expansions") {
      SIFT_ASSIGN_OR_RETURN(q->fuzzy_max_expansions, int_param(v, kName, key));
    } else if (key == "fuzzy_transpositions") {
      SIFT_ASSIGN_OR_RETURN(q->fuzzy_transpositions, bool_param(v, kName, key));
    } else if (key == "locale" || key == "lowercase_expanded_terms" || key == "all_fields") {
      continue;  // deprecated, ignored as OpenSearch ignores them
    } else {
      return parsing_error("[simple_query_string] unsupported field [" + key + "]");
    }
  }
  if (!has_query) return parsing_error("[simple_query_string] query text missing");
  return std::unique_ptr<Query>(std::move(q));
}

// match_bool_prefix is a bool_prefix multi_match over one field.
Result<std::unique_ptr<Query>> Parser::parse_match_bool_prefix(const Value& body) {
  static constexpr const char* kName = "match_bool_prefix";
  if (!body.IsObject() || body.MemberCount() == 0) {
    return parsing_error("[match_bool_prefix] query malformed, no start_object after query name");
  }
  if (body.MemberCount() > 1) {
    return parsing_error("[match_bool_prefix] query doesn't support multiple fields, found [" +
                         std::string(body.MemberBegin()->name.GetString()) + "] and [" +
                         std::string((body.MemberBegin() + 1)->name.GetString()) + "]");
  }
  auto q = std::make_unique<MultiMatchQuery>();
  q->type = MultiMatchQuery::Type::kBoolPrefix;
  const auto& f = *body.MemberBegin();
  q->fields.emplace_back(f.name.GetString(), 1.0f);
  if (!f.value.IsObject()) {
    SIFT_ASSIGN_OR_RETURN(Scalar text, to_scalar(f.value, kName));
    q->text = std::move(text.text);
    return std::unique_ptr<Query>(std::move(q));
  }
  bool has_query = false;
  for (auto& o : f.value.GetObject()) {
    std::string key = o.name.GetString();
    const Value& v = o.value;
    if (v.IsObject() || v.IsArray()) {
      return parsing_error("[match_bool_prefix] unknown token [" + std::string(json_type_name(v)) + "] after [" + key + "]");
    }
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), v, kName, &handled));
    if (handled) continue;
    if (key == "query") {
      SIFT_ASSIGN_OR_RETURN(Scalar text, to_scalar(v, kName));
      q->text = std::move(text.text);
      has_query = true;
    } else if (key == "analyzer" && v.IsString()) {
      q->analyzer = v.GetString();
    } else if (key == "operator") {
      SIFT_ASSIGN_OR_RETURN(q->and_operator, operator_param(v, kName));
    } else if (key == "minimum_should_match") {
      if (!v.IsNull()) {
        SIFT_ASSIGN_OR_RETURN(q->minimum_should_match, msm_param(v, kName));
      }
    } else if (key == "fuzziness" || key == "prefix_length" || key == "max_expansions" ||
               key == "fuzzy_transpositions" || key == "fuzzy_rewrite") {
      SIFT_RETURN_IF_ERROR(parse_fuzzy_option(v, kName, key, &q->fuzzy, &handled));
    } else {
      return parsing_error("[match_bool_prefix] query does not support [" + key + "]");
    }
  }
  if (!has_query) return invalid_argument("[match_bool_prefix] requires query value");
  return std::unique_ptr<Query>(std::move(q));
}

Result<std::unique_ptr<Query>> Parser::parse_constant_score(const Value& body, int depth) {
  if (!body.IsObject()) return parsing_error("[constant_score] query malformed, no start_object after query name");
  auto q = std::make_unique<ConstantScoreQuery>();
  for (auto& p : body.GetObject()) {
    std::string key = p.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), p.value, "constant_score", &handled));
    if (handled) continue;
    if (key == "filter") {
      SIFT_ASSIGN_OR_RETURN(q->filter, parse(p.value, depth + 1));
    } else {
      return parsing_error("[constant_score] query does not support [" + key + "]");
    }
  }
  if (!q->filter) return parsing_error("[constant_score] requires a 'filter' element");
  return std::unique_ptr<Query>(std::move(q));
}

// Jackson's floatValue(): numbers and numeric strings.
Result<float> float_param(const Value& v, const std::string& query, const std::string& key) {
  if (v.IsNumber()) return static_cast<float>(v.GetDouble());
  if (v.IsString()) {
    char* end = nullptr;
    float f = std::strtof(v.GetString(), &end);
    if (end != v.GetString() && *end == '\0') return f;
  }
  return parsing_error("[" + query + "] [" + key + "] must be a number");
}

Result<float> function_weight(const Value& v) {
  SIFT_ASSIGN_OR_RETURN(float w, float_param(v, "function_score", "weight"));
  if (w < 0) return invalid_argument("[weight] cannot be negative for a filtering function");
  return w;
}

// A score function's body; the registry of names is score_function_parser.h's.
Status function_body(const std::string& name, const Value& body, ScoreFunction* out) {
  if (!is_score_function_name(name)) {
    return Status(Code::kInvalidArgument, "named_object_not_found_exception", "unknown field [" + name + "]");
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  body.Accept(w);
  return parse_score_function(name, std::string_view(buf.GetString(), buf.GetSize()), out);
}

Status Parser::parse_functions_array(const Value& array, int depth, std::vector<ScoreFunction>* out) {
  for (auto& e : array.GetArray()) {
    if (!e.IsObject()) {
      return parsing_error("failed to parse [START_OBJECT]. malformed query, expected a [" +
                           std::string(json_type_name(e)) + "] while parsing functions but got a [function_score] instead");
    }
    ScoreFunction f;
    std::string function;
    std::optional<float> weight;
    std::unique_ptr<Query> filter;
    for (auto& m : e.GetObject()) {
      std::string key = m.name.GetString();
      if (m.value.IsObject() && key == "filter") {
        SIFT_ASSIGN_OR_RETURN(filter, parse(m.value, depth + 1));
      } else if (m.value.IsObject()) {
        if (!function.empty()) {
          return parsing_error("failed to parse function_score functions. already found [" + function +
                               "], now encountering [" + key + "].");
        }
        SIFT_RETURN_IF_ERROR(function_body(key, m.value, &f));
        function = key;
      } else if (key == "weight" && !m.value.IsArray()) {
        SIFT_ASSIGN_OR_RETURN(weight, function_weight(m.value));
      } else if (key != "_name" || m.value.IsArray()) {
        return parsing_error("failed to parse [function_score] query. field [" + key + "] is not supported");
      }
    }
    if (function.empty() && !weight) {
      return parsing_error("failed to parse [function_score] query. an entry in functions list is missing a function.");
    }
    f.weight = weight;
    if (filter && filter->kind != Query::Kind::kMatchAll) f.filter = std::move(filter);  // match_all: no filter
    out->push_back(std::move(f));
  }
  return Status::ok();
}

Result<std::unique_ptr<Query>> Parser::parse_function_score(const Value& body, int depth) {
  if (!body.IsObject()) return parsing_error("[function_score] query malformed, no start_object after query name");
  auto q = std::make_unique<FunctionScoreQuery>();
  bool array_found = false;
  std::string single;  // the function given at the top level
  auto misplaced = [](const std::string& what) {
    return parsing_error("failed to parse [function_score] query. [you can either define [functions] array or a single "
                         "function, not both. " + what + "]");
  };
  auto already = [&](const std::string& key) {
    return parsing_error("failed to parse [function_score] query. already found function [" + single +
                         "], now encountering [" + key + "]. use [functions] array if you want to define several functions.");
  };
  for (auto& m : body.GetObject()) {
    std::string key = m.name.GetString();
    const Value& v = m.value;
    bool handled;
    if (v.IsObject() && key == "query") {
      SIFT_ASSIGN_OR_RETURN(q->query, parse(v, depth + 1));
    } else if (v.IsObject()) {
      if (!single.empty()) return already(key);
      if (array_found) return misplaced("already found [functions] array, now encountering [" + key + "].");
      ScoreFunction f;
      SIFT_RETURN_IF_ERROR(function_body(key, v, &f));
      q->functions.push_back(std::move(f));
      single = key;
    } else if (v.IsArray()) {
      if (key != "functions") return parsing_error("failed to parse [function_score] query. array [" + key + "] is not supported");
      if (!single.empty()) return misplaced("already found [" + single + "], now encountering [functions].");
      array_found = true;
      SIFT_RETURN_IF_ERROR(parse_functions_array(v, depth, &q->functions));
    } else if (key == "score_mode" || key == "boost_mode") {
      std::string mode = v.IsString() ? v.GetString() : "";
      for (auto& c : mode) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      static const char* kModes[] = {"MULTIPLY", "SUM", "AVG", "FIRST", "MAX", "MIN", "REPLACE"};
      int found = -1;
      for (int i = 0; i < 7; ++i) {
        if (mode == kModes[i]) found = i;
      }
      if (key == "score_mode") {
        if (found < 0 || found == 6) {
          return invalid_argument("No enum constant org.opensearch.common.lucene.search.function.FunctionScoreQuery.ScoreMode." + mode);
        }
        q->score_mode = static_cast<FunctionScoreMode>(found);
      } else {
        static const int kBoostModes[] = {0, 2, 3, -1, 4, 5, 1};  // kModes index -> BoostMode
        if (found < 0 || kBoostModes[found] < 0) {
          return invalid_argument("No enum constant org.opensearch.common.lucene.search.function.CombineFunction." + mode);
        }
        q->boost_mode = static_cast<BoostMode>(kBoostModes[found]);
      }
    } else if (key == "max_boost") {
      SIFT_ASSIGN_OR_RETURN(q->max_boost, float_param(v, "function_score", key));
    } else if (key == "min_score") {
      SIFT_ASSIGN_OR_RETURN(q->min_score, float_param(v, "function_score", key));
    } else if (key == "boost") {
      SIFT_ASSIGN_OR_RETURN(q->boost, float_param(v, "function_score", key));
    } else if (key == "_name") {
      SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), v, "function_score", &handled));
    } else {
      if (!single.empty()) return already(key);
      if (array_found) return misplaced("already found [functions] array, now encountering [" + key + "].");
      if (key != "weight") return parsing_error("failed to parse [function_score] query. field [" + key + "] is not supported");
      ScoreFunction f;
      SIFT_ASSIGN_OR_RETURN(f.weight, function_weight(v));
      q->functions.push_back(std::move(f));
      single = key;
    }
  }
  if (!q->query) q->query = std::make_unique<MatchAllQuery>();
  return std::unique_ptr<Query>(std::move(q));
}

Result<std::unique_ptr<Query>> Parser::parse_boosting(const Value& body, int depth) {
  if (!body.IsObject()) return parsing_error("[boosting] query malformed, no start_object after query name");
  auto q = std::make_unique<BoostingQuery>();
  float negative_boost = -1;
  for (auto& m : body.GetObject()) {
    std::string key = m.name.GetString();
    bool handled;
    if (m.value.IsObject() && (key == "positive" || key == "negative")) {
      SIFT_ASSIGN_OR_RETURN(auto sub, parse(m.value, depth + 1));
      (key == "positive" ? q->positive : q->negative) = std::move(sub);
    } else if (key == "negative_boost" && !m.value.IsObject() && !m.value.IsArray()) {
      SIFT_ASSIGN_OR_RETURN(negative_boost, float_param(m.value, "boosting", key));
    } else if (m.value.IsObject() || m.value.IsArray()) {
      return parsing_error("[boosting] query does not support [" + key + "]");
    } else {
      SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), m.value, "boosting", &handled));
      if (!handled) return parsing_error("[boosting] query does not support [" + key + "]");
    }
  }
  if (!q->positive) return parsing_error("[boosting] query requires 'positive' query to be set'");
  if (!q->negative) return parsing_error("[boosting] query requires 'negative' query to be set'");
  if (negative_boost < 0) return parsing_error("[boosting] query requires 'negative_boost' to be set to be a positive value'");
  q->negative_boost = negative_boost;
  return std::unique_ptr<Query>(std::move(q));
}

// OpenSearch's NestedQueryBuilder: path and query required; score_mode avg (default), max, min,
// sum (or total), none; ignore_unmapped; inner_hits (name, from, size, _source).
Result<std::unique_ptr<Query>> Parser::parse_nested(const Value& body, int depth) {
  if (!body.IsObject()) return parsing_error("[nested] query malformed, no start_object after query name");
  auto q = std::make_unique<NestedQuery>();
  bool has_path = false;
  for (auto& m : body.GetObject()) {
    std::string key = m.name.GetString();
    bool handled;
    if (key == "query") {
      if (!m.value.IsObject()) return parsing_error("[nested] query malformed, [query] must be an object");
      ++nested_depth_;
      auto inner = parse(m.value, depth + 1);
      --nested_depth_;
      SIFT_ASSIGN_OR_RETURN(q->query, std::move(inner));
    } else if (key == "path") {
      if (!m.value.IsString()) return parsing_error(std::string("[nested] query does not support [path] as ") + json_token_name(m.value.GetType()));
      q->path = m.value.GetString();
      has_path = true;
    } else if (key == "score_mode") {
      std::string mode = m.value.IsString() ? m.value.GetString() : "";
      if (mode == "avg") q->score_mode = NestedQuery::ScoreMode::kAvg;
      else if (mode == "max") q->score_mode = NestedQuery::ScoreMode::kMax;
      else if (mode == "min") q->score_mode = NestedQuery::ScoreMode::kMin;
      else if (mode == "sum" || mode == "total") q->score_mode = NestedQuery::ScoreMode::kSum;
      else if (mode == "none") q->score_mode = NestedQuery::ScoreMode::kNone;
      else return invalid_argument("No score mode for child query [" + mode + "] found");
    } else if (key == "ignore_unmapped") {
      if (!m.value.IsBool()) return parsing_error(std::string("[nested] query does not support [ignore_unmapped] as ") + json_token_name(m.value.GetType()));
      q->ignore_unmapped = m.value.GetBool();
    } else if (key == "inner_hits") {
      if (!m.value.IsObject()) return parsing_error("[inner_hits] must be an object");
      if (nested_depth_ > 0) return invalid_argument("[inner_hits] inside a nested query's query are not supported yet");
      NestedQuery::InnerHits ih;
      for (auto& p : m.value.GetObject()) {
        std::string k = p.name.GetString();
        if (k == "name" && p.value.IsString()) {
          ih.name = p.value.GetString();
        } else if ((k == "from" || k == "size") && p.value.IsInt64() && p.value.GetInt64() >= 0) {
          (k == "from" ? ih.from : ih.size) = p.value.GetInt64();
        } else if (k == "_source" && p.value.IsBool()) {
          ih.source = p.value.GetBool();
        } else if (k == "from" || k == "size" || k == "name" || k == "_source") {
          return parsing_error("[inner_hits] [" + k + "] has an unsupported value");
        } else {
          return invalid_argument("[inner_hits] [" + k + "] is not supported yet");
        }
      }
      q->inner_hits = std::move(ih);
    } else if (m.value.IsObject() || m.value.IsArray()) {
      return parsing_error("[nested] query does not support [" + key + "]");
    } else {
      SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), m.value, "nested", &handled));
      if (!handled) return parsing_error("[nested] query does not support [" + key + "]");
    }
  }
  if (!has_path) return parsing_error("[nested] requires 'path' field");
  if (!q->query) return parsing_error("[nested] requires 'query' field");
  if (auto& ih = q->inner_hits) {
    if (ih->name.empty()) ih->name = q->path;
    // index.max_inner_result_window's default.
    if (ih->from + ih->size > 100) {
      return invalid_argument("Inner result window is too large, the inner hit definition's [" + ih->name +
                              "]'s from + size must be less than or equal to: [100] but was [" +
                              std::to_string(ih->from + ih->size) +
                              "]. This limit can be set by changing the [index.max_inner_result_window] index level setting.");
    }
  }
  return std::unique_ptr<Query>(std::move(q));
}

// OpenSearch's parser rejects an object with the same key twice; RapidJSON keeps both, so look.
// Iterative, because bodies may nest deeper than the stack allows recursion.
Status check_duplicate_keys(const Value& root) {
  std::vector<const Value*> stack{&root};
  std::vector<std::string_view> keys;
  while (!stack.empty()) {
    const Value* v = stack.back();
    stack.pop_back();
    if (v->IsObject()) {
      keys.clear();
      for (auto& m : v->GetObject()) {
        keys.emplace_back(m.name.GetString(), m.name.GetStringLength());
        stack.push_back(&m.value);
      }
      std::sort(keys.begin(), keys.end());
      for (size_t i = 1; i < keys.size(); ++i) {
        if (keys[i] == keys[i - 1]) {
          return Status(Code::kParseError, "parse_exception", "Duplicate field '" + std::string(keys[i]) + "'");
        }
      }
    } else if (v->IsArray()) {
      for (auto& e : v->GetArray()) stack.push_back(&e);
    }
  }
  return Status::ok();
}

Status parse_json(std::string_view json, rapidjson::Document* doc) {
  doc->Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc->HasParseError()) {
    return Status(Code::kParseError, "parse_exception",
                  std::string("request body is not valid JSON: ") + rapidjson::GetParseError_En(doc->GetParseError()) +
                      " at offset " + std::to_string(doc->GetErrorOffset()));
  }
  return check_duplicate_keys(*doc);
}

Status parse_source_filter(const Value& v, SourceFilter* f) {
  auto add_list = [](const Value& x, std::vector<std::string>* out) -> Status {
    if (x.IsString()) {
      out->emplace_back(x.GetString());
    } else if (x.IsArray()) {
      for (auto& e : x.GetArray()) {
        if (!e.IsString()) return parsing_error("[_source] patterns must be strings");
        out->emplace_back(e.GetString());
      }
    } else {
      return parsing_error("[_source] expected a string or an array of strings");
    }
    return Status::ok();
  };
  if (v.IsBool()) {
    f->fetch = v.GetBool();
  } else if (v.IsString() || v.IsArray()) {
    return add_list(v, &f->includes);
  } else if (v.IsObject()) {
    for (auto& p : v.GetObject()) {
      std::string key = p.name.GetString();
      if (key == "includes" || key == "include") SIFT_RETURN_IF_ERROR(add_list(p.value, &f->includes));
      else if (key == "excludes" || key == "exclude") SIFT_RETURN_IF_ERROR(add_list(p.value, &f->excludes));
      else return parsing_error("Unknown key for a START_OBJECT in [_source]: [" + key + "].");
    }
  } else {
    return parsing_error("[_source] must be a boolean, string, array or object");
  }
  return Status::ok();
}

// A sort's `nested` object: path, filter, max_children, nested (NestedSortBuilder).
Result<std::shared_ptr<const NestedSortSpec>> parse_nested_sort(const Value& v, Parser& parser, int depth) {
  if (!v.IsObject()) return parsing_error("[nested] must be an object");
  if (depth > 20) return parsing_error("[nested] sort nesting is too deep");
  auto spec = std::make_shared<NestedSortSpec>();
  bool max_children_set = false;
  for (auto& p : v.GetObject()) {
    std::string key = p.name.GetString();
    if (key == "path") {
      if (!p.value.IsString()) return parsing_error("[nested] path doesn't support values of type: " + std::string(json_type_name(p.value)));
      spec->path = p.value.GetString();
    } else if (key == "filter") {
      SIFT_ASSIGN_OR_RETURN(std::unique_ptr<Query> q, parser.parse(p.value, 0));
      spec->filter = std::move(q);
    } else if (key == "max_children") {
      if (!p.value.IsInt64() || p.value.GetInt64() < 0 || p.value.GetInt64() > INT32_MAX) {
        return parsing_error("[nested] failed to parse field [max_children]");
      }
      spec->max_children = p.value.GetInt64();
      max_children_set = true;
    } else if (key == "nested") {
      SIFT_ASSIGN_OR_RETURN(spec->nested, parse_nested_sort(p.value, parser, depth + 1));
    } else {
      return parsing_error("[nested] unknown field [" + key + "]");
    }
  }
  if (spec->path.empty()) return parsing_error("[nested] requires 'path' field");
  if (max_children_set && spec->nested != nullptr) {
    return invalid_argument("max_children is only supported on last level of nested sort");
  }
  return std::shared_ptr<const NestedSortSpec>(std::move(spec));
}

Status parse_sort_entry(const Value& v, Parser& parser, std::vector<SortSpec>* out) {
  if (v.IsString()) {
    SortSpec s;
    s.field = v.GetString();
    s.descending = s.field == "_score";
    out->push_back(std::move(s));
    return Status::ok();
  }
  if (!v.IsObject() || v.MemberCount() != 1) return parsing_error("[sort] malformed sort entry");
  const auto& m = *v.MemberBegin();
  SortSpec s;
  s.field = m.name.GetString();
  s.descending = s.field == "_score";
  auto set_order = [&](const Value& o) -> Status {
    if (!o.IsString()) return parsing_error("[sort] order must be a string");
    std::string order = o.GetString();
    if (order == "asc") s.descending = false;
    else if (order == "desc") s.descending = true;
    else return invalid_argument("Unknown SortOrder [" + order + "]");
    return Status::ok();
  };
  std::string legacy_path;
  std::unique_ptr<Query> legacy_filter;
  if (m.value.IsString()) {
    SIFT_RETURN_IF_ERROR(set_order(m.value));
  } else if (m.value.IsObject()) {
    for (auto& p : m.value.GetObject()) {
      std::string key = p.name.GetString();
      if (key == "order") {
        SIFT_RETURN_IF_ERROR(set_order(p.value));
      } else if (key == "missing") {
        if (p.value.IsString()) s.missing = p.value.GetString();
        else if (p.value.IsNumber() || p.value.IsBool()) {
          SIFT_ASSIGN_OR_RETURN(Scalar v, to_scalar(p.value, "sort"));
          s.missing = v.text;
        }
      } else if (key == "unmapped_type" && p.value.IsString()) {
        s.unmapped_type = p.value.GetString();
      } else if (key == "mode" && p.value.IsString()) {
        s.mode = p.value.GetString();
        if (s.mode != "min" && s.mode != "max" && s.mode != "avg" && s.mode != "sum" && s.mode != "median") {
          return invalid_argument("Unknown SortMode [" + s.mode + "]");
        }
      } else if (key == "numeric_type") {
        std::string t = p.value.IsString() ? p.value.GetString() : "";
        for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (t != "long" && t != "double" && t != "date" && t != "date_nanos") {
          return invalid_argument("invalid value for [numeric_type], must be [LONG, DOUBLE, DATE, DATE_NANOS], got " +
                                  (p.value.IsString() ? std::string(p.value.GetString()) : std::string("a non-string")));
        }
        s.numeric_type = std::move(t);
      } else if (key == "format") {
        continue;
      } else if (key == "nested") {
        SIFT_ASSIGN_OR_RETURN(s.nested, parse_nested_sort(p.value, parser, 0));
      } else if (key == "nested_path" || key == "nested_filter") {  // the deprecated 6.x form
        if (key == "nested_path" && !p.value.IsString()) return parsing_error("[field_sort] nested_path must be a string");
        if (key == "nested_path") {
          legacy_path = p.value.GetString();
        } else {
          SIFT_ASSIGN_OR_RETURN(legacy_filter, parser.parse(p.value, 0));
        }
      } else {
        return parsing_error("[field_sort] unknown field [" + key + "]");
      }
    }
  } else {
    return parsing_error("[sort] malformed sort entry for [" + s.field + "]");
  }
  if (!legacy_path.empty() || legacy_filter != nullptr) {
    if (s.nested != nullptr) return parsing_error("Setting both nested_path/nested_filter and nested not allowed");
    if (legacy_path.empty()) return invalid_argument("[nested_filter] requires [nested_path]");
    auto spec = std::make_shared<NestedSortSpec>();
    spec->path = std::move(legacy_path);
    spec->filter = std::move(legacy_filter);
    s.nested = std::move(spec);
  }
  out->push_back(std::move(s));
  return Status::ok();
}

// `indices_boost`: [{"index": boost}, ...] or the deprecated {"index": boost, ...}.
Status parse_indices_boost(const Value& v, SearchRequest* req) {
  if (v.IsObject()) {
    req->indices_boost_object = true;
    for (auto& m : v.GetObject()) {
      if (m.value.IsObject() || m.value.IsArray()) {
        return parsing_error("Unknown key for a " + std::string(json_type_name(m.value)) + " in [" + m.name.GetString() + "].");
      }
      SIFT_ASSIGN_OR_RETURN(float boost, float_param(m.value, "indices_boost", m.name.GetString()));
      req->indices_boost.emplace_back(m.name.GetString(), boost);
    }
    return Status::ok();
  }
  if (!v.IsArray()) return parsing_error("Unknown key for a " + std::string(json_type_name(v)) + " in [indices_boost].");
  for (auto& e : v.GetArray()) {
    if (!e.IsObject()) {
      return parsing_error("Expected [START_OBJECT] in [indices_boost] but found [" + std::string(json_type_name(e)) + "]");
    }
    if (e.MemberCount() == 0) return parsing_error("Expected [FIELD_NAME] in [indices_boost] but found [END_OBJECT]");
    const auto& m = *e.MemberBegin();
    if (!m.value.IsNumber()) {
      return parsing_error("Expected [VALUE_NUMBER] in [indices_boost] but found [" + std::string(json_type_name(m.value)) + "]");
    }
    if (e.MemberCount() > 1) return parsing_error("Expected [END_OBJECT] in [indices_boost] but found [FIELD_NAME]");
    req->indices_boost.emplace_back(m.name.GetString(), static_cast<float>(m.value.GetDouble()));
  }
  return Status::ok();
}

Result<int64_t> non_negative_int(const Value& v, const char* name) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsString()) {
    try {
      size_t used = 0;
      int64_t n = std::stoll(v.GetString(), &used);
      if (used == v.GetStringLength()) return n;
    } catch (...) {
    }
  }
  return parsing_error(std::string("[") + name + "] must be an integer");
}

}  // namespace

Result<std::unique_ptr<Query>> parse_query(std::string_view json) {
  rapidjson::Document doc;
  SIFT_RETURN_IF_ERROR(parse_json(json, &doc));
  Parser p;
  return p.parse(doc, 0);
}

Result<SearchRequest> parse_search_request(std::string_view json, bool count_only) {
  SearchRequest req;
  size_t first = json.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return req;
  rapidjson::Document doc;
  SIFT_RETURN_IF_ERROR(parse_json(json, &doc));
  if (!doc.IsObject()) return parsing_error("request body must be a JSON object");
  Parser parser;
  for (auto& m : doc.GetObject()) {
    std::string key = m.name.GetString();
    const Value& v = m.value;
    if (key == "query") {
      SIFT_ASSIGN_OR_RETURN(req.query, parser.parse(v, 0));
      continue;
    }
    if (count_only) {
      if (key == "min_score" || key == "terminate_after") continue;
      return parsing_error("request does not support [" + key + "]");
    }
    if (key == "from") {
      SIFT_ASSIGN_OR_RETURN(req.from, non_negative_int(v, "from"));
    } else if (key == "size") {
      SIFT_ASSIGN_OR_RETURN(req.size, non_negative_int(v, "size"));
    } else if (key == "sort") {
      if (v.IsArray()) {
        for (auto& e : v.GetArray()) SIFT_RETURN_IF_ERROR(parse_sort_entry(e, parser, &req.sort));
      } else {
        SIFT_RETURN_IF_ERROR(parse_sort_entry(v, parser, &req.sort));
      }
    } else if (key == "track_total_hits") {
      req.track_total_hits_set = true;
      if (v.IsBool()) req.track_total_hits = v.GetBool() ? SearchRequest::kTrackAll : -1;
      else if (v.IsInt64() && v.GetInt64() >= -1) req.track_total_hits = v.GetInt64();
      else if (v.IsInt64()) return invalid_argument("[track_total_hits] parameter must be positive or equals to -1, got " + std::to_string(v.GetInt64()));
      else return parsing_error("[track_total_hits] must be a boolean or an integer");
    } else if (key == "_source") {
      SIFT_RETURN_IF_ERROR(parse_source_filter(v, &req.source));
      req.source_explicit = true;
    } else if (key == "docvalue_fields" || key == "fields") {
      if (!v.IsArray()) return parsing_error("[" + key + "] must be an array");
      auto& out = key == "fields" ? req.fields : req.docvalue_fields;
      for (auto& e : v.GetArray()) {
        FieldRequest f;
        if (e.IsString()) {
          f.field = e.GetString();
        } else if (e.IsObject()) {
          for (auto& m : e.GetObject()) {
            std::string k = m.name.GetString();
            if (k == "field" && m.value.IsString()) f.field = m.value.GetString();
            else if (k == "format" && m.value.IsString()) f.format = m.value.GetString();
            else if (k != "include_unmapped") return parsing_error("[" + key + "] unknown field [" + k + "]");
          }
        }
        if (f.field.empty()) return parsing_error("[" + key + "] entries need a [field]");
        out.push_back(std::move(f));
      }
    } else if (key == "stored_fields") {
      std::vector<std::string> names;
      if (v.IsString()) names.emplace_back(v.GetString());
      else if (v.IsArray()) {
        for (auto& e : v.GetArray()) {
          if (e.IsString()) names.emplace_back(e.GetString());
        }
      } else {
        return parsing_error("[stored_fields] must be a string or an array");
      }
      req.stored_fields = std::move(names);
    } else if (key == "search_after") {
      if (!v.IsArray()) return parsing_error("[search_after] must be an array");
      for (auto& e : v.GetArray()) {
        if (e.IsNull()) {
          Scalar s;
          s.kind = Scalar::Kind::kString;
          s.text = "\x01null";
          req.search_after.push_back(s);
          continue;
        }
        SIFT_ASSIGN_OR_RETURN(Scalar s, to_scalar(e, "search_after"));
        req.search_after.push_back(std::move(s));
      }
    } else if (key == "version") {
      if (!v.IsBool()) return parsing_error("[version] must be a boolean");
      req.version = v.GetBool();
    } else if (key == "seq_no_primary_term") {
      if (!v.IsBool()) return parsing_error("[seq_no_primary_term] must be a boolean");
      req.seq_no_primary_term = v.GetBool();
    } else if (key == "min_score") {
      if (!v.IsNumber()) return parsing_error("[min_score] must be a number");
      req.min_score = static_cast<float>(v.GetDouble());
    } else if (key == "terminate_after") {
      SIFT_ASSIGN_OR_RETURN(req.terminate_after, non_negative_int(v, "terminate_after"));
    } else if (key == "indices_boost") {
      SIFT_RETURN_IF_ERROR(parse_indices_boost(v, &req));
    } else if (key == "highlight" && v.IsObject()) {
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      v.Accept(w);
      SIFT_ASSIGN_OR_RETURN(req.highlight, parse_highlight(std::string_view(buf.GetString(), buf.GetSize())));
    } else if (key == "explain") {
      if (!v.IsBool()) return parsing_error("[explain] must be a boolean");
      req.explain = v.GetBool();
    } else if (key == "slice") {
      if (!v.IsObject()) return parsing_error("[slice] must be an object");
      SliceSpec slice;
      bool has_id = false, has_max = false;
      for (auto p = v.MemberBegin(); p != v.MemberEnd(); ++p) {
        std::string pk = p->name.GetString();
        if ((pk == "id" || pk == "max") && !p->value.IsInt()) return parsing_error("[slice] [" + pk + "] must be an integer");
        if (pk == "id") {
          slice.id = p->value.GetInt();
          has_id = true;
        } else if (pk == "max") {
          slice.max = p->value.GetInt();
          has_max = true;
        } else if (pk == "field") {
          if (!p->value.IsString() || std::string_view(p->value.GetString()) != "_id") {
            return invalid_argument("[slice] on a field other than [_id] is not supported");
          }
        } else {
          return parsing_error("[slice] unknown field [" + pk + "]");
        }
      }
      if (!has_id || !has_max) return parsing_error("[slice] requires [id] and [max]");
      if (slice.id < 0) return invalid_argument("id must be greater than or equal to 0");
      if (slice.max <= 1) return invalid_argument("max must be greater than 1");
      if (slice.id >= slice.max) return invalid_argument("max must be greater than id");
      req.slice = slice;
    } else if (key == "pit") {
      if (!v.IsObject()) return parsing_error("[pit] must be an object");
      for (auto p = v.MemberBegin(); p != v.MemberEnd(); ++p) {
        std::string pk = p->name.GetString();
        if (pk == "id" && p->value.IsString()) req.pit_id = p->value.GetString();
        else if (pk == "keep_alive" && p->value.IsString()) req.pit_keep_alive = p->value.GetString();
        else return parsing_error("[pit] unknown field [" + pk + "]");
      }
      if (req.pit_id.empty()) return parsing_error("[pit] requires [id]");
    } else if (key == "timeout") {
      if (v.IsString()) req.timeout = v.GetString();
      else if (v.IsInt64()) req.timeout = std::to_string(v.GetInt64()) + "ms";
      else return parsing_error("[timeout] must be a time value");
    } else if (key == "stats" || key == "profile") {
      continue;  // accepted; `profile` output is not produced
    } else {
      return parsing_error("Unknown key for a " + std::string(json_type_name(v)) + " in [" + key + "].");
    }
  }
  return req;
}

void apply_source_params(const std::string& source, const std::string& includes, const std::string& excludes,
                         SourceFilter* filter) {
  auto split = [](const std::string& s, std::vector<std::string>* out) {
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = s.find(',', start);
      std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out->push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  };
  if (source == "false") filter->fetch = false;
  else if (source == "true") filter->fetch = true;
  else if (!source.empty()) split(source, &filter->includes);
  split(includes, &filter->includes);
  split(excludes, &filter->excludes);
}

}  // namespace sift::query
