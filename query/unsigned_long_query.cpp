#include "query/unsigned_long_query.h"

#include <algorithm>

#include "index/numeric_codec.h"
#include "index/unsigned_long.h"

namespace sift::query {

namespace {

Result<index::UnsignedLongValue> read(const Scalar& value) {
  auto v = index::parse_unsigned_long(value.text);
  if (!v.is_ok()) {
    return Status(Code::kInvalidArgument, "query_shard_exception", "failed to create query: " + v.status().reason());
  }
  return v;
}

}  // namespace

Result<std::string> unsigned_long_term_bytes(const Scalar& value) {
  SIFT_ASSIGN_OR_RETURN(index::UnsignedLongValue v, read(value));
  if (v.has_fraction) return std::string();
  return index::encode_sortable_term(index::unsigned_to_sortable(v.integer));
}

Result<bool> unsigned_long_range(const RangeQuery& q, int64_t* lo, int64_t* hi) {
  uint64_t lower = 0, upper = index::kMaxUnsignedLong;
  bool empty = false;
  // gte 1.5 and gt 1 both start at 2; gt 2^64-1 matches nothing.
  auto raise = [&](const Scalar& s, bool exclusive) -> Status {
    SIFT_ASSIGN_OR_RETURN(index::UnsignedLongValue v, read(s));
    if (exclusive || v.has_fraction) {
      if (v.integer == index::kMaxUnsignedLong) empty = true;
      else ++v.integer;
    }
    lower = std::max(lower, v.integer);
    return Status::ok();
  };
  // lte 1.5 and lt 2 both end at 1; lt 0 matches nothing.
  auto lower_upper = [&](const Scalar& s, bool exclusive) -> Status {
    SIFT_ASSIGN_OR_RETURN(index::UnsignedLongValue v, read(s));
    if (exclusive && !v.has_fraction) {
      if (v.integer == 0) empty = true;
      else --v.integer;
    }
    upper = std::min(upper, v.integer);
    return Status::ok();
  };
  if (q.gte) SIFT_RETURN_IF_ERROR(raise(*q.gte, false));
  if (q.gt) SIFT_RETURN_IF_ERROR(raise(*q.gt, true));
  if (q.lte) SIFT_RETURN_IF_ERROR(lower_upper(*q.lte, false));
  if (q.lt) SIFT_RETURN_IF_ERROR(lower_upper(*q.lt, true));
  *lo = index::unsigned_to_sortable(lower);
  *hi = index::unsigned_to_sortable(upper);
  return !empty && lower <= upper;
}

}  // namespace sift::query
