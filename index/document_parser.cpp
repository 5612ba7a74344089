// Document parsing in up to three passes over one DOM: a structural check (nesting depth,
// duplicate keys), the indexing walk against the mapping, and, only when that walk meets a field
// the mapping lacks, a mapping-update walk followed by a second indexing walk on the new mapping.
// New fields are rare once an index is warm, so the common case is one walk.
#include "index/document_parser.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "common/json_writer.h"
#include "index/date_format.h"
#include "index/ip_address.h"
#include "index/numeric_codec.h"
#include "index/unsigned_long.h"

namespace sift::index {

namespace {

using rapidjson::Value;

constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag;
// Jackson's default nesting limit in OpenSearch; the recursive walks below rely on it.
constexpr size_t kMaxNesting = 1000;
constexpr uint32_t kDefaultPositionGap = 100;
constexpr const char* kDefaultDateFormats[] = {"strict_date_optional_time", "yyyy/MM/dd HH:mm:ss||yyyy/MM/dd"};

Status parse_failure(const std::string& detail) {
  return Status(Code::kInvalidArgument, "mapper_parsing_exception", "failed to parse: " + detail);
}

Status strict_error(std::string_view name, std::string_view parent) {
  return Status(Code::kInvalidArgument, "strict_dynamic_mapping_exception",
                "mapping set to strict, dynamic introduction of [" + std::string(name) + "] within [" +
                    (parent.empty() ? std::string("_doc") : std::string(parent)) + "] is not allowed");
}

std::string raw_json(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string_view str(const Value& v) { return std::string_view(v.GetString(), v.GetStringLength()); }

std::string preview(const Value& v) {
  if (v.IsString()) return std::string(str(v));
  if (v.IsDouble()) return format_double(v.GetDouble());
  return raw_json(v);
}

// Duplicate keys and nesting depth, checked over the whole tree without recursion, so that
// skipped subtrees (dynamic:false, disabled objects) are held to the same rules as OpenSearch's
// parser holds them.
Status validate_tree(const Value& root) {
  std::vector<std::pair<const Value*, size_t>> stack{{&root, 1}};
  std::vector<std::string_view> names;
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (depth > kMaxNesting) {
      return parse_failure("the document is nested deeper than " + std::to_string(kMaxNesting) + " levels");
    }
    if (v->IsArray()) {
      for (const Value& e : v->GetArray()) {
        if (e.IsArray() || e.IsObject()) stack.emplace_back(&e, depth + 1);
      }
      continue;
    }
    if (!v->IsObject()) continue;
    names.clear();
    for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
      names.push_back(str(it->name));
      if (it->value.IsArray() || it->value.IsObject()) stack.emplace_back(&it->value, depth + 1);
    }
    std::sort(names.begin(), names.end());
    auto dup = std::adjacent_find(names.begin(), names.end());
    if (dup != names.end()) return parse_failure("Duplicate field '" + std::string(*dup) + "'");
  }
  return Status::ok();
}

Status check_name(std::string_view name) {
  if (name.empty()) return Status(Code::kInvalidArgument, "mapper_parsing_exception", "field name cannot be an empty string");
  if (name.find_first_not_of(' ') == std::string_view::npos) {
    return Status(Code::kInvalidArgument, "mapper_parsing_exception", "field name cannot contain only whitespace: ['" +
                                                                          std::string(name) + "']");
  }
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string_view::npos) {
    return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                  "object field starting or ending with a [.] makes object resolution ambiguous: [" +
                      std::string(name) + "]");
  }
  return Status::ok();
}

// null, [] and arrays of those: values that neither index anything nor create a mapping.
bool is_empty_value(const Value& v) {
  if (v.IsNull()) return true;
  if (!v.IsArray()) return false;
  for (const Value& e : v.GetArray()) {
    if (!is_empty_value(e)) return false;
  }
  return true;
}

// Number text for date parsing: integral values without exponent, so epoch_millis reads them.
std::string number_text(const Value& v) {
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  double d = v.GetDouble();
  char buf[64];
  if (d == std::trunc(d) && std::fabs(d) < 9e15) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
  } else {
    std::snprintf(buf, sizeof buf, "%.6f", d);
  }
  return buf;
}

// A Java-parsable decimal: [+-]digits[.digits][e[+-]digits]. Rejects NaN, Infinity, hex and
// blanks, which strtod-like parsers would accept.
bool parse_decimal(std::string_view s, double* out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != s.size()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && std::isfinite(*out);
}

bool to_double(const Value& v, bool coerce, double* out) {
  if (v.IsNumber()) {
    *out = v.GetDouble();
    return std::isfinite(*out);
  }
  return v.IsString() && coerce && parse_decimal(str(v), out);
}

