// `_analyze`: runs text through a named analyzer, a field's analyzer, a normalizer, or a chain of
// char filters, a tokenizer and token filters given by name or defined inline, resolved in the
// index's analysis registry (or the built-ins for the global endpoint), and renders the tokens;
// with `explain`, OpenSearch's per-stage `detail`.
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
using analysis::ChainAnalyzer;
using analysis::Token;
using analysis::TokenStream;
using rapidjson::Value;

constexpr int64_t kDefaultMaxTokenCount = 10000;  // index.analyze.max_token_count
constexpr uint32_t kDefaultPositionGap = 100;     // as between the values of a multi-valued text field

// A component named, or defined inline ({"type": "stop", "stopwords": [...]}, kept as JSON).
struct ComponentRef {
  std::string name;
  std::string inline_json;
};

struct AnalyzeBody {
  std::vector<std::string> text;
  std::optional<std::string> analyzer, normalizer, field;
  std::optional<ComponentRef> tokenizer;
  std::vector<ComponentRef> filters, char_filters;
  std::vector<std::string> attributes;
  bool explain = false;
};

// What runs: an analyzer (named, a field's, a normalizer) or a custom chain built for the request.
struct Plan {
  bool custom = false;
  std::string name;
  const Analyzer* analyzer = nullptr;
  std::shared_ptr<const ChainAnalyzer> chain;  // custom: owns the chain
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

std::string to_json(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

Status read_texts(std::string_view key, const Value& v, std::vector<std::string>* out) {
  out->clear();
  auto one = [&](const Value& e) -> Status {
    std::string s;
    if (!scalar_text(e, &s)) return body_field_error(key);
    out->push_back(std::move(s));
    return Status::ok();
  };
  if (!v.IsArray()) return one(v);
  for (const Value& e : v.GetArray()) SIFT_RETURN_IF_ERROR(one(e));
  return Status::ok();
}

Status read_component(std::string_view key, const Value& v, ComponentRef* out) {
  if (v.IsObject()) {
    out->inline_json = to_json(v);
    return Status::ok();
  }
  if (!v.IsString()) return body_field_error(key);
  out->name.assign(v.GetString(), v.GetStringLength());
  return Status::ok();
}

Status read_components(std::string_view key, const Value& v, std::vector<ComponentRef>* out) {
  out->clear();
  auto one = [&](const Value& e) -> Status {
    ComponentRef c;
    SIFT_RETURN_IF_ERROR(read_component(key, e, &c));
    out->push_back(std::move(c));
    return Status::ok();
  };
  if (!v.IsArray()) return one(v);
  for (const Value& e : v.GetArray()) SIFT_RETURN_IF_ERROR(one(e));
  return Status::ok();
}

Status read_name(std::string_view key, const Value& v, std::optional<std::string>* out) {
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
      SIFT_RETURN_IF_ERROR(read_texts(key, v, &b.text));
    } else if (key == "analyzer") {
      SIFT_RETURN_IF_ERROR(read_name(key, v, &b.analyzer));
    } else if (key == "tokenizer") {
      b.tokenizer.emplace();
      SIFT_RETURN_IF_ERROR(read_component(key, v, &*b.tokenizer));
    } else if (key == "normalizer") {
      SIFT_RETURN_IF_ERROR(read_name(key, v, &b.normalizer));
    } else if (key == "field") {
      SIFT_RETURN_IF_ERROR(read_name(key, v, &b.field));
    } else if (key == "filter") {
      SIFT_RETURN_IF_ERROR(read_components(key, v, &b.filters));
    } else if (key == "char_filter") {
      SIFT_RETURN_IF_ERROR(read_components(key, v, &b.char_filters));
    } else if (key == "attributes") {
      SIFT_RETURN_IF_ERROR(read_texts(key, v, &b.attributes));
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
  const Analyzer* a = reg.get(name);
  if (a == nullptr) {
    return invalid_argument(with_index ? "failed to find analyzer [" + name + "]"
                                       : "failed to find global analyzer [" + name + "]");
  }
  Plan p;
  p.name = name;
  p.analyzer = a;
  if (a->position_increment_gap() >= 0) p.gap = static_cast<uint32_t>(a->position_increment_gap());
  return p;
}

Result<Plan> normalizer_plan(const analysis::AnalyzerRegistry& reg, const std::string& name) {
  const Analyzer* a = reg.normalizer(name);
  if (a == nullptr) return invalid_argument("failed to find normalizer under [" + name + "]");
  Plan p;
  p.name = name;
  p.analyzer = a;
  return p;
}

// A component by name (the index's, then the built-ins) or from its inline definition.
template <typename T, typename ByName, typename Make>
Result<analysis::Named<T>> resolve_component(const ComponentRef& ref, const char* kind, bool with_index,
                                             const analysis::IndexLimits& limits, ByName by_name, Make make) {
  if (!ref.inline_json.empty()) {
    SIFT_ASSIGN_OR_RETURN(cluster::Settings flat, cluster::parse_settings(ref.inline_json, false));
    std::map<std::string, std::string> values(flat.begin(), flat.end());
    analysis::ComponentSettings settings("_anonymous_" + std::string(kind), std::move(values));
    settings.set_limits(limits);
    if (settings.type().empty()) return invalid_argument("Missing [type] setting for anonymous " + std::string(kind) + ": " + ref.inline_json);
    SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const T> c, make(settings));
    return analysis::Named<T>{"_anonymous_" + std::string(kind), std::move(c)};
  }
  SIFT_ASSIGN_OR_RETURN(std::shared_ptr<const T> c, by_name(ref.name));
  if (c == nullptr) {
    return invalid_argument(std::string("failed to find ") + (with_index ? "" : "global ") + kind + " under [" +
                            ref.name + "]");
  }
  return analysis::Named<T>{ref.name, std::move(c)};
}

// Char filters, a tokenizer and filters; without a tokenizer a custom normalizer (the keyword
// tokenizer, only normalizing parts).
Result<Plan> custom_plan(const analysis::AnalyzerRegistry& reg, const AnalyzeBody& b, bool with_index,
                         const analysis::IndexLimits& limits) {
  std::vector<analysis::Named<analysis::CharFilter>> cfs;
  for (const ComponentRef& r : b.char_filters) {
    SIFT_ASSIGN_OR_RETURN(auto c, resolve_component<analysis::CharFilter>(
                                      r, "char_filter", with_index, limits, [&](const std::string& n) { return reg.char_filter(n); },
                                      [](const analysis::ComponentSettings& s) { return analysis::AnalyzerRegistry::make_char_filter(s); }));
    cfs.push_back(std::move(c));
  }
  std::vector<analysis::Named<analysis::TokenFilter>> fs;
  for (const ComponentRef& r : b.filters) {
    SIFT_ASSIGN_OR_RETURN(auto c, resolve_component<analysis::TokenFilter>(
                                      r, "filter", with_index, limits, [&](const std::string& n) { return reg.token_filter(n); },
                                      [](const analysis::ComponentSettings& s) { return analysis::AnalyzerRegistry::make_token_filter(s); }));
    fs.push_back(std::move(c));
  }
  analysis::Named<analysis::Tokenizer> tok;
  if (b.tokenizer) {
    SIFT_ASSIGN_OR_RETURN(tok, resolve_component<analysis::Tokenizer>(
                                   *b.tokenizer, "tokenizer", with_index, limits, [&](const std::string& n) { return reg.tokenizer(n); },
                                   [](const analysis::ComponentSettings& s) { return analysis::AnalyzerRegistry::make_tokenizer(s); }));
  } else {
    for (const auto& c : cfs) {
      if (!c.component->normalizing()) return invalid_argument("Custom normalizer may not use char filter [" + c.name + "]");
    }
    for (const auto& f : fs) {
      if (!f.component->normalizing()) return invalid_argument("Custom normalizer may not use filter [" + f.name + "]");
    }
    SIFT_ASSIGN_OR_RETURN(auto keyword, reg.tokenizer("keyword"));
    tok = {"keyword", std::move(keyword)};
  }
  Plan p;
  p.custom = true;
  p.name = "__custom__";
  SIFT_ASSIGN_OR_RETURN(p.chain, analysis::AnalyzerRegistry::make_chain(p.name, std::move(cfs), std::move(tok),
                                                                          std::move(fs), -1));
  p.analyzer = p.chain.get();
  return p;
}

Result<Plan> field_plan(const index::Mapping& mapping, const std::string& name) {
  const analysis::AnalyzerRegistry& reg = mapping.analyzers();
  const index::ResolvedField* f = mapping.find(name);
  if (f == nullptr) return named_plan(reg, "default", true);  // the index's default analyzer
  const index::FieldMapping& m = *f->mapping;
  Plan p;
  if (f->type == index::FieldType::kKeyword) {
    p.name = m.normalizer.value_or("keyword");
    p.analyzer = f->normalizer != nullptr ? f->normalizer : reg.get("keyword");
    return p;
  }
  if (f->type != index::FieldType::kText || f->index_analyzer == nullptr) {
    return invalid_argument("Can't process field [" + name + "], Analysis requests are only supported on tokenized fields");
  }
  p.name = m.analyzer.value_or("default");
  p.analyzer = f->index_analyzer;
  if (p.analyzer->position_increment_gap() >= 0) p.gap = static_cast<uint32_t>(p.analyzer->position_increment_gap());
  auto gap = m.other_params.find("position_increment_gap");
  if (gap != m.other_params.end()) p.gap = static_cast<uint32_t>(std::strtoul(gap->second.c_str(), nullptr, 10));
  return p;
}

Status too_many_tokens(int64_t max) {
  return invalid_argument("The number of tokens produced by calling _analyze has exceeded the allowed maximum of [" +
                          std::to_string(max) +
                          "]. This limit can be set by changing the [index.analyze.max_token_count] index level "
                          "setting.");
}

// One stage's tokens over every value. Positions and offsets continue across values as in a
// multi-valued field: after the value's last position (trailing removed tokens included) and the
// position gap; offsets after the value's length and one unit.
class StageTokens {
 public:
  StageTokens(uint32_t gap, int64_t max_tokens) : gap_(gap), max_(max_tokens) {}
  Status add(const TokenStream& s, std::string_view text, bool first) {
    if (!first) {
      base_ += last_end_ + gap_;
      offset_ += last_len_ + 1;
    }
    for (const Token& t : s.tokens) {
      Token c = t;
      c.position += base_;
      c.start_offset += offset_;
      c.end_offset += offset_;
      tokens.push_back(std::move(c));
    }
    if (static_cast<int64_t>(tokens.size()) > max_) return too_many_tokens(max_);
    last_end_ = s.end_position;
    last_len_ = analysis::utf16_length(text);
    return Status::ok();
  }
  std::vector<Token> tokens;

