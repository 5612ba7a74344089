#include "index/date_instant.h"

#include <string>

namespace sift::index {

namespace {

// INT64_MAX nanoseconds: 2262-04-11T23:47:16.854775807Z.
constexpr int64_t kMaxNanosSeconds = INT64_MAX / kNanosPerSecond;
constexpr int32_t kMaxNanosRest = static_cast<int32_t>(INT64_MAX % kNanosPerSecond);

bool after_max(DateInstant t) {
  return t.seconds > kMaxNanosSeconds || (t.seconds == kMaxNanosSeconds && t.nanos > kMaxNanosRest);
}

}  // namespace

Result<int64_t> instant_to_nanos(DateInstant t, std::string_view text) {
  if (t.seconds < 0) {
    return invalid_argument("date[" + std::string(text) +
                            "] is before the epoch in 1970 and cannot be stored in nanosecond resolution");
  }
  if (after_max(t)) {
    return invalid_argument("date[" + std::string(text) +
                            "] is after 2262-04-11T23:47:16.854775807 and cannot be stored in nanosecond resolution");
  }
  return t.seconds * kNanosPerSecond + t.nanos;
}

int64_t clamp_to_nanos(DateInstant t) {
  if (t.seconds < 0) return 0;
  if (after_max(t)) return INT64_MAX;
  return t.seconds * kNanosPerSecond + t.nanos;
}

}  // namespace sift::index
