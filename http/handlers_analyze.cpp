// `_analyze`: runs text through a named analyzer, a field's analyzer, a normalizer, or a
// tokenizer + token filters chain, and renders the tokens (with `explain`, OpenSearch's per-stage
// `detail`). Chains are limited to what the built-in analyzers express exactly: a tokenizer alone
// is a built-in analyzer's tokens with their text taken from the input (so not lower-cased); any
// other chain is a 400 that names the part Sift lacks. The analysis issue adds the rest.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/registry.h"
#include "cluster/settings.h"
#include "common/json_writer.h"
#include "http/handlers.h"
#include "http/rest_util.h"

namespace sift::http {
namespace {

using analysis::Analyzer;
using analysis::Token;
using rapidjson::Value;

constexpr int64_t kDefaultMaxTokenCount = 10000;  // index.analyze.max_token_count
constexpr uint32_t kDefaultPositionGap = 100;     // as between the values of a multi-valued text field

struct AnalyzeBody {
  std::vector<std::string> text;
  std::optional<std::string> analyzer, tokenizer, normalizer, field;
  std::vector<std::string> filters, char_filters, attributes;
  bool explain = false;
};

// One step of the analysis: the built-in analyzer whose output equals this step's output.
struct Stage {
  std::string name;
  const Analyzer* analyzer = nullptr;
  bool original_case = false;    // token text from the input: a tokenizer before lower-casing
  bool ascii_lowercase = false;  // the `lowercase` normalizer, as the document parser applies it
};

struct Plan {
  bool custom = false;        // tokenizer + filters: stages[0] is the tokenizer
  std::vector<Stage> stages;  // a named analyzer or normalizer: one stage
  uint32_t gap = kDefaultPositionGap;
};

Status body_field_error(std::string_view key) {
  return Status(Code::kParseError, "x_content_parse_exception",
                "[analyze_request] failed to parse field [" + std::string(key) + "]");
}

bool scalar_text(const Value& v, std::string* out) {
  if (v.IsString()) {
    out->assign(v.GetString(), v.GetStringLength());
  } else if (v.IsBool()) {
    *out = v.GetBool() ? "true" : "false";
  } else if (v.IsNumber()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    out->assign(buf.GetString(), buf.GetSize());
  } else {
    return false;
  }
  return true;
}

// A string or an array of strings. Objects (inline component definitions) are not supported yet.
Status read_names(std::string_view key, const Value& v, std::vector<std::string>* out) {
  out->clear();
  auto one = [&](const Value& e) -> Status {
    if (e.IsObject()) {
      return invalid_argument("inline [" + std::string(key) + "] definitions are not supported by _analyze yet");
    }
    std::string s;
    if (!scalar_text(e, &s)) return body_field_error(key);
    out->push_back(std::move(s));
    return Status::ok();
  };
  if (!v.IsArray()) return one(v);
  for (const Value& e : v.GetArray()) SIFT_RETURN_IF_ERROR(one(e));
  return Status::ok();
}

Status read_name(std::string_view key, const Value& v, std::optional<std::string>* out) {
  if (v.IsObject()) {
    return invalid_argument("inline [" + std::string(key) + "] definitions are not supported by _analyze yet");
  }
  if (!v.IsString()) return body_field_error(key);
  *out = std::string(v.GetString(), v.GetStringLength());
  return Status::ok();
}

Result<AnalyzeBody> parse_body(std::string_view body) {
  AnalyzeBody b;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return b;
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (d.HasParseError()) {
    return Status(Code::kParseError, "parse_exception",
                  std::string("request body is not valid JSON: ") + rapidjson::GetParseError_En(d.GetParseError()));
  }
  if (!d.IsObject()) return Status(Code::kParseError, "parse_exception", "request body must be a JSON object");
  for (const auto& m : d.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    const Value& v = m.value;
    if (key == "text") {
      if (v.IsNull()) continue;
      SIFT_RETURN_IF_ERROR(read_names(key, v, &b.text));
    } else if (key == "analyzer") {
      SIFT_RETURN_IF_ERROR(read_name(key, v, &b.analyzer));
    } else if (key == "tokenizer") {
      SIFT_RETURN_IF_ERROR(read_name(key, v, &b.tokenizer));
    } else if (key == "normalizer") {
      SIFT_RETURN_IF_ERROR(read_name(key, v, &b.normalizer));
    } else if (key == "field") {
      SIFT_RETURN_IF_ERROR(read_name(key, v, &b.field));
    } else if (key == "filter") {
      SIFT_RETURN_IF_ERROR(read_names(key, v, &b.filters));
    } else if (key == "char_filter") {
      SIFT_RETURN_IF_ERROR(read_names(key, v, &b.char_filters));
    } else if (key == "attributes") {
      SIFT_RETURN_IF_ERROR(read_names(key, v, &b.attributes));
    } else if (key == "explain") {
      if (v.IsBool()) b.explain = v.GetBool();
      else if (v.IsString() && (v.GetString() == std::string_view("true") || v.GetString() == std::string_view("false")))
        b.explain = v.GetString() == std::string_view("true");
      else return body_field_error(key);
    } else {
      return Status(Code::kParseError, "x_content_parse_exception",
                    "[analyze_request] unknown field [" + std::string(key) + "]");
    }
  }
  return b;
}

// OpenSearch's request validation: every problem, numbered, in one message.
Status validate(const AnalyzeBody& b, bool with_index) {
  std::vector<std::string> problems;
  if (b.text.empty()) problems.emplace_back("text is missing");
  if (!with_index && b.normalizer) problems.emplace_back("index is required if normalizer is specified");
  if (b.normalizer && (b.tokenizer || b.analyzer)) {
    problems.emplace_back("tokenizer/analyze should be null if normalizer is specified");
  }
  if (b.analyzer && (b.tokenizer || !b.filters.empty() || !b.char_filters.empty())) {
    problems.emplace_back("cannot define extra components on a named analyzer");
  }
  if (problems.empty()) return Status::ok();
  std::string reason = "Validation Failed: ";
  for (size_t i = 0; i < problems.size(); ++i) reason += std::to_string(i + 1) + ": " + problems[i] + ";";
  return Status(Code::kInvalidArgument, "action_request_validation_exception", reason);
}

Result<Plan> named_plan(const analysis::AnalyzerRegistry& reg, const std::string& name, bool with_index) {
  const Analyzer* a = (with_index && name == "default") ? &reg.standard() : reg.get(name);
  if (a == nullptr) {
    return invalid_argument(with_index ? "failed to find analyzer [" + name + "]"
                                       : "failed to find global analyzer [" + name + "]");
  }
  Plan p;
  p.stages.push_back({name, a, false, false});
  return p;
}

// The `lowercase` normalizer is the only one Sift applies to keyword fields (ASCII only, as the
// document parser does, so what _analyze shows is what is indexed).
Result<Plan> normalizer_plan(const analysis::AnalyzerRegistry& reg, const std::string& name) {
  if (name != "lowercase") return invalid_argument("failed to find normalizer under [" + name + "]");
  Plan p;
  p.stages.push_back({name, reg.get("keyword"), false, true});
  return p;
}

// tokenizer + filters, as far as a built-in analyzer produces exactly the same tokens.
Result<Plan> custom_plan(const analysis::AnalyzerRegistry& reg, const AnalyzeBody& b) {
  if (!b.char_filters.empty()) {
    return invalid_argument("char_filter [" + b.char_filters[0] + "] is not supported by _analyze yet");
  }
  if (!b.tokenizer) {
    return invalid_argument("token filters without a tokenizer (a custom normalizer) are not supported by _analyze yet");
  }
  const std::string& t = *b.tokenizer;
  Plan p;
  p.custom = true;
  // Which built-in analyzer lower-cases this tokenizer's tokens, if any.
  const Analyzer* lowered_by = nullptr;
  bool lowered = false, stopped = false;
  if (t == "standard") {
    lowered_by = reg.get("standard");
    p.stages.push_back({t, lowered_by, true, false});
  } else if (t == "letter" || t == "lowercase") {
    lowered_by = reg.get("simple");
    lowered = t == "lowercase";
    p.stages.push_back({t, lowered_by, !lowered, false});
  } else if (t == "whitespace" || t == "keyword") {
    p.stages.push_back({t, reg.get(t), false, false});
  } else {
    return invalid_argument("tokenizer [" + t + "] is not supported by _analyze yet");
  }
  for (const std::string& f : b.filters) {
    Stage s = p.stages.back();
    s.name = f;
    if (f == "lowercase" && (lowered || lowered_by != nullptr)) {
      if (!lowered) s = {f, lowered_by, false, false};
      lowered = true;
    } else if (f == "stop" && t == "standard" && lowered && !stopped) {
      s = {f, reg.get("stop"), false, false};
      stopped = true;
    } else {
      return invalid_argument("token filter [" + f + "] after tokenizer [" + t + "] is not supported by _analyze yet");
    }
    p.stages.push_back(std::move(s));
  }
  for (const Stage& s : p.stages) {
    if (s.analyzer == nullptr) return internal_error("built-in analyzer missing for [" + s.name + "]");
  }
  return p;
}

Result<Plan> field_plan(const analysis::AnalyzerRegistry& reg, const index::Mapping& mapping, const std::string& name) {
  const index::ResolvedField* f = mapping.find(name);
  if (f == nullptr) return named_plan(reg, "default", true);  // the index's default analyzer
  const index::FieldMapping& m = *f->mapping;
  if (f->type == index::FieldType::kKeyword) {
    Plan p;
    p.stages.push_back({m.normalizer.value_or("keyword"), reg.get("keyword"), false, m.normalizer == "lowercase"});
    return p;
  }
  if (f->type != index::FieldType::kText) {
    return invalid_argument("Can't process field [" + name + "], Analysis requests are only supported on tokenized fields");
  }
  SIFT_ASSIGN_OR_RETURN(Plan p, named_plan(reg, m.analyzer.value_or("default"), true));
  auto gap = m.other_params.find("position_increment_gap");
  if (gap != m.other_params.end()) p.gap = static_cast<uint32_t>(std::strtoul(gap->second.c_str(), nullptr, 10));
  return p;
}

// Walks a UTF-8 string by UTF-16 offsets (analyzers report offsets in UTF-16 units).
class Utf16Cursor {
 public:
  explicit Utf16Cursor(std::string_view s) : s_(s) {}
  size_t byte_at(uint32_t unit) {
    if (unit < unit_) byte_ = 0, unit_ = 0;
    while (unit_ < unit && byte_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[byte_]);
      size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      byte_ = std::min(s_.size(), byte_ + len);
      unit_ += len == 4 ? 2 : 1;
    }
    return byte_;
  }