 private:
  uint32_t gap_;
  int64_t max_;
  uint32_t base_ = 0, offset_ = 0, last_end_ = 0, last_len_ = 0;
};

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
    if (explain == nullptr && t.position_length > 1) w.field("positionLength", t.position_length);
    if (explain != nullptr) {
      if (wanted(explain->attributes, "bytes")) w.field("bytes", bytes_text(t.term));
      if (wanted(explain->attributes, "keyword")) w.field("keyword", t.keyword);
      if (wanted(explain->attributes, "positionlength")) w.field("positionLength", t.position_length);
      if (wanted(explain->attributes, "termfrequency")) w.field("termFrequency", 1);
    }
    w.end_object();
  }
  w.end_array();
}

Result<std::string> analyze(const Plan& plan, const AnalyzeBody& b, int64_t max_tokens) {
  JsonWriter w;
  w.begin_object();
  if (!b.explain || !plan.custom) {
    StageTokens out(plan.gap, max_tokens);
    TokenStream s;
    for (size_t i = 0; i < b.text.size(); ++i) {
      plan.analyzer->analyze_stream(b.text[i], &s);
      SIFT_RETURN_IF_ERROR(out.add(s, b.text[i], i == 0));
    }
    if (!b.explain) {
      write_tokens(w, out.tokens, nullptr);
      return w.end_object().take();
    }
    w.key("detail").begin_object().field("custom_analyzer", false);
    w.key("analyzer").begin_object().field("name", plan.name);
    write_tokens(w, out.tokens, &b);
    w.end_object().end_object();
    return w.end_object().take();
  }
  // A custom chain, stage by stage.
  const ChainAnalyzer& chain = *plan.chain;
  const size_t stages = chain.filters().size() + 1;
  std::vector<StageTokens> per_stage(stages, StageTokens(plan.gap, max_tokens));
  std::vector<std::vector<std::string>> filtered(chain.char_filters().size());
  ChainAnalyzer::Trace trace;
  for (size_t i = 0; i < b.text.size(); ++i) {
    chain.trace(b.text[i], &trace);
    for (size_t c = 0; c < filtered.size(); ++c) filtered[c].push_back(trace.char_filtered[c]);
    for (size_t k = 0; k < stages; ++k) SIFT_RETURN_IF_ERROR(per_stage[k].add(trace.stages[k], b.text[i], i == 0));
  }
  w.key("detail").begin_object().field("custom_analyzer", true);
  w.key("charfilters").begin_array();
  for (size_t c = 0; c < filtered.size(); ++c) {
    w.begin_object().field("name", chain.char_filters()[c].name).key("filtered_text").begin_array();
    for (const std::string& t : filtered[c]) w.value(t);
    w.end_array().end_object();
  }
  w.end_array();
  w.key("tokenizer").begin_object().field("name", chain.tokenizer().name);
  write_tokens(w, per_stage[0].tokens, &b);
  w.end_object();
  w.key("tokenfilters").begin_array();
  for (size_t k = 1; k < stages; ++k) {
    w.begin_object().field("name", chain.filters()[k - 1].name);
    write_tokens(w, per_stage[k].tokens, &b);
    w.end_object();
  }
  w.end_array();
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
  const analysis::AnalyzerRegistry& reg = meta ? meta->mapping->analyzers() : *analysis::AnalyzerRegistry::builtin();
  Result<Plan> plan = named_plan(reg, with_index ? "default" : "standard", with_index);
  if (b.analyzer) {
    plan = named_plan(reg, *b.analyzer, with_index);
  } else if (b.normalizer) {
    plan = normalizer_plan(reg, *b.normalizer);
  } else if (b.tokenizer || !b.filters.empty() || !b.char_filters.empty()) {
    analysis::IndexLimits limits;
    if (meta) {
      SIFT_ASSIGN_OR_RETURN(limits, analysis::index_limits(meta->settings));
    }
    plan = custom_plan(reg, b, with_index, limits);
  } else if (b.field) {
    if (!meta) return invalid_argument("analysis based on a specific field requires an index");
    plan = field_plan(*meta->mapping, *b.field);
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
