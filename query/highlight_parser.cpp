// The `highlight` object of a search body -> HighlightSpec, with OpenSearch's HighlightBuilder
// rules: options at the top apply to every field unless the field sets them; `fields` is an object
// or an array of one-field objects; `tags_schema` and `encoder` exist only at the top.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>

#include "query/dsl_parser.h"
#include "query/highlight.h"

namespace sift::query {
namespace {

using Value = rapidjson::Value;

Status content_error(std::string reason) {
  return Status(Code::kParseError, "x_content_parse_exception", std::move(reason));
}


// An integer as XContent reads one: a number (truncated) or a numeric string.
bool read_int(const Value& v, int32_t* out) {
  if (v.IsNumber()) {
    double d = v.GetDouble();
    if (d < -2147483648.0 || d > 2147483647.0) return false;
    *out = static_cast<int32_t>(d);
    return true;
  }
  if (!v.IsString() || v.GetStringLength() == 0) return false;
  char* end = nullptr;
  long long n = std::strtoll(v.GetString(), &end, 10);
  if (*end != '\0' || n < INT32_MIN || n > INT32_MAX) return false;
  *out = static_cast<int32_t>(n);
  return true;
}

bool read_bool(const Value& v, bool* out) {
  if (v.IsBool()) {
    *out = v.GetBool();
    return true;
  }
  if (v.IsString() && (std::string_view(v.GetString()) == "true" || std::string_view(v.GetString()) == "false")) {
    *out = std::string_view(v.GetString()) == "true";
    return true;
  }
  return false;
}

// A string array; a single string counts as an array of one.
bool read_strings(const Value& v, std::vector<std::string>* out) {
  out->clear();
  if (v.IsString()) {
    out->emplace_back(v.GetString(), v.GetStringLength());
    return true;
  }
  if (!v.IsArray()) return false;
  for (const auto& e : v.GetArray()) {
    if (!e.IsString()) return false;
    out->emplace_back(e.GetString(), e.GetStringLength());
  }
  return true;
}

class HighlightParser {
 public:
  Result<HighlightSpec> parse(const Value& v);

 private:
  // Options shared by the top level and fields. `*known` is false when `key` is not one of them.
  Status common_option(const std::string& key, const Value& v, const char* where, HighlightOptions* o, bool* known);
  Status parse_fields(const Value& v, HighlightSpec* spec);
  Result<HighlightField> parse_field(const std::string& name, const Value& v);
  static Status check_tags(const HighlightOptions& o) {
    if (o.pre_tags && !o.post_tags) {
      return Status(Code::kInvalidArgument, "parsing_exception", "pre_tags are set but post_tags are not set");
    }
    return Status::ok();
  }
};

Status HighlightParser::common_option(const std::string& key, const Value& v, const char* where, HighlightOptions* o,
                                      bool* known) {
  *known = true;
  auto failed = [&] { return content_error(std::string("[") + where + "] failed to parse field [" + key + "]"); };
  int32_t n = 0;
  bool b = false;
  std::vector<std::string> strings;
  if (key == "pre_tags" || key == "post_tags") {
    if (!read_strings(v, &strings)) return failed();
    (key == "pre_tags" ? o->pre_tags : o->post_tags) = std::move(strings);
  } else if (key == "fragment_size" || key == "number_of_fragments" || key == "no_match_size" ||
             key == "max_analyzer_offset") {
    if (!read_int(v, &n)) return failed();
    if (key == "fragment_size") o->fragment_size = n;
    else if (key == "number_of_fragments") o->number_of_fragments = n;
    else if (key == "no_match_size") o->no_match_size = n;
    else o->max_analyzer_offset = n;
  } else if (key == "phrase_limit" || key == "boundary_max_scan") {
    if (!read_int(v, &n)) return failed();  // fvh tuning: accepted, no effect
  } else if (key == "require_field_match") {
    if (!read_bool(v, &b)) return failed();
    o->require_field_match = b;
  } else if (key == "highlight_filter" || key == "force_source") {
    if (!read_bool(v, &b)) return failed();  // plain-only / deprecated: accepted, no effect
  } else if (key == "order") {
    if (!v.IsString()) return failed();
    std::string_view s = v.GetString();
    if (s != "score" && s != "none") return failed();
    o->score_order = s == "score";
  } else if (key == "boundary_scanner") {
    if (!v.IsString()) return failed();
    std::string_view s = v.GetString();
    if (s != "chars" && s != "word" && s != "sentence") return failed();
    o->boundary_scanner = std::string(s);
  } else if (key == "type") {
    if (!v.IsString()) return failed();
    o->type = v.GetString();
  } else if (key == "fragmenter" || key == "boundary_chars" || key == "boundary_scanner_locale") {
    if (!v.IsString()) return failed();  // plain's fragmenter, fvh's chars, the locale: accepted
  } else if (key == "options") {
    if (!v.IsObject()) return failed();
  } else if (key == "highlight_query") {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    SIFT_ASSIGN_OR_RETURN(auto q, parse_query(std::string_view(buf.GetString(), buf.GetSize())));
    o->highlight_query = std::shared_ptr<const Query>(std::move(q));
  } else {
    *known = false;
  }
  return Status::ok();
}

Result<HighlightField> HighlightParser::parse_field(const std::string& name, const Value& v) {
  if (!v.IsObject()) {
    return content_error(std::string("[highlight_field] Expected START_OBJECT but was: ") + json_token_name(v.GetType()));
  }
  HighlightField f;
  f.name = name;
  for (const auto& m : v.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    bool known = false;
    SIFT_RETURN_IF_ERROR(common_option(key, m.value, "highlight_field", &f.options, &known));
    if (known) continue;
    if (key == "matched_fields") {
      std::vector<std::string> ignored;
      if (!read_strings(m.value, &ignored)) return content_error("[highlight_field] failed to parse field [" + key + "]");
    } else if (key == "fragment_offset") {
      int32_t ignored = 0;
      if (!read_int(m.value, &ignored)) return content_error("[highlight_field] failed to parse field [" + key + "]");
    } else {
      return content_error("[highlight_field] unknown field [" + key + "]");
    }
  }
  SIFT_RETURN_IF_ERROR(check_tags(f.options));
  return f;
}

Status HighlightParser::parse_fields(const Value& v, HighlightSpec* spec) {
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      SIFT_ASSIGN_OR_RETURN(HighlightField f, parse_field(std::string(m.name.GetString(), m.name.GetStringLength()), m.value));
      spec->fields.push_back(std::move(f));
    }
    return Status::ok();
  }
  if (!v.IsArray()) return content_error("[highlight] failed to parse field [fields]");
  for (const auto& e : v.GetArray()) {
    if (!e.IsObject() || e.MemberCount() != 1) {
      return content_error(
          "[fields] can be a single object with any number of fields or an array where each entry is an object with a "
          "single field");
    }
    const auto& m = *e.MemberBegin();
    SIFT_ASSIGN_OR_RETURN(HighlightField f, parse_field(std::string(m.name.GetString(), m.name.GetStringLength()), m.value));
    spec->fields.push_back(std::move(f));
  }
  return Status::ok();
}