 private:
  std::string_view s_;
  size_t byte_ = 0;
  uint32_t unit_ = 0;
};

Status too_many_tokens(int64_t max) {
  return invalid_argument("The number of tokens produced by calling _analyze has exceeded the allowed maximum of [" +
                          std::to_string(max) +
                          "]. This limit can be set by changing the [index.analyze.max_token_count] index level "
                          "setting.");
}

// Runs one stage over every value. Positions and offsets continue across values as they do in a
// multi-valued field: the position gap between values, and one offset unit.
Result<std::vector<Token>> run_stage(const Stage& s, const std::vector<std::string>& texts, uint32_t gap,
                                     int64_t max_tokens) {
  std::vector<Token> out, one;
  int64_t last_position = -1;
  uint32_t offset = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string& text = texts[i];
    if (i > 0) {
      last_position += gap;
      offset += 1;
    }
    one.clear();
    s.analyzer->analyze(text, static_cast<uint32_t>(last_position + 1), 0, &one);
    Utf16Cursor cursor(text);
    for (Token& t : one) {
      if (s.original_case) {
        size_t begin = cursor.byte_at(t.start_offset);
        t.term = text.substr(begin, cursor.byte_at(t.end_offset) - begin);
      }
      if (s.ascii_lowercase) {
        for (char& c : t.term) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      }
      t.start_offset += offset;
      t.end_offset += offset;
      out.push_back(std::move(t));
    }
    if (!one.empty()) last_position = out.back().position;
    offset += analysis::utf16_length(text);
    if (static_cast<int64_t>(out.size()) > max_tokens) return too_many_tokens(max_tokens);
  }
  return out;
}

