// Term-level queries over the terms dictionary: exists (the `_field_names` terms), prefix and
// wildcard (dictionary walks), range (numbers and dates over the points, or as order-preserving
// 8-byte terms where a segment has none; strings as themselves). All are constant-score, as in
// OpenSearch.
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "common/time_util.h"
#include "index/date_format.h"
#include "index/numeric_codec.h"
#include "query/date_math.h"
#include "query/searcher.h"
#include "query/segment_evaluator.h"
#include "query/unsigned_long_query.h"

namespace sift::query {

using index::FieldType;
using index::ReaderSegment;
using index::ResolvedField;

bool wildcard_matches(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star_p = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '\\' && pi + 1 < p.size() && p[pi + 1] == t[ti]) {
      pi += 2;
      ++ti;
    } else if (pi < p.size() && (p[pi] == '?' || (p[pi] == t[ti] && p[pi] != '*' && p[pi] != '\\'))) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star_p = pi++;
      star_t = ti;
    } else if (star_p != std::string_view::npos) {
      pi = star_p + 1;
      ti = ++star_t;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

template <typename Accept, typename KeepGoing>
DocScores SegmentEvaluator::union_terms(const std::string& field, const std::string& from, Accept accept,
                                        KeepGoing keep_going, float boost, const ReaderSegment& seg) const {
  DocScores out;
  if (seg.reader->field(field) == nullptr) return out;
  std::vector<uint64_t> bits((seg.reader->max_doc() + 63) / 64, 0);
  std::string cursor = from;
  bool any = false;
  while (true) {
    auto batch = seg.reader->terms_from(field, cursor, 1024);
    if (batch.empty()) break;
    bool stop = false;
    for (const auto& term : batch) {
      if (!keep_going(term)) {
        stop = true;
        break;
      }
      if (!accept(term)) continue;
      auto it = seg.reader->postings(field, term);
      for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) bits[d >> 6] |= 1ULL << (d & 63);
      any = true;
    }
    if (stop || batch.size() < 1024) break;
    cursor = batch.back();
    cursor.push_back('\0');  // the next term after the last one seen
  }
  if (!any) return out;
  for (size_t w = 0; w < bits.size(); ++w) {
    for (uint64_t word = bits[w]; word != 0; word &= word - 1) {
      out.docs.push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(word))));
    }
  }
  out.scores.assign(out.docs.size(), boost);
  return out;
}

namespace {

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool string_field(const ResolvedField& f) { return f.type == FieldType::kKeyword || f.type == FieldType::kText; }

// The literal start of a wildcard pattern (before its first unescaped `*` or `?`).
std::string literal_prefix(const std::string& pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '*' || c == '?') break;
    if (c == '\\' && i + 1 < pattern.size()) c = pattern[++i];
    out.push_back(c);
  }
  return out;
}

Status not_string_field(const char* query, const ResolvedField& f) {
  return Status(Code::kInvalidArgument, "query_shard_exception",
                std::string("Can only use ") + query + " queries on keyword and text fields - not on [" + f.path +
                    "] which is of type [" + index::field_type_name(f.type) + "]");
}

}  // namespace

Result<DocScores> SegmentEvaluator::eval_exists(const ExistsQuery& q, const ReaderSegment& seg) const {
  DocScores out;
  std::vector<std::string> names;
  if (q.field.find('*') != std::string::npos) {
    for (const auto& leaf : mapping_.leaves()) {
      if (wildcard_matches(q.field, leaf.path)) names.push_back(leaf.path);
    }
  } else {
    names.push_back(q.field);
  }
  std::vector<DocScores> parts;
  for (const auto& n : names) {
    auto it = seg.reader->postings("_field_names", n);
    DocScores d;
    for (uint32_t doc = it.next(); doc != index::kNoMoreDocs; doc = it.next()) d.docs.push_back(doc);
    d.scores.assign(d.docs.size(), q.boost);
    parts.push_back(std::move(d));
  }
  if (parts.empty()) return out;
  out = combine_should(parts, 1);
  std::fill(out.scores.begin(), out.scores.end(), q.boost);
  return out;
}

