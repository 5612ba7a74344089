// Clocks and time formatting shared by every module.
#pragma once

#include <cstdint>
#include <string>

namespace sift {

int64_t now_millis();        // wall clock, ms since the epoch
int64_t monotonic_nanos();   // for durations and deadlines
// "2026-11-23T01:02:03.456Z"
std::string format_iso8601_millis(int64_t epoch_millis);

}  // namespace sift