bool to_integer(const Value& v, bool coerce, int64_t lo, int64_t hi, int64_t* out) {
  double d = 0;
  if (v.IsInt64()) {
    *out = v.GetInt64();
    return *out >= lo && *out <= hi;
  }
  if (v.IsUint64()) return false;  // above INT64_MAX
  if (v.IsString()) {
    if (!coerce) return false;
    std::string_view s = str(v);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return *out >= lo && *out <= hi;
    if (!parse_decimal(str(v), &d)) return false;
  } else if (v.IsDouble()) {
    d = v.GetDouble();
    if (!coerce && d != std::trunc(d)) return false;
  } else {
    return false;
  }
  d = std::trunc(d);
  // 2^63 is exactly representable; anything at or above it does not fit.
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return false;
  *out = static_cast<int64_t>(d);
  return *out >= lo && *out <= hi;
}

void integer_range(FieldType t, int64_t* lo, int64_t* hi) {
  switch (t) {
    case FieldType::kInteger: *lo = INT32_MIN; *hi = INT32_MAX; break;
    case FieldType::kShort: *lo = INT16_MIN; *hi = INT16_MAX; break;
    case FieldType::kByte: *lo = INT8_MIN; *hi = INT8_MAX; break;
    default: *lo = INT64_MIN; *hi = INT64_MAX; break;
  }
}

bool is_object_type(FieldType t) { return t == FieldType::kObject || t == FieldType::kNested; }

// Per text field, the running state across the values of one document.
struct TextState {
  const analysis::Analyzer* analyzer = nullptr;
  int64_t last_position = -1;
  uint32_t offset = 0;
  uint32_t gap = kDefaultPositionGap;
  bool any_value = false;
};

// A document the walk writes values into (the root or a nested one), with its per-leaf slots.
struct DocTarget {
  DocTarget(ParsedDocument* d, size_t leaves) : doc(d), slots(leaves, -1), present(leaves, 0) {}
  ParsedDocument* doc;
  std::vector<int32_t> slots;    // per leaf: index into doc->text / terms / numerics
  std::vector<uint8_t> present;  // per leaf: got a value
  std::vector<TextState> text_state;  // parallel to doc->text
};

bool param_true(const FieldMapping& m, const char* name) {
  auto it = m.other_params.find(name);
  return it != m.other_params.end() && it->second == "true";
}

// The indexing walk. When it meets a field the mapping lacks and may gain, it stops with
// needs_update() set; the caller extends the mapping and walks again. Values go to every current
// target: the document being walked, plus the parent and root of a nested object mapped with
// include_in_parent / include_in_root.
class DocWalker {
 public:
  // Text is analyzed with the mapping's analyzers (Mapping::bind_analysis).
  DocWalker(std::string_view id, const Mapping& m, const ParseLimits& limits) : id_(id), mapping_(m), limits_(limits) {}

  Status run(const Value& root, ParsedDocument* doc) {
    root_ = doc;
    DocTarget target(doc, mapping_.leaves().size());
    root_target_ = &target;
    targets_ = {&target};
    std::string path;
    SIFT_RETURN_IF_ERROR(walk_object(root, path, mapping_.dynamic()));
    collect_field_names(target);
    return Status::ok();
  }
  bool needs_update() const { return needs_update_; }

 private:
  Status walk_object(const Value& obj, std::string& path, Dynamic dyn);
  Status walk_field(std::string& path, size_t parent_len, std::string_view name, const Value& v, Dynamic dyn);
  Status walk_object_value(std::string& path, std::string_view name, const Value& v, Dynamic dyn);
  Status count_nested(const Value& v);
  Status walk_nested(const FieldMapping& obj, std::string& path, std::string_view name, const Value& v, Dynamic dyn);
  Status index_values(const ResolvedField& f, const Value& v, bool with_copy_to);
  Status index_one(const ResolvedField& f, const Value& v, bool with_copy_to);
  Status copy_to(const ResolvedField& f, const Value& v);
  Status add_value(const ResolvedField& f, const Value& v);
  Status add_string(const ResolvedField& f, size_t leaf, const Value& v);
  Status add_floating(const ResolvedField& f, size_t leaf, const Value& v);
  Status add_text(const ResolvedField& f, size_t leaf, std::string_view text);
  Status add_text_to(DocTarget& t, const ResolvedField& f, size_t leaf, std::string_view text);
  const DateFormatter* formatter_for(const FieldMapping& m);
  void add_term(const ResolvedField& f, size_t leaf, std::string value);
  void add_term_to(DocTarget& t, const ResolvedField& f, size_t leaf, std::string value);
  void add_numeric(const ResolvedField& f, size_t leaf, NumericKind kind, int64_t value);
  Status type_error(const ResolvedField& f, const Value& v) const;
  Status need_update() {
    needs_update_ = true;
    return Status(Code::kInternal, "exception", "mapping update required");
  }
  void collect_field_names(DocTarget& t);

