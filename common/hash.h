// Hash functions whose exact values other systems depend on (document routing, slicing).
#pragma once

#include <cstdint>
#include <string_view>

namespace sift {

// 32-bit MurmurHash3 (x86 variant) of the bytes of `data`.
uint32_t murmur3_32(std::string_view data, uint32_t seed = 0);

}  // namespace sift
