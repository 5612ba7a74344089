// Internals shared by automaton.cpp and regex_compiler.cpp: the NFA the regexp parser builds and
// the bounded operations that turn NFAs into DFAs. Not for use outside those two files.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/automaton.h"

namespace sift::query {

inline constexpr uint32_t kMaxCodePoint = 0x10FFFF;

// One code point of `s` at byte `i`; false on invalid UTF-8.
bool decode_utf8_at(std::string_view s, size_t i, uint32_t* cp, size_t* len);

namespace automaton {

// Memory guards independent of max_determinized_states (which a request may raise): the NFA's
// states, the DFA's states, and the NFA states held by all DFA states together (what subset
// construction stores).
inline constexpr size_t kMaxNfaStates = 1'000'000;
inline constexpr int64_t kMaxDfaStates = 250'000;
inline constexpr int64_t kMaxDeterminizeEffort = 8'000'000;

// A Thompson NFA: code point range edges and epsilon edges per state.
struct Nfa {
  std::vector<std::vector<Dfa::Range>> edges;
  std::vector<std::vector<uint32_t>> eps;
  uint32_t add();
  size_t size() const { return edges.size(); }
};

// The bound every determinization obeys and the error it reports past it.
struct Limits {
  int64_t max_states = 10000;
  std::function<Status(int64_t effort)> too_complex;
};

// Subset construction of the NFA part reachable from `start`, accepting where `accept` is reached.
Result<Dfa> determinize(const Nfa& nfa, uint32_t start, uint32_t accept, const Limits& limits);
// Strings of code points not in `a`'s language.
Dfa complement(const Dfa& a);
Result<Dfa> intersect(const Dfa& a, const Dfa& b, const Limits& limits);
// States reachable from the start that can still reach acceptance.
size_t live_states(const Dfa& d);

}  // namespace automaton
}  // namespace sift::query