Result<DocScores> SegmentEvaluator::eval_prefix(const PrefixQuery& q, const ReaderSegment& seg) const {
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf == nullptr || !rf->indexed) return DocScores{};
  if (!string_field(*rf)) return not_string_field("prefix", *rf);
  if (q.case_insensitive) {
    std::string want = lower_ascii(q.value);
    return union_terms(
        rf->path, "", [&](const std::string& t) { return lower_ascii(t.substr(0, want.size())) == want; },
        [](const std::string&) { return true; }, q.boost, seg);
  }
  return union_terms(
      rf->path, q.value, [](const std::string&) { return true; },
      [&](const std::string& t) { return t.compare(0, q.value.size(), q.value) == 0; }, q.boost, seg);
}

Result<DocScores> SegmentEvaluator::eval_wildcard(const WildcardQuery& q, const ReaderSegment& seg) const {
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf == nullptr || !rf->indexed) return DocScores{};
  if (!string_field(*rf)) return not_string_field("wildcard", *rf);
  if (q.case_insensitive) {
    std::string pattern = lower_ascii(q.pattern);
    return union_terms(
        rf->path, "", [&](const std::string& t) { return wildcard_matches(pattern, lower_ascii(t)); },
        [](const std::string&) { return true; }, q.boost, seg);
  }
  std::string prefix = literal_prefix(q.pattern);
  return union_terms(
      rf->path, prefix, [&](const std::string& t) { return wildcard_matches(q.pattern, t); },
      [&](const std::string& t) { return t.compare(0, prefix.size(), prefix) == 0; }, q.boost, seg);
}

namespace {

struct Bounds {
  std::string lower;        // inclusive, encoded; empty = unbounded
  std::string upper;        // inclusive, encoded; empty = unbounded
  bool empty_range = false;
};

Result<double> scalar_number(const Scalar& s, const std::string& field) {
  if (s.kind == Scalar::Kind::kInteger || s.kind == Scalar::Kind::kDouble) return s.number;
  try {
    size_t used = 0;
    double d = std::stod(s.text, &used);
    if (used == s.text.size()) return d;
  } catch (...) {
  }
  return Status(Code::kInvalidArgument, "query_shard_exception",
                "failed to create query: For input string: \"" + s.text + "\" (field [" + field + "])");
}

// The inclusive bound a range operand sets on a long-family field whose values are scaled by
// `scale`: integers exactly (a double cannot hold every long), decimals rounded inward as
// OpenSearch's longRangeQuery (gt 1.5 is gte 2). nullopt: the operand excludes every long.
Result<std::optional<int64_t>> long_bound(const Scalar& s, bool lower, bool inclusive, double scale,
                                          const std::string& field) {
  constexpr double kTwo63 = 9223372036854775808.0;
  int64_t v = 0;
  bool exact = false;
  if (scale == 1.0 && s.kind == Scalar::Kind::kInteger) {
    v = s.integer;
    exact = true;
  } else if (scale == 1.0 && s.kind == Scalar::Kind::kString) {
    auto [end, ec] = std::from_chars(s.text.data(), s.text.data() + s.text.size(), v);
    exact = ec == std::errc() && end == s.text.data() + s.text.size();
  }
  if (!exact) {
    SIFT_ASSIGN_OR_RETURN(double d, scalar_number(s, field));
    d *= scale;
    if (std::isnan(d)) {
      return Status(Code::kInvalidArgument, "query_shard_exception",
                    "failed to create query: For input string: \"" + s.text + "\" (field [" + field + "])");
    }
    const double r = lower ? std::ceil(d) : std::floor(d);
    if (r != d) inclusive = true;  // a decimal bound excludes itself already
    if (lower ? r >= kTwo63 : r < -kTwo63) return std::optional<int64_t>();
    if (lower ? r < -kTwo63 : r >= kTwo63) return std::optional<int64_t>(lower ? INT64_MIN : INT64_MAX);
    v = static_cast<int64_t>(r);
  }
  if (!inclusive) {
    if (v == (lower ? INT64_MAX : INT64_MIN)) return std::optional<int64_t>();
    v += lower ? 1 : -1;
  }
  return std::optional<int64_t>(v);
}

}  // namespace

