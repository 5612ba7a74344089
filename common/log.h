// Logging: one line per event on stderr, with a UTC timestamp and a level.
#pragma once

#include <string_view>

namespace sift::log {

enum class Level { kDebug, kInfo, kWarn, kError };

void set_level(Level level);
void write(Level level, std::string_view message);
inline void info(std::string_view m) { write(Level::kInfo, m); }
inline void warn(std::string_view m) { write(Level::kWarn, m); }
inline void error(std::string_view m) { write(Level::kError, m); }
inline void debug(std::string_view m) { write(Level::kDebug, m); }

}  // namespace sift::log
