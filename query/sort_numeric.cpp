#include "query/sort_numeric.h"

#include <cmath>
#include <cstdlib>

#include "index/date_format.h"
#include "index/numeric_codec.h"
#include "index/unsigned_long.h"

namespace sift::query {

namespace {

using index::FieldType;
using Cast = SortKey::Cast;

// The kind of the values a key compares once its cast is applied.
SortValue::Kind value_kind(const SortKey& key) {
  switch (key.cast) {
    case Cast::kLongToDouble:
    case Cast::kUnsignedToDouble:
      return SortValue::Kind::kDouble;
    case Cast::kDoubleToLong:
      return SortValue::Kind::kLong;
    default:
      break;
  }
  if (key.type == SortKey::Type::kDouble || key.type == SortKey::Type::kScore) return SortValue::Kind::kDouble;
  if (key.type == SortKey::Type::kUnsignedLong) return SortValue::Kind::kUnsignedLong;
  if (key.type == SortKey::Type::kString || key.type == SortKey::Type::kUnmapped) return SortValue::Kind::kString;
  return SortValue::Kind::kLong;
}

int64_t saturating_long(double d) {
  if (std::isnan(d)) return 0;
  if (d <= -9223372036854775808.0) return INT64_MIN;
  if (d >= 9223372036854775808.0) return INT64_MAX;
  return static_cast<int64_t>(d);
}

double as_double(const SortValue& v) {
  switch (v.kind) {
    case SortValue::Kind::kLong: return static_cast<double>(v.l);
    case SortValue::Kind::kUnsignedLong: return static_cast<double>(index::sortable_to_unsigned(v.l));
    default: return v.d;
  }
}

template <typename T>
int three_way(T a, T b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// An unsigned_long against a long: every negative long sorts below every unsigned value.
int compare_unsigned_long(int64_t stored_unsigned, int64_t signed_value) {
  if (signed_value < 0) return 1;
  return three_way(index::sortable_to_unsigned(stored_unsigned), static_cast<uint64_t>(signed_value));
}

Status search_after_error(const Scalar& value, const SortKey& key) {
  return invalid_argument("Failed to parse search_after value [" + value.text + "] for field [" + key.field + "]");
}

// A long sort value given as text: an integer, else (date fields) a date in the field's format.
Result<int64_t> long_from_text(const Scalar& value, const SortKey& key, const index::ResolvedField* field) {
  char* end = nullptr;
  long long n = std::strtoll(value.text.c_str(), &end, 10);
  if (!value.text.empty() && end != nullptr && *end == '\0') return static_cast<int64_t>(n);
  if (field == nullptr || !index::is_date_type(field->type)) return search_after_error(value, key);
  auto fmt = index::DateFormatter::create(field->mapping && field->mapping->format ? *field->mapping->format
                                                                                     : "strict_date_optional_time||epoch_millis");
  if (!fmt.is_ok()) return search_after_error(value, key);
  auto instant = fmt->parse_instant(value.text);
  if (!instant.is_ok()) return search_after_error(value, key);
  return sorts_in_nanos(key) ? index::clamp_to_nanos(*instant) : index::instant_to_millis(*instant);
}

}  // namespace

Status bind_numeric_sort(const SortSpec& spec, const index::ResolvedField& field, SortKey* key) {
  key->nanos = index::is_nanos(field.type);
  if (field.type == FieldType::kUnsignedLong) key->type = SortKey::Type::kUnsignedLong;
  if (spec.numeric_type.empty()) return Status::ok();
  const bool numeric = key->type == SortKey::Type::kLong || key->type == SortKey::Type::kDouble ||
                       key->type == SortKey::Type::kUnsignedLong;
  if (!numeric) {
    if (field.type == FieldType::kBoolean) return Status::ok();  // numeric doc values in OpenSearch
    return Status(Code::kInvalidArgument, "query_shard_exception",
                  std::string("[numeric_type] option cannot be set on a non-numeric field, got ") +
                      index::field_type_name(field.type));
  }
  const std::string& to = spec.numeric_type;
  if (key->type == SortKey::Type::kDouble) {
    if (to != "double") key->cast = Cast::kDoubleToLong;
  } else if (key->type == SortKey::Type::kUnsignedLong) {
    if (to == "double") key->cast = Cast::kUnsignedToDouble;
  } else if (to == "double") {
    key->cast = Cast::kLongToDouble;
  } else if (to == "date" && key->nanos) {
    key->cast = Cast::kNanosToMillis;
  } else if (to == "date_nanos" && field.type == FieldType::kDate) {
    key->cast = Cast::kMillisToNanos;
  }
  return Status::ok();
}

void cast_sort_value(const SortKey& key, SortValue* v) {
  if (v->kind == SortValue::Kind::kMissing) return;
  switch (key.cast) {
    case Cast::kNone:
      break;
    case Cast::kNanosToMillis:
      v->l = index::nanos_to_millis(v->l);
      break;
    case Cast::kMillisToNanos:
      // OpenSearch fails the shard for a date outside date_nanos' range; Sift saturates.
      v->l = index::clamp_millis_to_nanos(v->l);
      break;
    case Cast::kLongToDouble:
    case Cast::kUnsignedToDouble:
      v->d = as_double(*v);
      v->kind = SortValue::Kind::kDouble;
      break;
    case Cast::kDoubleToLong:
      v->l = saturating_long(v->d);
      v->kind = SortValue::Kind::kLong;
      break;
  }
}

int compare_numeric_sort_values(const SortValue& x, const SortValue& y) {
  using K = SortValue::Kind;
  if (x.kind == y.kind && (x.kind == K::kLong || x.kind == K::kUnsignedLong)) return three_way(x.l, y.l);
  if (x.kind == K::kUnsignedLong && y.kind == K::kLong) return compare_unsigned_long(x.l, y.l);
  if (x.kind == K::kLong && y.kind == K::kUnsignedLong) return -compare_unsigned_long(y.l, x.l);
  return three_way(as_double(x), as_double(y));
}

bool sorts_in_nanos(const SortKey& key) {
  return (key.nanos && key.cast != Cast::kNanosToMillis) || key.cast == Cast::kMillisToNanos;
}

Result<SortValue> bind_search_after_value(const Scalar& value, const SortKey& key, const index::ResolvedField* field) {
  SortValue v;
  if (value.kind == Scalar::Kind::kString && value.text == "\x01null") return v;  // null: missing
  if (key.type == SortKey::Type::kDoc) {
    v.kind = SortValue::Kind::kLong;
    if (value.kind == Scalar::Kind::kInteger) {
      v.l = value.integer;
      return v;
    }
    SIFT_ASSIGN_OR_RETURN(v.l, long_from_text(value, key, nullptr));
    return v;
  }
  v.kind = value_kind(key);
  switch (v.kind) {
    case SortValue::Kind::kDouble:
      v.d = value.kind == Scalar::Kind::kString ? std::strtod(value.text.c_str(), nullptr) : value.number;
      break;
    case SortValue::Kind::kUnsignedLong: {
      auto u = index::parse_unsigned_long(value.text);
      if (!u.is_ok()) return search_after_error(value, key);
      v.l = index::unsigned_to_sortable(u->integer);
      break;
    }
    case SortValue::Kind::kLong:
      if (value.kind == Scalar::Kind::kInteger) {
        v.l = value.integer;
      } else if (value.kind == Scalar::Kind::kDouble) {
        v.l = saturating_long(value.number);  // Number.longValue(), as OpenSearch reads it
      } else {
        SIFT_ASSIGN_OR_RETURN(v.l, long_from_text(value, key, field));
      }
      break;
    default:
      v.kind = SortValue::Kind::kString;
      v.s = value.text;
  }
  return v;
}

Result<SortValue> numeric_missing_value(const std::string& text, const SortKey& key) {
  Status bad = invalid_argument("failed to parse missing value [" + text + "] for sort on [" + key.field + "]");
  SortValue v;
  v.kind = value_kind(key);
  if (v.kind == SortValue::Kind::kUnsignedLong) {
    auto u = index::parse_unsigned_long(text);
    if (!u.is_ok()) return bad;
    v.l = index::unsigned_to_sortable(u->integer);
    return v;
  }
  char* end = nullptr;
  long long n = std::strtoll(text.c_str(), &end, 10);
  const bool integer = !text.empty() && *end == '\0';
  double d = std::strtod(text.c_str(), &end);
  if (!integer && (text.empty() || *end != '\0')) return bad;
  v.l = integer ? static_cast<int64_t>(n) : saturating_long(d);
  v.d = d;
  return v;
}

}  // namespace sift::query
