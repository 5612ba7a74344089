// CRC-32C (Castagnoli), the checksum of every file footer and translog record. Uses the SSE4.2
// instruction when the CPU has it, a table otherwise; both give the same value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sift {

uint32_t crc32c_extend(uint32_t crc, const void* data, size_t n);
inline uint32_t crc32c(const void* data, size_t n) { return crc32c_extend(0, data, n); }
inline uint32_t crc32c(std::string_view s) { return crc32c(s.data(), s.size()); }

}  // namespace sift