Result<DocScores> SegmentEvaluator::eval_range(const RangeQuery& q, const ReaderSegment& seg) const {
  const ResolvedField* rf = mapping_.find(q.field);
  if (rf == nullptr || !rf->indexed) return DocScores{};
  Bounds b;
  switch (rf->type) {
    case FieldType::kLong:
    case FieldType::kInteger:
    case FieldType::kShort:
    case FieldType::kByte:
    case FieldType::kScaledFloat: {
      double scale = rf->type == FieldType::kScaledFloat && rf->mapping && rf->mapping->scaling_factor
                         ? *rf->mapping->scaling_factor
                         : 1.0;
      int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
      auto apply = [&](const std::optional<Scalar>& s, bool lower, bool inclusive) -> Status {
        if (!s) return Status::ok();
        SIFT_ASSIGN_OR_RETURN(std::optional<int64_t> v, long_bound(*s, lower, inclusive, scale, q.field));
        if (!v) b.empty_range = true;
        else if (lower) lo = std::max(lo, *v);
        else hi = std::min(hi, *v);
        return Status::ok();
      };
      SIFT_RETURN_IF_ERROR(apply(q.gte, true, true));
      SIFT_RETURN_IF_ERROR(apply(q.gt, true, false));
      SIFT_RETURN_IF_ERROR(apply(q.lte, false, true));
      SIFT_RETURN_IF_ERROR(apply(q.lt, false, false));
      if (lo > hi) b.empty_range = true;
      b.lower = index::encode_sortable_term(lo);
      b.upper = index::encode_sortable_term(hi);
      break;
    }
    case FieldType::kDouble:
    case FieldType::kFloat:
    case FieldType::kHalfFloat: {
      // Bounds in the sortable order, as Lucene's DoublePoint/FloatPoint: gt and lt step to the
      // adjacent value (gt -0.0 starts at +0.0, lt 0.0 ends at -0.0; infinities stay), NaN sorts
      // above +Infinity (a NaN lower bound matches nothing, a NaN upper bound everything above).
      constexpr double kInf = std::numeric_limits<double>::infinity();
      bool narrow = rf->type != FieldType::kDouble;
      auto key = [&](double d) {
        if (std::isnan(d)) return index::double_to_sortable(std::numeric_limits<double>::quiet_NaN());
        return index::double_to_sortable(narrow ? static_cast<double>(static_cast<float>(d)) : d);
      };
      int64_t lo = key(-kInf), hi = key(kInf);
      if (q.gte) { SIFT_ASSIGN_OR_RETURN(double d, scalar_number(*q.gte, q.field)); lo = std::max(lo, key(d)); }
      if (q.gt) { SIFT_ASSIGN_OR_RETURN(double d, scalar_number(*q.gt, q.field)); lo = std::max(lo, key(d) + (std::isnan(d) || d == kInf ? 0 : 1)); }
      if (q.lte) { SIFT_ASSIGN_OR_RETURN(double d, scalar_number(*q.lte, q.field)); hi = std::min(hi, key(d)); }
      if (q.lt) { SIFT_ASSIGN_OR_RETURN(double d, scalar_number(*q.lt, q.field)); hi = std::min(hi, key(d) - (std::isnan(d) || d == -kInf ? 0 : 1)); }
      if (lo > hi) b.empty_range = true;
      b.lower = index::encode_sortable_term(lo);
      b.upper = index::encode_sortable_term(hi);
      break;
    }
    case FieldType::kDate:
    case FieldType::kDateNanos: {
      std::string spec = !q.format.empty() ? q.format
                         : rf->mapping && rf->mapping->format ? *rf->mapping->format
                                                               : "strict_date_optional_time||epoch_millis";
      SIFT_ASSIGN_OR_RETURN(index::DateFormatter fmt, index::DateFormatter::create(spec));
      std::shared_ptr<const TimeZone> tz;
      if (!q.time_zone.empty()) {
        SIFT_ASSIGN_OR_RETURN(tz, TimeZone::find(q.time_zone));
      }
      int64_t now = now_millis();
      // Inclusive bounds: date math rounds per operator (gt rounds up then +1 ms, lt rounds down - 1 ms);
      // date_nanos bounds are nanoseconds, clamped to its range (date_math.h).
      const bool nanos = index::is_nanos(rf->type);
      auto resolve = [&](const Scalar& s, RangeOp op) -> Result<int64_t> {
        if (nanos && s.kind == Scalar::Kind::kInteger) {  // epoch_millis: rounding up fills the millisecond
          return nanos_range_bound(s.integer, rounding_for(op) == Rounding::kRoundUp ? 999'999 : 0, op);
        }
        if (nanos) return resolve_range_bound_nanos(s.text, op, now, fmt, tz.get());
        if (s.kind == Scalar::Kind::kInteger) {
          if (op == RangeOp::kGt) return s.integer == INT64_MAX ? s.integer : s.integer + 1;
          if (op == RangeOp::kLt) return s.integer == INT64_MIN ? s.integer : s.integer - 1;
          return s.integer;
        }
        return resolve_range_bound(s.text, op, now, fmt, tz.get());
      };
      int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
      if (q.gte) { SIFT_ASSIGN_OR_RETURN(int64_t v, resolve(*q.gte, RangeOp::kGte)); lo = std::max(lo, v); }
      if (q.gt) { SIFT_ASSIGN_OR_RETURN(int64_t v, resolve(*q.gt, RangeOp::kGt)); lo = std::max(lo, v); }
      if (q.lte) { SIFT_ASSIGN_OR_RETURN(int64_t v, resolve(*q.lte, RangeOp::kLte)); hi = std::min(hi, v); }
      if (q.lt) { SIFT_ASSIGN_OR_RETURN(int64_t v, resolve(*q.lt, RangeOp::kLt)); hi = std::min(hi, v); }
      if (lo > hi) b.empty_range = true;
      b.lower = index::encode_sortable_term(lo);
      b.upper = index::encode_sortable_term(hi);
      break;
    }
    case FieldType::kUnsignedLong: {
      int64_t lo = 0, hi = 0;
      SIFT_ASSIGN_OR_RETURN(bool any, unsigned_long_range(q, &lo, &hi));  // unsigned_long_query.h
      b.empty_range = !any;
      b.lower = index::encode_sortable_term(lo);
      b.upper = index::encode_sortable_term(hi);
      break;
    }
    case FieldType::kKeyword:
    case FieldType::kText:
    case FieldType::kBoolean: {
      auto text = [&](const Scalar& s) -> std::string {
        if (rf->type == FieldType::kBoolean) return s.text == "true" ? "T" : "F";
        return s.text;
      };
      std::string lo, hi;
      bool has_hi = false;
      if (q.gte) lo = text(*q.gte);
      if (q.gt) lo = text(*q.gt) + std::string(1, '\0');
      if (q.lte) {
        hi = text(*q.lte);
        has_hi = true;
      }
      if (q.lt) {
        // The greatest string below `lt` has no finite form; compare with < instead (below).
        hi = text(*q.lt);
        has_hi = true;
      }
      bool upper_exclusive = q.lt.has_value() && !q.lte.has_value();
      return union_terms(
          rf->path, lo, [](const std::string&) { return true; },
          [&](const std::string& t) { return !has_hi || (upper_exclusive ? t < hi : t <= hi); }, q.boost, seg);
    }
    default:
      return Status(Code::kInvalidArgument, "query_shard_exception",
                    std::string("range queries on fields of type [") + index::field_type_name(rf->type) +
                        "] are not supported yet");
  }
  if (b.empty_range) return DocScores{};
  // Numbers and dates: the segment's points of the field (index/points.h), when it has them.
  if (index::PointValues points = seg.reader->points(rf->path); !points.empty()) {
    DocScores out;
    SIFT_RETURN_IF_ERROR(points.intersect(index::decode_sortable_term(b.lower), index::decode_sortable_term(b.upper),
                                          &out.docs));
    out.scores.assign(out.docs.size(), q.boost);
    return out;
  }
  return union_terms(
      rf->path, b.lower, [](const std::string&) { return true; }, [&](const std::string& t) { return t <= b.upper; },
      q.boost, seg);
}

}  // namespace sift::query