  std::string_view id_;
  const Mapping& mapping_;
  const ParseLimits& limits_;
  size_t nested_objects_ = 0;
  ParsedDocument* root_ = nullptr;
  DocTarget* root_target_ = nullptr;
  std::vector<DocTarget*> targets_;  // where values go now; the first is the document being walked
  std::unordered_map<const FieldMapping*, DateFormatter> formatters_;
  std::string scratch_;
  bool needs_update_ = false;
};

Status DocWalker::walk_object(const Value& obj, std::string& path, Dynamic dyn) {
  const size_t parent_len = path.size();
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    std::string_view name = str(it->name);
    SIFT_RETURN_IF_ERROR(check_name(name));
    if (parent_len > 0) path.push_back('.');
    path.append(name);
    Status st = walk_field(path, parent_len, name, it->value, dyn);
    path.resize(parent_len);
    SIFT_RETURN_IF_ERROR(st);
  }
  return Status::ok();
}

Status DocWalker::walk_field(std::string& path, size_t parent_len, std::string_view name, const Value& v,
                             Dynamic dyn) {
  if (const ResolvedField* leaf = mapping_.find(path)) return index_values(*leaf, v, true);
  if (const FieldMapping* obj = mapping_.find_object(path)) {
    if (obj->enabled == false) return Status::ok();
    Dynamic child_dyn = obj->dynamic == Dynamic::kInherit ? dyn : obj->dynamic;
    if (obj->type == FieldType::kNested) {
      SIFT_RETURN_IF_ERROR(count_nested(v));
      return walk_nested(*obj, path, name, v, child_dyn);
    }
    if (v.IsObject()) return walk_object(v, path, child_dyn);
    return walk_object_value(path, name, v, child_dyn);
  }
  if (dyn == Dynamic::kStrict) return strict_error(name, std::string_view(path).substr(0, parent_len));
  if (dyn == Dynamic::kFalse || is_empty_value(v)) return Status::ok();
  return need_update();
}

Status DocWalker::walk_object_value(std::string& path, std::string_view name, const Value& v, Dynamic dyn) {
  if (v.IsNull()) return Status::ok();
  if (v.IsObject()) return walk_object(v, path, dyn);
  if (v.IsArray()) {
    for (const Value& e : v.GetArray()) SIFT_RETURN_IF_ERROR(walk_object_value(path, name, e, dyn));
    return Status::ok();
  }
  return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                "object mapping for [" + path + "] tried to parse field [" + std::string(name) +
                    "] as object, but found a concrete value");
}

// Each object of a nested field (arrays flattened) becomes a nested document of its own, added to
// the root's list after the nested documents of its own nested objects.
Status DocWalker::walk_nested(const FieldMapping& obj, std::string& path, std::string_view name, const Value& v,
                              Dynamic dyn) {
  if (v.IsNull()) return Status::ok();
  if (v.IsArray()) {
    for (const Value& e : v.GetArray()) SIFT_RETURN_IF_ERROR(walk_nested(obj, path, name, e, dyn));
    return Status::ok();
  }
  if (!v.IsObject()) return walk_object_value(path, name, v, dyn);  // the concrete-value error
  ParsedDocument nested;
  nested.nested_path = path;
  DocTarget target(&nested, mapping_.leaves().size());
  std::vector<DocTarget*> outer = std::move(targets_);
  targets_ = {&target};
  auto add_target = [&](DocTarget* t) {
    if (std::find(targets_.begin(), targets_.end(), t) == targets_.end()) targets_.push_back(t);
  };
  if (param_true(obj, "include_in_parent")) {
    for (DocTarget* t : outer) add_target(t);
  }
  if (param_true(obj, "include_in_root")) add_target(root_target_);
  Status st = walk_object(v, path, dyn);
  targets_ = std::move(outer);
  SIFT_RETURN_IF_ERROR(st);
  collect_field_names(target);
  root_->nested.push_back(std::move(nested));
  return Status::ok();
}

