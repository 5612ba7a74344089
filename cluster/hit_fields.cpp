#include "cluster/hit_fields.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "cluster/index_names.h"
#include "cluster/source_filter.h"
#include "common/json_writer.h"
#include "index/date_format.h"
#include "index/ip_address.h"
#include "index/numeric_codec.h"
#include "index/unsigned_long.h"

namespace sift::cluster {
namespace {

using index::FieldType;

// The leaves a field request names: itself, or every mapped leaf a wildcard matches.
std::vector<const index::ResolvedField*> expand(const index::Mapping& mapping, const std::string& pattern) {
  std::vector<const index::ResolvedField*> out;
  if (pattern.find('*') == std::string::npos) {
    if (const auto* rf = mapping.find(pattern)) out.push_back(rf);
    return out;
  }
  for (const auto& leaf : mapping.leaves()) {
    if (wildcard_match(pattern, leaf.path)) out.push_back(&leaf);
  }
  return out;
}

bool is_date(FieldType t) { return index::is_date_type(t); }

// A date in the requested format, else the field's; date_nanos prints up to 9 fraction digits by
// default (strict_date_optional_time_nanos), date milliseconds.
std::string format_date(const index::ResolvedField& rf, const std::string& format, index::DateInstant t) {
  std::string spec = !format.empty() && format != "use_field_mapping" ? format
                     : rf.mapping && rf.mapping->format              ? *rf.mapping->format
                     : index::is_nanos(rf.type)                      ? "strict_date_optional_time_nanos"
                                                                     : "strict_date_optional_time";
  auto fmt = index::DateFormatter::create(spec);
  return fmt.is_ok() ? fmt->format_instant(t) : index::DateFormatter::default_formatter().format_instant(t);
}

// A stored date value (epoch milliseconds, or nanoseconds for date_nanos) as an instant.
index::DateInstant stored_instant(const index::ResolvedField& rf, int64_t v) {
  return index::is_nanos(rf.type) ? index::instant_from_nanos(v) : index::instant_from_millis(v);
}

// DecimalFormat patterns such as "#.0" or "0.00": the number of zeros after the point.
std::optional<int> decimals_of(const std::string& format) {
  size_t dot = format.find('.');
  if (format.empty() || format == "use_field_mapping" || format.find_first_not_of("#0.,") != std::string::npos) {
    return std::nullopt;
  }
  if (dot == std::string::npos) return 0;
  return static_cast<int>(format.size() - dot - 1);
}

void write_docvalues(JsonWriter& w, const index::ResolvedField& rf, const std::string& format,
                     const index::ReaderSegment& seg, uint32_t doc) {
  std::vector<int64_t> nums;
  std::vector<std::string> strs;
  auto decimals = decimals_of(format);
  auto number = [&](double d) {
    if (decimals) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.*f", *decimals, d);
      w.value(std::string(buf));
    } else {
      w.value(d);
    }
  };
  switch (rf.type) {
    case FieldType::kKeyword:
      seg.reader->term_values(rf.path, doc, &strs);
      for (const auto& s : strs) w.value(s);
      break;
    case FieldType::kBoolean:
      seg.reader->term_values(rf.path, doc, &strs);
      for (const auto& s : strs) w.value(s == "T");
      break;
    case FieldType::kIp:
      seg.reader->term_values(rf.path, doc, &strs);
      for (const auto& s : strs) w.value(index::format_ip(s));
      break;
    case FieldType::kDouble:
    case FieldType::kFloat:
    case FieldType::kHalfFloat:
      seg.reader->numeric_values(rf.path, doc, &nums);
      for (int64_t v : nums) number(index::sortable_to_double(v));
      break;
    case FieldType::kScaledFloat: {
      double factor = rf.mapping && rf.mapping->scaling_factor ? *rf.mapping->scaling_factor : 1.0;
      seg.reader->numeric_values(rf.path, doc, &nums);
      for (int64_t v : nums) number(static_cast<double>(v) / factor);
      break;
    }
    case FieldType::kUnsignedLong:
      seg.reader->numeric_values(rf.path, doc, &nums);
      for (int64_t v : nums) {
        if (decimals) number(static_cast<double>(index::sortable_to_unsigned(v)));
        else w.value_u64(index::sortable_to_unsigned(v));
      }
      break;
    default:
      seg.reader->numeric_values(rf.path, doc, &nums);
      for (int64_t v : nums) {
        if (is_date(rf.type)) w.value(format_date(rf, format, stored_instant(rf, v)));
        else if (decimals) number(static_cast<double>(v));
        else w.value_i64(v);
      }
  }
}

}  // namespace