Result<HighlightSpec> HighlightParser::parse(const Value& v) {
  HighlightSpec spec;
  for (const auto& m : v.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    bool known = false;
    SIFT_RETURN_IF_ERROR(common_option(key, m.value, "highlight", &spec.global, &known));
    if (known) continue;
    if (key == "fields") {
      SIFT_RETURN_IF_ERROR(parse_fields(m.value, &spec));
    } else if (key == "tags_schema") {
      std::string_view s = m.value.IsString() ? m.value.GetString() : "";
      if (s == "styled") {
        spec.global.pre_tags = std::vector<std::string>{};
        for (int i = 1; i <= 10; ++i) spec.global.pre_tags->push_back("<em class=\"hlt" + std::to_string(i) + "\">");
        spec.global.post_tags = std::vector<std::string>{"</em>"};
      } else if (s == "default") {
        spec.global.pre_tags = std::vector<std::string>{"<em>"};
        spec.global.post_tags = std::vector<std::string>{"</em>"};
      } else {
        return content_error("[highlight] failed to parse field [tags_schema]");
      }
    } else if (key == "encoder") {
      if (!m.value.IsString()) return content_error("[highlight] failed to parse field [encoder]");
      spec.global.html_encoder = std::string_view(m.value.GetString()) == "html";
    } else {
      return content_error("[highlight] unknown field [" + key + "]");
    }
  }
  SIFT_RETURN_IF_ERROR(check_tags(spec.global));
  return spec;
}

}  // namespace

Result<HighlightSpec> parse_highlight(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) return content_error("[highlight] failed to parse the highlight object");
  if (!doc.IsObject()) {
    return Status(Code::kInvalidArgument, "parsing_exception",
                  std::string("Unknown key for a ") + json_token_name(doc.GetType()) + " in [highlight].");
  }
  HighlightParser p;
  return p.parse(doc);
}

ResolvedHighlight resolve_highlight(const HighlightOptions& global, const HighlightOptions& field) {
  ResolvedHighlight r;
  auto pick = [](const auto& f, const auto& g) { return f ? f : g; };
  if (auto t = pick(field.pre_tags, global.pre_tags); t && !t->empty()) r.pre_tag = t->front();
  if (auto t = pick(field.post_tags, global.post_tags); t && !t->empty()) r.post_tag = t->front();
  // Negative sizes mean "unset", as OpenSearch's builder treats -1.
  if (auto n = pick(field.fragment_size, global.fragment_size); n && *n >= 0) r.fragment_size = *n;
  if (auto n = pick(field.number_of_fragments, global.number_of_fragments); n && *n >= 0) r.number_of_fragments = *n;
  if (auto n = pick(field.no_match_size, global.no_match_size); n && *n >= 0) r.no_match_size = *n;
  r.max_analyzer_offset = pick(field.max_analyzer_offset, global.max_analyzer_offset);
  r.score_order = pick(field.score_order, global.score_order).value_or(false);
  r.require_field_match = pick(field.require_field_match, global.require_field_match).value_or(true);
  r.html_encode = global.html_encoder.value_or(false);
  r.type = pick(field.type, global.type).value_or("unified");
  std::string scanner = pick(field.boundary_scanner, global.boundary_scanner).value_or("sentence");
  r.boundary = scanner == "word" ? HighlightBoundary::kWord
               : scanner == "chars" ? HighlightBoundary::kChars
                                    : HighlightBoundary::kSentence;
  r.highlight_query = field.highlight_query ? field.highlight_query.get() : global.highlight_query.get();
  return r;
}

}  // namespace sift::query