// Every object value of a nested field (arrays flattened) is one nested document in OpenSearch;
// nested fields inside it are counted when the walk reaches them.
Status DocWalker::count_nested(const Value& v) {
  if (v.IsArray()) {
    for (const Value& e : v.GetArray()) SIFT_RETURN_IF_ERROR(count_nested(e));
    return Status::ok();
  }
  if (!v.IsObject()) return Status::ok();
  if (++nested_objects_ > limits_.nested_objects) {
    return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                  "The number of nested documents has exceeded the allowed limit of [" +
                      std::to_string(limits_.nested_objects) +
                      "]. This limit can be set by changing the [index.mapping.nested_objects.limit] index level "
                      "setting.");
  }
  return Status::ok();
}

Status DocWalker::index_values(const ResolvedField& f, const Value& v, bool with_copy_to) {
  if (v.IsArray()) {
    for (const Value& e : v.GetArray()) SIFT_RETURN_IF_ERROR(index_values(f, e, with_copy_to));
    return Status::ok();
  }
  return index_one(f, v, with_copy_to);
}

Status DocWalker::index_one(const ResolvedField& f, const Value& v, bool with_copy_to) {
  const FieldMapping& m = *f.mapping;
  if (v.IsNull()) {
    if (m.null_value) {
      rapidjson::Document nv;
      nv.Parse(m.null_value->data(), m.null_value->size());
      if (!nv.HasParseError()) SIFT_RETURN_IF_ERROR(add_value(f, nv));
    }
  } else {
    Status st = add_value(f, v);
    if (!st.is_ok()) {
      // ignore_malformed keeps the document but drops the bad value and what derives from it.
      if (m.ignore_malformed.value_or(false) && !v.IsObject()) return Status::ok();
      return st;
    }
  }
  for (const auto& [name, sub] : m.fields) {
    const ResolvedField* sf = mapping_.find(f.path + "." + name);
    if (sf) SIFT_RETURN_IF_ERROR(index_one(*sf, v, false));
  }
  if (with_copy_to && !v.IsNull()) return copy_to(f, v);
  return Status::ok();
}

Status DocWalker::copy_to(const ResolvedField& f, const Value& v) {
  for (const std::string& target : f.mapping->copy_to) {
    if (const ResolvedField* t = mapping_.find(target)) {
      SIFT_RETURN_IF_ERROR(index_one(*t, v, false));
      continue;
    }
    if (mapping_.find_object(target)) {
      return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                    "Cannot copy to field [" + target + "] since it is mapped as an object");
    }
    size_t dot = target.rfind('.');
    Dynamic dyn = mapping_.dynamic();
    if (dyn == Dynamic::kStrict) {
      return strict_error(dot == std::string::npos ? target : target.substr(dot + 1),
                          dot == std::string::npos ? std::string() : target.substr(0, dot));
    }
    if (dyn == Dynamic::kTrue) return need_update();
  }
  return Status::ok();
}

Status DocWalker::type_error(const ResolvedField& f, const Value& v) const {
  return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                "failed to parse field [" + f.path + "] of type [" + field_type_name(f.type) +
                    "] in document with id '" + std::string(id_) + "'. Preview of field's value: '" + preview(v) + "'");
}

Status DocWalker::add_value(const ResolvedField& f, const Value& v) {
  if (v.IsObject() || v.IsArray()) return type_error(f, v);
  const size_t leaf = static_cast<size_t>(&f - mapping_.leaves().data());
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kKeyword:
      return add_string(f, leaf, v);
    case FieldType::kLong:
    case FieldType::kInteger:
    case FieldType::kShort:
    case FieldType::kByte: {
      int64_t lo, hi, x;
      integer_range(f.type, &lo, &hi);
      if (!to_integer(v, f.mapping->coerce.value_or(true), lo, hi, &x)) return type_error(f, v);
      add_numeric(f, leaf, NumericKind::kLong, x);
      return Status::ok();
    }
    case FieldType::kDouble:
    case FieldType::kFloat:
    case FieldType::kHalfFloat:
    case FieldType::kScaledFloat:
      return add_floating(f, leaf, v);
    case FieldType::kDate:
    case FieldType::kDateNanos: {
      // date holds epoch milliseconds, date_nanos epoch nanoseconds (1970 .. 2262). date_nanos'
      // default format, strict_date_optional_time_nanos||epoch_millis, parses as date's does.
      const DateFormatter* fmt = formatter_for(*f.mapping);
      if (!fmt || (!v.IsString() && !v.IsNumber())) return type_error(f, v);
      const std::string text = v.IsString() ? std::string(str(v)) : number_text(v);
      auto instant = fmt->parse_instant(text);
      if (!instant.is_ok()) return type_error(f, v);
      auto stored = is_nanos(f.type) ? instant_to_nanos(*instant, text) : Result<int64_t>(instant_to_millis(*instant));
      if (!stored.is_ok()) return type_error(f, v);  // OpenSearch's cause: before 1970 / after 2262
      add_numeric(f, leaf, NumericKind::kDate, *stored);
      return Status::ok();
    }
    case FieldType::kUnsignedLong: {
      const bool coerce = f.mapping->coerce.value_or(true);
      Result<UnsignedLongValue> u = v.IsUint64()   ? Result<UnsignedLongValue>(UnsignedLongValue{v.GetUint64(), false})
                                    : v.IsInt64()  ? Result<UnsignedLongValue>(unsigned_long_out_of_range(preview(v)))
                                    : v.IsDouble() ? unsigned_long_from_double(v.GetDouble(), preview(v))
                                    : v.IsString() && coerce ? parse_unsigned_long(str(v))
                                                             : Result<UnsignedLongValue>(invalid_argument("not a number"));
      if (!u.is_ok() || (u->has_fraction && !coerce)) return type_error(f, v);
      add_numeric(f, leaf, NumericKind::kLong, unsigned_to_sortable(u->integer));
      return Status::ok();
    }
    case FieldType::kBoolean: {
      // OpenSearch reads "" as false.
      const bool is_text = v.IsString() && (str(v) == "true" || str(v) == "false" || str(v).empty());
      if (!v.IsBool() && !is_text) return type_error(f, v);
      add_term(f, leaf, (v.IsBool() ? v.GetBool() : str(v) == "true") ? "T" : "F");
      return Status::ok();
    }
    case FieldType::kIp: {
      std::optional<std::string> ip;
      if (v.IsString()) ip = parse_ip(str(v));
      if (!ip) return type_error(f, v);
      add_term(f, leaf, std::move(*ip));
      return Status::ok();
    }
    case FieldType::kObject:
    case FieldType::kNested:
      break;
  }
  return type_error(f, v);
}