bool hit_includes_source(const query::SearchRequest& req) {
  if (!req.source.fetch) return false;
  if (!req.stored_fields) return true;
  for (const auto& f : *req.stored_fields) {
    if (f == "_source") return true;
  }
  return req.source_explicit;
}

std::string render_hit_fields(const query::SearchRequest& req, const index::Mapping& mapping,
                              const index::ReaderSegment& seg, uint32_t doc, const std::string& source) {
  // Field name -> JSON array text; a map keeps the output ordered and each field once.
  std::map<std::string, std::string> out;
  for (const auto& f : req.docvalue_fields) {
    for (const auto* rf : expand(mapping, f.field)) {
      if (!rf->doc_values || rf->type == FieldType::kText) continue;
      JsonWriter w;
      w.begin_array();
      write_docvalues(w, *rf, f.format, seg, doc);
      w.end_array();
      if (w.str() == "[]") continue;
      // A field asked for again (in another format) adds its values, as OpenSearch's fetch does.
      std::string& values = out[rf->path];
      if (values.empty()) {
        values = w.take();
      } else {
        values.pop_back();  // "]"
        values += "," + w.str().substr(1);
      }
    }
  }
  std::optional<SourceValues> parsed_source;  // parsed once per hit, on first use
  // `stored`: for stored_fields (an unsigned_long is stored as its decimal text, as in OpenSearch).
  auto from_source = [&](const index::ResolvedField& rf, const std::string& format, bool stored) {
    if (!parsed_source) parsed_source.emplace(source);
    std::vector<std::string> values = parsed_source->json(rf.path);
    if (values.empty()) return;
    JsonWriter w;
    w.begin_array();
    for (const auto& v : values) {
      if (is_date(rf.type)) {
        std::string text = v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : v;
        auto parsed = (rf.mapping && rf.mapping->format ? index::DateFormatter::create(*rf.mapping->format)
                                                        : Result<index::DateFormatter>(index::DateFormatter::default_formatter()));
        auto instant = parsed.is_ok() ? parsed->parse_instant(text) : Result<index::DateInstant>(Status());
        if (instant.is_ok()) {
          // date keeps milliseconds, as its doc values do
          index::DateInstant t = index::is_nanos(rf.type) ? *instant : index::instant_from_millis(index::instant_to_millis(*instant));
          w.value(format_date(rf, format, t));
          continue;
        }
      }
      if (rf.type == FieldType::kUnsignedLong) {
        std::string text = v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : v;
        auto u = index::parse_unsigned_long(text);
        if (u.is_ok()) {
          if (stored) w.value(std::to_string(u->integer));
          else w.value_u64(u->integer);
          continue;
        }
      }
      w.raw(v);
    }
    w.end_array();
    out[rf.path] = w.take();
  };
  if (req.stored_fields) {
    for (const auto& name : *req.stored_fields) {
      if (name == "_source" || name == "_none_") continue;
      for (const auto* rf : expand(mapping, name)) {
        if (rf->mapping && rf->mapping->store.value_or(false)) from_source(*rf, "", true);
      }
    }
  }
  for (const auto& f : req.fields) {
    for (const auto* rf : expand(mapping, f.field)) from_source(*rf, f.format, false);
  }
  if (out.empty()) return "";
  JsonWriter w;
  w.begin_object();
  for (const auto& [k, v] : out) w.field_raw(k, v);
  w.end_object();
  return w.take();
}

}  // namespace sift::cluster
