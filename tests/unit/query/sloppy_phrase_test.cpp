// Phrase frequencies against Lucene 8's phrase matchers, recorded from Lucene 8.7 by
// bench/lucene_oracles/SloppyCheck.java: 400 (document, phrase, slop) cases of 2-4 distinct terms
// (sloppy_phrase_cases.inc) and 667 of 2-5 terms that repeat a term (sloppy_phrase_repeat_cases.inc:
// slops 1-5 and some slop 0, with documents Lucene does not match at frequency 0).
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "query/segment_evaluator.h"

namespace sift {
namespace {

struct Case {
  const char* doc;
  const char* phrase;
  int slop;
  float freq;
};

const Case kCases[] = {
#include "sloppy_phrase_cases.inc"
};

const Case kRepeatCases[] = {
#include "sloppy_phrase_repeat_cases.inc"
};

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Sift's phrase frequency of a case: each phrase word's positions in the document (a repeated
// word gets equal lists, as eval_phrase builds them) and its offset in the phrase.
float sift_freq(const Case& c) {
  std::vector<std::string> doc = words(c.doc), phrase = words(c.phrase);
  std::vector<std::vector<uint32_t>> positions(phrase.size());
  std::vector<uint32_t> offsets;
  for (size_t i = 0; i < phrase.size(); ++i) {
    offsets.push_back(static_cast<uint32_t>(i));
    for (uint32_t p = 0; p < doc.size(); ++p) {
      if (doc[p] == phrase[i]) positions[i].push_back(p);
    }
  }
  return query::phrase_freq(positions, offsets, c.slop);
}

}  // namespace

TEST_CASE("sloppy phrase frequencies equal Lucene 8's", "[phrase][sloppy]") {
  size_t checked = 0;
  for (const Case& c : kCases) {
    INFO(c.doc << " | " << c.phrase << " ~" << c.slop);
    CHECK(sift_freq(c) == Approx(c.freq).epsilon(1e-6));
    ++checked;
  }
  CHECK(checked == 400);
}

TEST_CASE("phrase frequencies with repeated terms equal Lucene 8's", "[phrase][sloppy]") {
  size_t checked = 0, sloppy = 0, matched = 0;
  for (const Case& c : kRepeatCases) {
    INFO(c.doc << " | " << c.phrase << " ~" << c.slop << " lucene " << c.freq);
    CHECK(sift_freq(c) == Approx(c.freq).epsilon(1e-6).margin(0));
    ++checked;
    sloppy += c.slop > 0;
    matched += c.slop > 0 && c.freq > 0;
  }
  CHECK(checked == 667);
  CHECK(sloppy >= 600);
  CHECK(matched >= 400);  // Lucene matched at least 400 sloppy cases
}

TEST_CASE("exact phrases count overlapping matches of a repeated term", "[phrase][sloppy]") {
  // Lucene's ExactPhraseMatcher: "a a" in "a a a" matches at 0 and 1.
  CHECK(sift_freq({"a a a", "a a", 0, 0}) == 2.0f);
  CHECK(sift_freq({"a a a a", "a a a", 0, 0}) == 2.0f);
  CHECK(sift_freq({"a b a", "a a", 0, 0}) == 0.0f);
}

}  // namespace sift