Status DocWalker::add_string(const ResolvedField& f, size_t leaf, const Value& v) {
  const FieldMapping& m = *f.mapping;
  std::string_view text;
  if (v.IsString()) {
    text = str(v);
  } else {
    scratch_ = v.IsBool() ? (v.GetBool() ? "true" : "false") : v.IsDouble() ? format_double(v.GetDouble())
                                                                             : number_text(v);
    text = scratch_;
  }
  if (f.type == FieldType::kText) return add_text(f, leaf, text);
  if (m.ignore_above) {
    // OpenSearch counts UTF-16 units; code points differ only for characters beyond the BMP.
    size_t code_points = 0;
    for (char c : text) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (code_points > static_cast<size_t>(*m.ignore_above)) return Status::ok();
  }
  add_term(f, leaf, f.normalizer != nullptr ? f.normalizer->normalize(text) : std::string(text));
  return Status::ok();
}

Status DocWalker::add_floating(const ResolvedField& f, size_t leaf, const Value& v) {
  double d;
  if (!to_double(v, f.mapping->coerce.value_or(true), &d)) return type_error(f, v);
  if (f.type == FieldType::kScaledFloat) {
    // Java's Math.round: half up, not half away from zero.
    double scaled = std::floor(d * f.mapping->scaling_factor.value_or(1.0) + 0.5);
    if (!(scaled >= -9223372036854775808.0 && scaled < 9223372036854775808.0)) return type_error(f, v);
    add_numeric(f, leaf, NumericKind::kLong, static_cast<int64_t>(scaled));
    return Status::ok();
  }
  if (f.type != FieldType::kDouble) {
    if (f.type == FieldType::kHalfFloat && std::fabs(d) > 65504.0) return type_error(f, v);
    float narrow = static_cast<float>(d);
    if (!std::isfinite(narrow)) return type_error(f, v);
    d = narrow;
  }
  add_numeric(f, leaf, NumericKind::kDouble, double_to_sortable(d));
  return Status::ok();
}

const DateFormatter* DocWalker::formatter_for(const FieldMapping& m) {
  if (!m.format) return &DateFormatter::default_formatter();
  auto it = formatters_.find(&m);
  if (it == formatters_.end()) {
    auto created = DateFormatter::create(*m.format);
    if (!created.is_ok()) return nullptr;
    it = formatters_.emplace(&m, std::move(created).value()).first;
  }
  return &it->second;
}

Status DocWalker::add_text(const ResolvedField& f, size_t leaf, std::string_view text) {
  if (!f.indexed) return Status::ok();
  for (DocTarget* t : targets_) SIFT_RETURN_IF_ERROR(add_text_to(*t, f, leaf, text));
  return Status::ok();
}

