// Sloppy phrase frequencies against Lucene 8's SloppyPhraseMatcher: 400 (document, phrase, slop)
// cases recorded from Lucene 8.7 (sloppy_phrase_cases.inc), phrases of 2-4 distinct terms.
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

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

TEST_CASE("sloppy phrase frequencies equal Lucene 8's", "[phrase]") {
  size_t checked = 0;
  for (const Case& c : kCases) {
    std::vector<std::string> doc = words(c.doc), phrase = words(c.phrase);
    std::vector<std::vector<uint32_t>> positions(phrase.size());
    std::vector<uint32_t> offsets;
    for (size_t i = 0; i < phrase.size(); ++i) {
      offsets.push_back(static_cast<uint32_t>(i));
      for (uint32_t p = 0; p < doc.size(); ++p) {
        if (doc[p] == phrase[i]) positions[i].push_back(p);
      }
    }
    INFO(c.doc << " | " << c.phrase << " ~" << c.slop);
    CHECK(query::phrase_freq(positions, offsets, c.slop) == Approx(c.freq).epsilon(1e-6));
    ++checked;
  }
  CHECK(checked == 400);
}

}  // namespace sift
