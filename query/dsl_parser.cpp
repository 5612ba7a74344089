#include "query/dsl_parser.h"

#include <rapidjson/document.h>
#include <algorithm>
#include <cstring>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "query/search_request.h"

namespace sift::query {
namespace {

using Value = rapidjson::Value;

Status parsing_error(std::string reason) {
  return Status(Code::kInvalidArgument, "parsing_exception", std::move(reason));
}

const char* json_type_name(const Value& v) {
  if (v.IsObject()) return "START_OBJECT";
  if (v.IsArray()) return "START_ARRAY";
  if (v.IsString()) return "VALUE_STRING";
  if (v.IsBool()) return "VALUE_BOOLEAN";
  if (v.IsNull()) return "VALUE_NULL";
  return "VALUE_NUMBER";
}

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
  size_t clauses_ = 0;
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

Result<std::unique_ptr<Query>> Parser::parse_terms(const Value& body) {
  if (!body.IsObject()) return parsing_error("[terms] query malformed, no start_object after query name");
  auto q = std::make_unique<TermsQuery>();
  bool have_field = false;
  for (auto& p : body.GetObject()) {
    std::string key = p.name.GetString();
    bool handled;
    SIFT_RETURN_IF_ERROR(common_param(q.get(), key.c_str(), p.value, "terms", &handled));
    if (handled) continue;
    if (!p.value.IsArray()) {
      if (p.value.IsObject()) return parsing_error("[terms] query does not support terms lookup yet");
      return parsing_error("[terms] query does not support [" + key + "]");
    }
    if (have_field) return parsing_error("[terms] query does not support multiple fields");
    have_field = true;
    q->field = key;
    if (p.value.Size() > 65536) {
      return invalid_argument("The number of terms [" + std::to_string(p.value.Size()) +
                              "] used in the Terms Query request has exceeded the allowed maximum of [65536].");
    }
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

Status parse_sort_entry(const Value& v, std::vector<SortSpec>* out) {
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
  if (m.value.IsString()) {
    SIFT_RETURN_IF_ERROR(set_order(m.value));
  } else if (m.value.IsObject()) {
    for (auto& p : m.value.GetObject()) {
      std::string key = p.name.GetString();
      if (key == "order") SIFT_RETURN_IF_ERROR(set_order(p.value));
    }
  } else {
    return parsing_error("[sort] malformed sort entry for [" + s.field + "]");
  }
  out->push_back(std::move(s));
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
        for (auto& e : v.GetArray()) SIFT_RETURN_IF_ERROR(parse_sort_entry(e, &req.sort));
      } else {
        SIFT_RETURN_IF_ERROR(parse_sort_entry(v, &req.sort));
      }
    } else if (key == "track_total_hits") {
      req.track_total_hits_set = true;
      if (v.IsBool()) req.track_total_hits = v.GetBool() ? SearchRequest::kTrackAll : -1;
      else if (v.IsInt64() && v.GetInt64() >= 0) req.track_total_hits = v.GetInt64();
      else if (v.IsInt64()) return invalid_argument("[track_total_hits] parameter must be positive or equals to -1, got " + std::to_string(v.GetInt64()));
      else return parsing_error("[track_total_hits] must be a boolean or an integer");
    } else if (key == "_source") {
      SIFT_RETURN_IF_ERROR(parse_source_filter(v, &req.source));
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
    } else if (key == "timeout" || key == "explain" || key == "stats" || key == "profile") {
      continue;  // accepted; explain/profile output comes with the search issue
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