std::string bytes_text(std::string_view term) {
  std::string out = "[";
  char hex[4];
  for (size_t i = 0; i < term.size(); ++i) {
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(term[i]));
    if (i > 0) out.push_back(' ');
    out += hex;
  }
  out.push_back(']');
  return out;
}

// `attributes` filters the extra attributes explain shows; OpenSearch compares lower-cased names.
bool wanted(const std::vector<std::string>& attributes, std::string_view lower_name) {
  if (attributes.empty()) return true;
  for (const auto& a : attributes) {
    if (a == lower_name) return true;
  }
  return false;
}

void write_tokens(JsonWriter& w, const std::vector<Token>& tokens, const AnalyzeBody* explain) {
  w.key("tokens").begin_array();
  for (const Token& t : tokens) {
    w.begin_object().field("token", t.term).field("start_offset", t.start_offset).field("end_offset", t.end_offset);
    w.field("type", t.type).field("position", t.position);
    if (explain != nullptr) {
      if (wanted(explain->attributes, "bytes")) w.field("bytes", bytes_text(t.term));
      if (wanted(explain->attributes, "positionlength")) w.field("positionLength", 1);
      if (wanted(explain->attributes, "termfrequency")) w.field("termFrequency", 1);
    }
    w.end_object();
  }
  w.end_array();
}