Status DocWalker::add_text_to(DocTarget& t, const ResolvedField& f, size_t leaf, std::string_view text) {
  const FieldMapping& m = *f.mapping;
  if (t.slots[leaf] < 0) {
    TextState st;
    st.analyzer = f.index_analyzer;  // the field's, else the index's default (Mapping::bind_analysis)
    if (!st.analyzer) {
      return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                    "analyzer [" + m.analyzer.value_or("default") + "] has not been configured in mappings");
    }
    if (st.analyzer->position_increment_gap() >= 0) st.gap = static_cast<uint32_t>(st.analyzer->position_increment_gap());
    auto gap = m.other_params.find("position_increment_gap");
    if (gap != m.other_params.end()) {
      uint32_t g = 0;
      auto r = std::from_chars(gap->second.data(), gap->second.data() + gap->second.size(), g);
      if (r.ec == std::errc()) st.gap = g;
    }
    ParsedDocument::TextField tf;
    tf.name = f.path;
    tf.norms = m.norms.value_or(true);
    auto opts = m.other_params.find("index_options");
    tf.positions = opts == m.other_params.end() || (opts->second != "\"docs\"" && opts->second != "\"freqs\"");
    t.slots[leaf] = static_cast<int32_t>(t.doc->text.size());
    t.doc->text.push_back(std::move(tf));
    t.text_state.push_back(st);
  }
  ParsedDocument::TextField& tf = t.doc->text[static_cast<size_t>(t.slots[leaf])];
  TextState& st = t.text_state[static_cast<size_t>(t.slots[leaf])];
  // Lucene's indexing chain: each further value starts after the position gap, and its offsets
  // after the previous value's end plus an offset gap of 1.
  if (st.any_value) {
    st.last_position += st.gap;
    st.offset += 1;
  }
  st.any_value = true;
  const size_t before = tf.tokens.size();
  // The next value continues after this one's last position, trailing removed tokens included
  // (Lucene's final position increment).
  const uint32_t end = st.analyzer->analyze(text, static_cast<uint32_t>(st.last_position + 1), st.offset, &tf.tokens);
  st.last_position = static_cast<int64_t>(end) - 1;
  // The norm's length: with discount_overlaps (the default), a token at the previous token's
  // position (increment 0, a synonym) does not count, as Lucene's BM25Similarity.computeNorm.
  for (size_t i = before; i < tf.tokens.size(); ++i) {
    bool overlap = i > 0 && tf.tokens[i].position == tf.tokens[i - 1].position;
    if (!overlap || !f.similarity.discount_overlaps) ++tf.length;
  }
  st.offset += analysis::utf16_length(text);
  t.present[leaf] = 1;
  return Status::ok();
}

void DocWalker::add_term(const ResolvedField& f, size_t leaf, std::string value) {
  if (!f.indexed && !f.doc_values) return;
  for (size_t i = 0; i + 1 < targets_.size(); ++i) add_term_to(*targets_[i], f, leaf, value);
  add_term_to(*targets_.back(), f, leaf, std::move(value));
}

void DocWalker::add_term_to(DocTarget& t, const ResolvedField& f, size_t leaf, std::string value) {
  if (t.slots[leaf] < 0) {
    ParsedDocument::TermField tf;
    tf.name = f.path;
    tf.indexed = f.indexed;
    tf.doc_values = f.doc_values;
    t.slots[leaf] = static_cast<int32_t>(t.doc->terms.size());
    t.doc->terms.push_back(std::move(tf));
  }
  t.doc->terms[static_cast<size_t>(t.slots[leaf])].values.push_back(std::move(value));
  t.present[leaf] = 1;
}

void DocWalker::add_numeric(const ResolvedField& f, size_t leaf, NumericKind kind, int64_t value) {
  if (!f.indexed && !f.doc_values) return;
  for (DocTarget* t : targets_) {
    if (t->slots[leaf] < 0) {
      ParsedDocument::NumericField nf;
      nf.name = f.path;
      nf.kind = kind;
      nf.indexed = f.indexed;
      nf.doc_values = f.doc_values;
      t->slots[leaf] = static_cast<int32_t>(t->doc->numerics.size());
      t->doc->numerics.push_back(std::move(nf));
    }
    t->doc->numerics[static_cast<size_t>(t->slots[leaf])].values.push_back(value);
    t->present[leaf] = 1;
  }
}

// Every leaf with a value, and every object above one: `exists` on an object matches documents
// that have any of its sub-fields.
void DocWalker::collect_field_names(DocTarget& t) {
  std::vector<std::string>& names = t.doc->field_names;
  const auto& leaves = mapping_.leaves();
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (!t.present[i]) continue;
    const std::string& p = leaves[i].path;
    for (size_t dot = p.find('.'); dot != std::string::npos; dot = p.find('.', dot + 1)) {
      names.emplace_back(p, 0, dot);
    }
    names.push_back(p);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
}

