#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <regex>

#include "query/automaton.h"

using namespace sift;
using query::BoundedLevenshtein;
using query::Dfa;

namespace {

Dfa compile(const std::string& re, uint32_t flags = query::kRegexAll, bool ci = false, int64_t max_states = 10000) {
  query::RegexOptions o;
  o.flags = flags;
  o.case_insensitive = ci;
  o.max_determinized_states = max_states;
  auto d = query::compile_regex(re, o);
  INFO(re << ": " << d.status().to_string());
  REQUIRE(d.is_ok());
  return std::move(d).value();
}

std::string error_of(const std::string& re, uint32_t flags = query::kRegexAll, int64_t max_states = 10000) {
  query::RegexOptions o;
  o.flags = flags;
  o.max_determinized_states = max_states;
  auto d = query::compile_regex(re, o);
  REQUIRE_FALSE(d.is_ok());
  return d.status().reason();
}

std::u32string u32(const std::string& s) {
  std::u32string out;
  REQUIRE(query::decode_utf8(s, &out));
  return out;
}

// Plain optimal-string-alignment distance, the oracle for the bounded one.
int osa(const std::u32string& a, const std::u32string& b, bool transpositions) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (transpositions && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

TEST_CASE("regexp: Lucene's syntax matches whole terms", "[automaton]") {
  Dfa d = compile("ab*c");
  CHECK(d.matches("ac"));
  CHECK(d.matches("abbbc"));
  CHECK_FALSE(d.matches("abd"));
  CHECK_FALSE(d.matches("xabc"));  // anchored at both ends
  CHECK_FALSE(compile("b").matches("abc"));
  CHECK(compile("a.c").matches("abc"));
  CHECK(compile("colou?r").matches("color"));
  CHECK(compile("colou?r").matches("colour"));
  CHECK_FALSE(compile("a+").matches(""));
  CHECK(compile("a{2}").matches("aa"));
  CHECK_FALSE(compile("a{2}").matches("aaa"));
  CHECK(compile("a{1,3}").matches("aaa"));
  CHECK_FALSE(compile("a{1,3}").matches("aaaa"));
  CHECK(compile("a{2,}").matches("aaaaa"));
  CHECK_FALSE(compile("a{2,}").matches("a"));
  CHECK(compile("a{3,1}b").matches("b") == false);  // min > max: the empty language
  CHECK(compile("cat|dog").matches("dog"));
  CHECK(compile("(ab)+").matches("ababab"));
  CHECK(compile("()").matches(""));
  CHECK(compile("").matches(""));
  CHECK(compile("[a-c]x").matches("bx"));
  CHECK_FALSE(compile("[a-c]x").matches("dx"));
  CHECK(compile("[^a-c]x").matches("dx"));
  CHECK_FALSE(compile("[^a-c]x").matches("ax"));
  CHECK(compile("[]a]").matches("]"));                      // a leading ] is a member
  CHECK(compile("\"a.b*\"").matches("a.b*"));               // quoted: literal
  CHECK(compile("a\\.b").matches("a.b"));
  CHECK_FALSE(compile("a\\.b").matches("axb"));
  CHECK(compile("\\d+").matches("2024"));
  CHECK(compile("\\w+\\s\\W").matches("ab_9 !"));
  CHECK(compile("[\\d.]+").matches("1.5"));
  CHECK(compile("\\D\\S").matches("a!"));
  CHECK(compile("|a").matches("|a"));                       // a leading | is a character, as in Lucene
}

TEST_CASE("regexp: optional operators follow the flags", "[automaton]") {
  Dfa not_ab = compile("~(ab)");
  CHECK(not_ab.matches("a"));
  CHECK(not_ab.matches(""));
  CHECK(not_ab.matches("abc"));
  CHECK_FALSE(not_ab.matches("ab"));
  CHECK(compile("~a", query::kRegexNone).matches("~a"));    // without COMPLEMENT `~` is a character
  Dfa both = compile("[a-z]+&.*q.*");
  CHECK(both.matches("aqb"));
  CHECK_FALSE(both.matches("abc"));
  CHECK(compile("a&b", query::kRegexNone).matches("a&b"));
  Dfa interval = compile("<1-10>");
  CHECK(interval.matches("5"));
  CHECK(interval.matches("10"));
  CHECK(interval.matches("007"));  // different widths: any leading zeros
  CHECK_FALSE(interval.matches("11"));
  CHECK_FALSE(interval.matches("0"));
  Dfa fixed = compile("<01-10>");
  CHECK(fixed.matches("05"));
  CHECK_FALSE(fixed.matches("5"));
  CHECK(compile("id<10-99>x").matches("id42x"));
  CHECK_FALSE(compile("#").matches(""));
  CHECK(compile("a@").matches("abc"));
  CHECK(compile("@", query::kRegexNone).matches("@"));
  CHECK(compile("#", query::kRegexNone).matches("#"));
  auto flags = query::parse_regex_flags("INTERSECTION|complement");
  REQUIRE(flags.is_ok());
  CHECK(*flags == (query::kRegexIntersection | query::kRegexComplement));
  CHECK(*query::parse_regex_flags("") == query::kRegexAll);
  CHECK(*query::parse_regex_flags("NONE|ALL") == query::kRegexAll);
  CHECK(query::parse_regex_flags("BOGUS").status().reason() == "Unknown regexp flag [BOGUS]");
}

TEST_CASE("regexp: case_insensitive folds ASCII letters of characters, not of ranges", "[automaton]") {
  CHECK(compile("abc", query::kRegexAll, true).matches("AbC"));
  CHECK(compile("\"abc\"", query::kRegexAll, true).matches("ABC"));
  CHECK(compile("[a]", query::kRegexAll, true).matches("A"));
  CHECK_FALSE(compile("[a-c]", query::kRegexAll, true).matches("B"));
  CHECK_FALSE(compile("abc").matches("ABC"));
  CHECK_FALSE(compile("é", query::kRegexAll, true).matches("É"));  // beyond ASCII: as Lucene
}

TEST_CASE("regexp: code points, not bytes", "[automaton]") {
  CHECK(compile(".").matches("é"));
  CHECK(compile("..").matches("日本"));
  CHECK_FALSE(compile(".").matches("日本"));
  CHECK(compile("[à-ü]+").matches("éü"));
  CHECK(compile("x.y").matches("x😀y"));
  CHECK_FALSE(compile("x..y").matches("x😀y"));
}

TEST_CASE("regexp: syntax errors carry Lucene's messages and UTF-16 positions", "[automaton]") {
  CHECK(error_of("a(b") == "expected ')' at position 3");
  CHECK(error_of("[a") == "expected ']' at position 2");
  CHECK(error_of("a{") == "integer expected at position 2");
  CHECK(error_of("a{2") == "expected '}' at position 3");
  CHECK(error_of("a)") == "end-of-string expected at position 1");
  CHECK(error_of("😀)") == "end-of-string expected at position 2");
  CHECK(error_of("a\\n") == "invalid character class \\n");
  CHECK(error_of("[z-a]") == "invalid range: from (122) cannot be > to (97)");
  CHECK(error_of("a\\") == "unexpected end-of-string");
  CHECK(error_of("\"ab") == "expected '\"' at position 3");
  CHECK(error_of("<foo>") == "'foo' not found");
  CHECK(error_of("<1-x>") == "interval syntax error at position 4");
  CHECK(error_of("<1-2", query::kRegexInterval) == "expected '>' at position 4");
  CHECK(error_of("a{99999999999}") == "For input string: \"99999999999\"");
  CHECK(error_of("a|") == "unexpected end-of-string");
  std::string deep(2000, '(');
  CHECK(error_of(deep + "a" + std::string(2000, ')')).find("nested deeper") != std::string::npos);
}

TEST_CASE("regexp: the DFA is bounded by max_determinized_states", "[automaton]") {
  // (a|b)*a(a|b){n} needs about 2^(n+1) states: fine at n = 8, too many at n = 20.
  Dfa small = compile("(a|b)*a(a|b){8}");
  CHECK(small.matches("bbbabbbbbbbb"));
  CHECK(small.num_states() > 256);
  query::RegexOptions o;
  auto big = query::compile_regex("(a|b)*a(a|b){20}", o);
  REQUIRE_FALSE(big.is_ok());
  CHECK(big.status().type() == "too_complex_to_determinize_exception");
  CHECK(big.status().reason() == "Determinizing (a|b)*a(a|b){20} would require more than 10000 effort.");
  o.max_determinized_states = 100;
  CHECK_FALSE(query::compile_regex("(a|b)*a(a|b){8}", o).is_ok());
  // Lucene's repeat check: (states of the operand - 1) * max beyond the limit.
  CHECK(error_of("a{1,20000}") == "Determinizing a{1,20000} would require more than 20000 effort.");
  CHECK(error_of("[ab]{0,5000}(x{1,3000}){1,9}").find("would require more than") != std::string::npos);
  // Complements determinize within the bound too.
  CHECK(error_of("~((a|b)*a(a|b){20})").find("Determinizing") == 0);
}

TEST_CASE("regexp: a walk tells which term to seek to after a dead prefix", "[automaton]") {
  Dfa d = compile("ab.*");
  CHECK(d.literal_prefix() == "ab");
  CHECK(d.walk("ab").accepted);
  CHECK(d.walk("aa").seek == "ab");
  CHECK(d.walk("ac").done);
  Dfa e = compile("[bd]x");
  CHECK(e.walk("a").seek == "b");
  CHECK(e.walk("bz").seek == "d");   // no bz..., next is d
  CHECK(e.walk("c").seek == "d");
  CHECK(e.walk("e").done);
  CHECK(e.walk("b").accepted == false);
  CHECK(e.walk("b").seek.empty());   // alive but not accepted: read on
  Dfa none = compile("#");
  CHECK(none.walk("anything").done);
}

TEST_CASE("regexp: randomized oracle against std::regex on the shared syntax", "[automaton]") {
  uint32_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  std::function<std::string(int)> gen = [&](int depth) -> std::string {
    switch (depth > 3 ? pick(3) : pick(9)) {
      case 0: return std::string(1, "abc"[pick(3)]);
      case 1: return ".";
      case 2: return "[ab]";
      case 3: return gen(depth + 1) + gen(depth + 1);
      case 4: return "(" + gen(depth + 1) + "|" + gen(depth + 1) + ")";
      case 5: return "(" + gen(depth + 1) + ")*";
      case 6: return "(" + gen(depth + 1) + ")?";
      case 7: return "(" + gen(depth + 1) + "){1,2}";
      default: return "[^b]";
    }
  };
  for (int round = 0; round < 200; ++round) {
    std::string re = gen(0);
    Dfa d = compile(re);
    std::regex oracle(re);
    for (int k = 0; k < 30; ++k) {
      std::string s;
      for (int n = pick(6); n > 0; --n) s.push_back("abc"[pick(3)]);
      INFO(re << " on " << s);
      CHECK(d.matches(s) == std::regex_match(s, oracle));
    }
  }
}

TEST_CASE("Levenshtein: bounded distance with and without transpositions", "[automaton]") {
  size_t dead = 0;
  BoundedLevenshtein lev(u32("kitten"), 2, true);
  CHECK(lev.distance(u32("sitten"), 2, &dead) == 1);
  CHECK(lev.distance(u32("sittin"), 2, &dead) == 2);
  CHECK(lev.distance(u32("sitting"), 2, &dead) == -1);  // 3 edits
  CHECK(lev.distance(u32("kitten"), 2, &dead) == 0);
  CHECK(lev.distance(u32("kitten"), 0, &dead) == 0);
  CHECK(lev.distance(u32("kittem"), 0, &dead) == -1);
  BoundedLevenshtein swap(u32("abcd"), 2, true);
  CHECK(swap.distance(u32("acbd"), 2, &dead) == 1);
  BoundedLevenshtein no_swap(u32("abcd"), 2, false);
  CHECK(no_swap.distance(u32("acbd"), 2, &dead) == 2);
  // A prefix already too far: the walk can skip every term that starts with it.
  BoundedLevenshtein abc(u32("abc"), 1, true);
  CHECK(abc.distance(u32("xyzzy"), 1, &dead) == -1);
  CHECK(dead == 2);
  CHECK(abc.distance(u32("abcdef"), 1, &dead) == -1);
  CHECK(dead == 5);
}

TEST_CASE("Levenshtein: code points, not bytes", "[automaton]") {
  size_t dead = 0;
  BoundedLevenshtein lev(u32("über"), 1, true);
  CHECK(lev.distance(u32("uber"), 1, &dead) == 1);  // two bytes differ, one code point
  CHECK(lev.distance(u32("über"), 1, &dead) == 0);
  BoundedLevenshtein emoji(u32("a😀b"), 1, true);
  CHECK(emoji.distance(u32("ab"), 1, &dead) == 1);
  CHECK(emoji.distance(u32("a😃b"), 1, &dead) == 1);
}

TEST_CASE("Levenshtein: randomized oracle over sorted terms sharing rows", "[automaton]") {
  uint32_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  auto word = [&](size_t max_len) {
    std::u32string w;
    for (size_t n = rng() % (max_len + 1); n > 0; --n) w.push_back(U"abcé"[rng() % 4]);
    return w;
  };
  for (int round = 0; round < 50; ++round) {
    std::u32string q = word(6);
    bool tr = rng() % 2 == 0;
    int k = static_cast<int>(rng() % 3);
    BoundedLevenshtein lev(q, k, tr);
    std::vector<std::u32string> terms;
    for (int i = 0; i < 200; ++i) terms.push_back(word(8));
    std::sort(terms.begin(), terms.end());
    for (const auto& t : terms) {
      int want = osa(q, t, tr);
      size_t dead = 0;
      int got = lev.distance(t, k, &dead);
      CHECK(got == (want <= k ? want : -1));
      if (dead > 0) {  // no extension of the dead prefix is within k
        std::u32string p = t.substr(0, dead);
        CHECK(osa(q, p, tr) > k);
        CHECK(osa(q, p + U"a", tr) > k);
      }
    }
  }
}

TEST_CASE("UTF-8 helpers", "[automaton]") {
  std::string s;
  query::append_utf8(0x1F600, &s);
  CHECK(s == "😀");
  std::u32string out;
  CHECK_FALSE(query::decode_utf8("\xC3", &out));
  CHECK_FALSE(query::decode_utf8("\xC0\x80", &out));  // overlong
  CHECK(query::prefix_successor("ab") == "ac");
  CHECK(query::prefix_successor("a\xFF") == "b");
  CHECK(query::prefix_successor("\xFF").empty());
}