Result<std::string> analyze(const Plan& plan, const AnalyzeBody& b, int64_t max_tokens) {
  JsonWriter w;
  w.begin_object();
  if (!b.explain) {
    SIFT_ASSIGN_OR_RETURN(std::vector<Token> tokens, run_stage(plan.stages.back(), b.text, plan.gap, max_tokens));
    write_tokens(w, tokens, nullptr);
    return w.end_object().take();
  }
  w.key("detail").begin_object().field("custom_analyzer", plan.custom);
  for (size_t i = 0; i < plan.stages.size(); ++i) {
    const Stage& s = plan.stages[i];
    SIFT_ASSIGN_OR_RETURN(std::vector<Token> tokens, run_stage(s, b.text, plan.gap, max_tokens));
    if (!plan.custom) {
      w.key("analyzer");
    } else if (i == 0) {
      w.key("charfilters").begin_array().end_array();
      w.key("tokenizer");
    } else if (i == 1) {
      w.key("tokenfilters").begin_array();
    }
    w.begin_object().field("name", s.name);
    write_tokens(w, tokens, &b);
    w.end_object();
  }
  if (plan.custom) {
    if (plan.stages.size() == 1) w.key("tokenfilters").begin_array();
    w.end_array();
  }
  w.end_object();
  return w.end_object().take();
}

Result<std::string> handle(cluster::Node& node, const RestRequest& req) {
  SIFT_ASSIGN_OR_RETURN(AnalyzeBody b, parse_body(req.body));
  const bool with_index = req.has_param("index");
  SIFT_RETURN_IF_ERROR(validate(b, with_index));
  cluster::IndexMetadataPtr meta;
  int64_t max_tokens = kDefaultMaxTokenCount;
  if (with_index) {
    const std::string expr = req.param("index");
    SIFT_ASSIGN_OR_RETURN(std::vector<std::string> names, node.resolve(expr, cluster::IndicesOptions{}));
    if (names.empty()) {
      return Status(Code::kNotFound, "index_not_found_exception", "no such index [" + expr + "]").with_index(expr);
    }
    if (names.size() > 1) return invalid_argument("[" + expr + "] resolves to more than one index; _analyze needs one");
    auto service = node.index(names[0]);
    if (!service) return Status(Code::kNotFound, "index_not_found_exception", "no such index [" + names[0] + "]").with_index(names[0]);
    meta = service->metadata();
    SIFT_ASSIGN_OR_RETURN(max_tokens,
                          cluster::parse_int_setting(meta->settings, "index.analyze.max_token_count", kDefaultMaxTokenCount));
  }
  const analysis::AnalyzerRegistry& reg = *node.analyzers();
  Result<Plan> plan = named_plan(reg, "standard", false);
  if (b.analyzer) {
    plan = named_plan(reg, *b.analyzer, with_index);
  } else if (b.normalizer) {
    plan = normalizer_plan(reg, *b.normalizer);
  } else if (b.tokenizer || !b.filters.empty() || !b.char_filters.empty()) {
    plan = custom_plan(reg, b);
  } else if (b.field) {
    if (!meta) return invalid_argument("analysis based on a specific field requires an index");
    plan = field_plan(reg, *meta->mapping, *b.field);
  }
  if (!plan.is_ok()) return plan.status();
  return analyze(*plan, b, max_tokens);
}

}  // namespace

void register_analyze_handlers(Router& router, cluster::Node& node) {
  auto handler = [&node](RestRequest& req) {
    auto body = handle(node, req);
    if (!body.is_ok()) return error_response(body.status());
    return RestResponse::json(200, std::move(body).value());
  };
  for (const char* path : {"/_analyze", "/{index}/_analyze"}) {
    router.add(Method::kGet, path, handler);
    router.add(Method::kPost, path, handler);
  }
}

}  // namespace sift::http