// The mapping-update walk: adds every field the document introduces, following OpenSearch's
// dynamic rules, to a private copy of the mapping.
class MappingUpdater {
 public:
  MappingUpdater(Mapping& m, const ParseLimits& limits) : mapping_(m), limits_(limits) {}

  Status run(const Value& root) {
    std::string path;
    return add_object_fields(root, mapping_.root(), path, mapping_.dynamic());
  }
  size_t added() const { return added_; }

 private:
  Status add_object_fields(const Value& obj, FieldMapping& node, std::string& path, Dynamic dyn);
  Status add_member(FieldMapping& node, std::string& path, std::string_view name, const Value& v, Dynamic dyn);
  Status add_each_object(const Value& v, FieldMapping& node, std::string& path, Dynamic dyn);
  Status ensure_copy_targets(const FieldMapping& leaf, const Value& v);
  Status check_depth(const std::string& object_path) const;
  bool detect(const Value& v, FieldMapping* out);
  void detect_string(std::string_view s, FieldMapping* out);
  const FieldMapping* find_node(std::string_view path) const;

  Mapping& mapping_;
  const ParseLimits& limits_;
  size_t added_ = 0;
  std::vector<DateFormatter> date_formats_;
};

Status MappingUpdater::add_object_fields(const Value& obj, FieldMapping& node, std::string& path, Dynamic dyn) {
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    SIFT_RETURN_IF_ERROR(add_member(node, path, str(it->name), it->value, dyn));
  }
  return Status::ok();
}

Status MappingUpdater::add_each_object(const Value& v, FieldMapping& node, std::string& path, Dynamic dyn) {
  if (v.IsObject()) return add_object_fields(v, node, path, dyn);
  if (v.IsArray()) {
    for (const Value& e : v.GetArray()) SIFT_RETURN_IF_ERROR(add_each_object(e, node, path, dyn));
  }
  return Status::ok();
}

Status MappingUpdater::check_depth(const std::string& object_path) const {
  // OpenSearch counts the root as level 1, so object "a" is at depth 2.
  size_t depth = static_cast<size_t>(std::count(object_path.begin(), object_path.end(), '.')) + 2;
  if (depth > limits_.depth) {
    return invalid_argument("Limit of mapping depth [" + std::to_string(limits_.depth) +
                            "] has been exceeded due to object field [" + object_path + "]");
  }
  return Status::ok();
}

Status MappingUpdater::add_member(FieldMapping& node, std::string& path, std::string_view name, const Value& v,
                                  Dynamic dyn) {
  SIFT_RETURN_IF_ERROR(check_name(name));
  // A dotted key ("a.b") addresses field b inside object a.
  const size_t dot = name.find('.');
  std::string_view head = dot == std::string_view::npos ? name : name.substr(0, dot);
  const size_t parent_len = path.size();
  std::string full = path.empty() ? std::string(head) : path + "." + std::string(head);
  auto it = node.properties.find(std::string(head));
  if (it == node.properties.end()) {
    if (dyn == Dynamic::kStrict) return strict_error(head, path);
    if (dyn == Dynamic::kFalse || is_empty_value(v)) return Status::ok();
    FieldMapping created;
    if (dot != std::string_view::npos) {
      created.type = FieldType::kObject;
    } else if (!detect(v, &created)) {
      return Status::ok();
    }
    if (is_object_type(created.type)) {
      SIFT_RETURN_IF_ERROR(check_depth(full));
      added_ += 1;
    } else {
      added_ += 1 + created.fields.size();
    }
    it = node.properties.emplace(std::string(head), std::move(created)).first;
  }
  FieldMapping& child = it->second;
  if (!is_object_type(child.type)) {
    if (dot != std::string_view::npos) {
      return Status(Code::kInvalidArgument, "mapper_parsing_exception",
                    "Could not dynamically add mapping for field [" + std::string(name) + "]. Existing mapping for [" +
                        full + "] must be of type object but found [" + field_type_name(child.type) + "].");
    }
    return ensure_copy_targets(child, v);
  }
  if (child.enabled == false) return Status::ok();
  const Dynamic child_dyn = child.dynamic == Dynamic::kInherit ? dyn : child.dynamic;
  path = full;
  Status st = dot == std::string_view::npos ? add_each_object(v, child, path, child_dyn)
                                            : add_member(child, path, name.substr(dot + 1), v, child_dyn);
  path.resize(parent_len);
  return st;
}

const FieldMapping* MappingUpdater::find_node(std::string_view path) const {
  const FieldMapping* node = &mapping_.root();
  while (node) {
    size_t dot = path.find('.');
    const std::string key(path.substr(0, dot));
    auto it = node->properties.find(key);
    if (it == node->properties.end()) {
      it = node->fields.find(key);  // a multi-field such as "title.raw"
      if (it == node->fields.end()) return nullptr;
    }
    if (dot == std::string_view::npos) return &it->second;
    node = &it->second;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

Status MappingUpdater::ensure_copy_targets(const FieldMapping& leaf, const Value& v) {
  if (v.IsObject() || is_empty_value(v)) return Status::ok();
  for (const std::string& target : leaf.copy_to) {
    if (find_node(target)) continue;
    std::string path;
    SIFT_RETURN_IF_ERROR(add_member(mapping_.root(), path, target, v, mapping_.dynamic()));
  }
  return Status::ok();
}

bool MappingUpdater::detect(const Value& v, FieldMapping* out) {
  if (v.IsNull()) return false;
  if (v.IsArray()) {
    for (const Value& e : v.GetArray()) {
      if (detect(e, out)) return true;
    }
    return false;
  }
  if (v.IsObject()) {
    out->type = FieldType::kObject;
  } else if (v.IsBool()) {
    out->type = FieldType::kBoolean;
  } else if (v.IsInt64() || v.IsUint64()) {
    out->type = FieldType::kLong;
  } else if (v.IsDouble()) {
    out->type = FieldType::kFloat;
  } else {
    detect_string(str(v), out);
  }
  return true;
}

void MappingUpdater::detect_string(std::string_view s, FieldMapping* out) {
  if (mapping_.date_detection) {
    if (date_formats_.empty()) {
      if (mapping_.dynamic_date_formats.empty()) {
        for (const char* f : kDefaultDateFormats) date_formats_.push_back(std::move(DateFormatter::create(f)).value());
      }
      for (const auto& f : mapping_.dynamic_date_formats) {
        auto created = DateFormatter::create(f);
        if (created.is_ok()) date_formats_.push_back(std::move(created).value());
      }
    }
    for (const DateFormatter& fmt : date_formats_) {
      if (!fmt.parse(s).is_ok()) continue;
      out->type = FieldType::kDate;
      if (fmt.spec() != kDefaultDateFormats[0]) out->format = fmt.spec();
      return;
    }
  }
  if (mapping_.numeric_detection) {
    int64_t x;
    double d;
    auto r = std::from_chars(s.data(), s.data() + s.size(), x);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size()) {
      out->type = FieldType::kLong;
      return;
    }
    if (parse_decimal(s, &d)) {
      out->type = FieldType::kFloat;
      return;
    }
  }
  out->type = FieldType::kText;
  FieldMapping keyword;
  keyword.type = FieldType::kKeyword;
  keyword.ignore_above = 256;
  out->fields.emplace("keyword", std::move(keyword));
}

}  // namespace

Result<ParseOutput> parse_document(std::string_view source, std::string_view id, const Mapping& mapping,
                                   const ParseLimits& limits) {
  if (source.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status(Code::kInvalidArgument, "mapper_parsing_exception", "failed to parse, document is empty");
  }
  rapidjson::Document dom;
  dom.Parse<kParseFlags>(source.data(), source.size());
  if (dom.HasParseError()) {
    return parse_failure(std::string(rapidjson::GetParseError_En(dom.GetParseError())) + " at offset " +
                         std::to_string(dom.GetErrorOffset()));
  }
  if (!dom.IsObject()) return parse_failure("the document source must be a JSON object");
  SIFT_RETURN_IF_ERROR(validate_tree(dom));

  ParseOutput out;
  {
    DocWalker walker(id, mapping, limits);
    Status st = walker.run(dom, &out.doc);
    if (st.is_ok()) return out;
    if (!walker.needs_update()) return st;
  }
  out.doc = ParsedDocument();
  Mapping& updated = out.mapping_update.emplace(mapping);
  MappingUpdater updater(updated, limits);
  SIFT_RETURN_IF_ERROR(updater.run(dom));
  updated.rebuild_index();
  if (updater.added() > 0 && updated.total_fields() > limits.total_fields) {
    return invalid_argument("Limit of total fields [" + std::to_string(limits.total_fields) +
                            "] has been exceeded while adding new fields [" + std::to_string(updater.added()) + "]");
  }
  DocWalker walker(id, updated, limits);
  Status st = walker.run(dom, &out.doc);
  if (walker.needs_update()) return internal_error("document parsing did not converge on a mapping update");
  SIFT_RETURN_IF_ERROR(st);
  if (updater.added() == 0) out.mapping_update.reset();
  return out;
}

}  // namespace sift::index
