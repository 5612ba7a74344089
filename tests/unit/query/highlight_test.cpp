#include <catch2/catch.hpp>

#include <functional>

#include "query/dsl_parser.h"
#include "query/highlight.h"
#include "query/search_request.h"

using namespace sift;
using Fragments = std::vector<std::string>;

namespace {

const index::Mapping& test_mapping() {
  static const index::Mapping mapping = [] {
    auto m = index::parse_mapping(R"({"properties":{
      "story":{"type":"text","fields":{"raw":{"type":"keyword"}}},
      "note":{"type":"text"},
      "stopped":{"type":"text","analyzer":"stop"},
      "label":{"type":"keyword","ignore_above":8},
      "lower":{"type":"keyword","normalizer":"lowercase"},
      "count":{"type":"long"}}})");
    REQUIRE(m.is_ok());
    return std::move(m).value();
  }();
  return mapping;
}

// Highlights `field` of `values` for the query given as JSON, with `tweak` applied to the defaults.
Fragments hl(const std::string& query_json, const std::string& field, const Fragments& values,
             const std::function<void(query::ResolvedHighlight&)>& tweak = {}) {
  auto q = query::parse_query(query_json);
  REQUIRE(q.is_ok());
  query::ResolvedHighlight o;
  if (tweak) tweak(o);
  return query::highlight_field(q->get(), test_mapping(), field, values, o);
}

}  // namespace

TEST_CASE("highlighting marks the matched tokens inside the sentence that holds them", "[highlight]") {
  CHECK(hl(R"({"match":{"story":"owls"}})", "story", {"Cats nap all day. Owls hunt at night."}) ==
        Fragments{"<em>Owls</em> hunt at night."});
  // Sentences after the match join the passage while it stays within fragment_size.
  CHECK(hl(R"({"match":{"story":"cats"}})", "story", {"Cats nap all day. Owls hunt at night."}) ==
        Fragments{"<em>Cats</em> nap all day. Owls hunt at night."});
  // Nothing matched, no fragment; unmapped fields neither.
  CHECK(hl(R"({"match":{"story":"bats"}})", "story", {"Cats nap."}).empty());
  CHECK(hl(R"({"match":{"story":"cats"}})", "missing", {"Cats nap."}).empty());
}

TEST_CASE("fragment_size cuts long sentences at word boundaries around the match", "[highlight]") {
  std::string text = "Some words come first and then the heron waits by the water for a very long time indeed.";
  Fragments got = hl(R"({"match":{"story":"heron"}})", "story", {text}, [](auto& o) { o.fragment_size = 20; });
  REQUIRE(got.size() == 1);
  CHECK(got[0].find("<em>heron</em>") != std::string::npos);
  CHECK(got[0].size() < text.size());
  // fragment_size 0: whole sentences, never cut.
  got = hl(R"({"match":{"story":"heron"}})", "story", {text}, [](auto& o) { o.fragment_size = 0; });
  CHECK(got == Fragments{"Some words come first and then the <em>heron</em> waits by the water for a very long time indeed."});
  // The word scanner makes each match its own fragment.
  got = hl(R"({"match":{"story":"heron water"}})", "story", {text},
           [](auto& o) { o.boundary = query::HighlightBoundary::kWord; });
  CHECK(got == Fragments{"<em>heron</em>", "<em>water</em>"});
}

TEST_CASE("number_of_fragments keeps the best passages, in text order or by score", "[highlight]") {
  // Three sentences with a term; the middle one is longest so it scores lowest, the last one holds
  // two distinct terms so it scores highest.
  std::string text =
      "A wren sang. Then after a very long pause that went on and on for most of the morning a wren sang "
      "again somewhere. At last a wren and an owl slept.";
  auto two = [](auto& o) {
    o.number_of_fragments = 2;
    o.fragment_size = 40;
  };
  Fragments got = hl(R"({"match":{"note":"wren owl"}})", "note", {text}, two);
  CHECK(got == Fragments{"A <em>wren</em> sang.", "At last a <em>wren</em> and an <em>owl</em> slept."});
  got = hl(R"({"match":{"note":"wren owl"}})", "note", {text}, [&](auto& o) {
    two(o);
    o.score_order = true;
  });
  CHECK(got == Fragments{"At last a <em>wren</em> and an <em>owl</em> slept.", "A <em>wren</em> sang."});
  // 0 fragments: each matching value whole, however long.
  got = hl(R"({"match":{"note":"wren"}})", "note", {text}, [](auto& o) { o.number_of_fragments = 0; });
  REQUIRE(got.size() == 1);
  CHECK(got[0].rfind("A <em>wren</em> sang. Then", 0) == 0);
  CHECK(got[0].find("At last a <em>wren</em> and an owl slept.") != std::string::npos);
}

TEST_CASE("a huge fragment_size keeps the sentences from the first match to the end", "[highlight]") {
  // OpenSearch Dashboards asks for fragment_size 2147483647.
  Fragments got = hl(R"({"match":{"note":"moth"}})", "note", {"Lamps glow. A moth circles. It lands. Dawn comes."},
                     [](auto& o) { o.fragment_size = 2147483647; });
  CHECK(got == Fragments{"A <em>moth</em> circles. It lands. Dawn comes."});
}

TEST_CASE("multi-valued fields give one passage per matching value", "[highlight]") {
  Fragments values{"grey goose", "black swan", "snow goose"};
  CHECK(hl(R"({"match":{"note":"goose"}})", "note", values) == Fragments{"grey <em>goose</em>", "snow <em>goose</em>"});
  CHECK(hl(R"({"match":{"note":"goose"}})", "note", values, [](auto& o) { o.number_of_fragments = 1; }).size() == 1);
  CHECK(hl(R"({"match":{"note":"goose"}})", "note", values, [](auto& o) { o.number_of_fragments = 0; }) ==
        Fragments{"grey <em>goose</em>", "snow <em>goose</em>"});
}

TEST_CASE("phrases mark only the tokens in phrase position", "[highlight]") {
  std::string text = "pale moon and a red sun, then a red moon rose";
  CHECK(hl(R"({"match_phrase":{"note":"red moon"}})", "note", {text}) ==
        Fragments{"pale moon and a red sun, then a <em>red</em> <em>moon</em> rose"});
  // With slop the terms may sit apart.
  CHECK(hl(R"({"match_phrase":{"note":{"query":"pale sun","slop":4}}})", "note", {text}) ==
        Fragments{"<em>pale</em> moon and a red <em>sun</em>, then a red moon rose"});
  CHECK(hl(R"({"match_phrase":{"note":"sun moon"}})", "note", {text}).empty());
  CHECK(hl(R"({"match_phrase_prefix":{"note":"red mo"}})", "note", {text}) ==
        Fragments{"pale moon and a red sun, then a <em>red</em> <em>moon</em> rose"});
}

TEST_CASE("require_field_match decides whether other fields' terms highlight", "[highlight]") {
  CHECK(hl(R"({"match":{"note":"otter"}})", "story", {"An otter swims."}).empty());
  CHECK(hl(R"({"match":{"note":"otter"}})", "story", {"An otter swims."},
           [](auto& o) { o.require_field_match = false; }) == Fragments{"An <em>otter</em> swims."});
  // must_not clauses never highlight.
  CHECK(hl(R"({"bool":{"must":[{"match":{"story":"otter"}}],"must_not":[{"match":{"story":"swims"}}]}})", "story",
           {"An otter swims."}) == Fragments{"An <em>otter</em> swims."});
}

TEST_CASE("keyword fields highlight whole values, and ignored or normalized values behave as indexed", "[highlight]") {
  CHECK(hl(R"({"terms":{"label":["ant","bee"]}})", "label", {"ant", "cow", "bee"}) ==
        Fragments{"<em>ant</em>", "<em>bee</em>"});
  CHECK(hl(R"({"prefix":{"label":"alpha"}})", "label", {"alphabetic"}).empty());  // over ignore_above
  CHECK(hl(R"({"prefix":{"label":"alp"}})", "label", {"alpha"}) == Fragments{"<em>alpha</em>"});
  CHECK(hl(R"({"term":{"lower":"MiXeD"}})", "lower", {"Mixed"}) == Fragments{"<em>Mixed</em>"});
  // A multi-field of a text field is a keyword too.
  CHECK(hl(R"({"term":{"story.raw":"Two words"}})", "story.raw", {"Two words"}) == Fragments{"<em>Two words</em>"});
  CHECK(hl(R"({"range":{"label":{"gte":"b","lt":"d"}}})", "label", {"apple", "cherry", "date"}) ==
        Fragments{"<em>cherry</em>"});
}

TEST_CASE("wildcard, prefix and query_string clauses highlight by pattern", "[highlight]") {
  CHECK(hl(R"({"wildcard":{"note":"bi?d*"}})", "note", {"A bird and birdsong, not a bard."}) ==
        Fragments{"A <em>bird</em> and <em>birdsong</em>, not a bard."});
  CHECK(hl(R"({"prefix":{"note":{"value":"SON","case_insensitive":true}}})", "note", {"Songs sound."}) ==
        Fragments{"<em>Songs</em> sound."});
  CHECK(hl(R"({"query_string":{"query":"elk OR \"tall trees\""}})", "note", {"The elk rests under tall trees."}) ==
        Fragments{"The <em>elk</em> rests under <em>tall</em> <em>trees</em>."});
  CHECK(hl(R"({"query_string":{"query":"note:gr*"}})", "note", {"Green grass grows."}) ==
        Fragments{"<em>Green</em> <em>grass</em> <em>grows</em>."});
  CHECK(hl(R"({"query_string":{"query":"story:elk"}})", "note", {"The elk."}).empty());
}

TEST_CASE("tags, the html encoder and multi-byte text", "[highlight]") {
  CHECK(hl(R"({"match":{"note":"fish"}})", "note", {"<i>fish</i> & 'chips'"}, [](auto& o) {
          o.html_encode = true;
          o.pre_tag = "<mark>";
          o.post_tag = "</mark>";
        }) == Fragments{"&lt;i&gt;<mark>fish</mark>&lt;&#x2F;i&gt; &amp; &#x27;chips&#x27;"});
  // Offsets are UTF-16 units; the fragment must cut the UTF-8 text at the same characters.
  CHECK(hl(R"({"match":{"note":"café"}})", "note", {"Crème brûlée 🍮 au café."}) ==
        Fragments{"Crème brûlée 🍮 au <em>café</em>."});
  // Stop words leave a position gap the phrase accounts for.
  CHECK(hl(R"({"match_phrase":{"stopped":"king of spain"}})", "stopped", {"The king of Spain."}) ==
        Fragments{"The <em>king</em> of <em>Spain</em>."});
}

TEST_CASE("no_match_size returns the start of the first value when nothing matched", "[highlight]") {
  auto sized = [](int n) { return [n](query::ResolvedHighlight& o) { o.no_match_size = n; }; };
  CHECK(hl(R"({"match":{"note":"zebra"}})", "note", {"", "Morning fog lifts slowly."}, sized(9)) ==
        Fragments{"Morning fog"});
  CHECK(hl(R"({"match":{"note":"zebra"}})", "note", {"Short."}, sized(50)) == Fragments{"Short."});
  CHECK(hl(R"({"match":{"note":"zebra"}})", "note", {"Short."}).empty());
}

TEST_CASE("max_analyzer_offset stops marking past that offset", "[highlight]") {
  CHECK(hl(R"({"match":{"note":"bee"}})", "note", {"bee one two three bee"}, [](auto& o) { o.max_analyzer_offset = 5; }) ==
        Fragments{"<em>bee</em> one two three bee"});
}

TEST_CASE("the highlight section parses options, inheritance and OpenSearch's errors", "[highlight]") {
  auto spec = query::parse_highlight(
      R"({"pre_tags":["<b>"],"post_tags":["</b>"],"fragment_size":50,"require_field_match":false,"order":"score",
          "fields":[{"title":{"number_of_fragments":0,"type":"plain"}},{"body*":{"highlight_query":{"match":{"body":"x"}}}}]})");
  REQUIRE(spec.is_ok());
  REQUIRE(spec->fields.size() == 2);
  CHECK(spec->fields[1].name == "body*");
  auto title = query::resolve_highlight(spec->global, spec->fields[0].options);
  CHECK(title.pre_tag == "<b>");
  CHECK(title.fragment_size == 50);
  CHECK(title.number_of_fragments == 0);
  CHECK(title.type == "plain");
  CHECK_FALSE(title.require_field_match);
  CHECK(title.score_order);
  CHECK(query::resolve_highlight(spec->global, spec->fields[1].options).highlight_query != nullptr);

  auto defaults = query::resolve_highlight({}, {});
  CHECK(defaults.pre_tag == "<em>");
  CHECK(defaults.fragment_size == 100);
  CHECK(defaults.number_of_fragments == 5);
  CHECK(defaults.require_field_match);

  auto styled = query::parse_highlight(R"({"tags_schema":"styled","encoder":"html","fields":{"*":{}}})");
  REQUIRE(styled.is_ok());
  CHECK(query::resolve_highlight(styled->global, {}).pre_tag == "<em class=\"hlt1\">");
  CHECK(query::resolve_highlight(styled->global, {}).html_encode);

  auto error = [](const char* json) {
    auto r = query::parse_highlight(json);
    REQUIRE_FALSE(r.is_ok());
    std::string out = r.status().type();
    out.append(": ").append(r.status().reason());
    return out;
  };
  CHECK(error(R"({"colour":1,"fields":{}})") == "x_content_parse_exception: [highlight] unknown field [colour]");
  CHECK(error(R"({"fields":{"a":{"colour":1}}})") == "x_content_parse_exception: [highlight_field] unknown field [colour]");
  CHECK(error(R"({"pre_tags":["<x>"],"fields":{}})") == "parsing_exception: pre_tags are set but post_tags are not set");
  CHECK(error(R"({"fields":{"a":{"fragment_size":"big"}}})") ==
        "x_content_parse_exception: [highlight_field] failed to parse field [fragment_size]");
  CHECK(error(R"({"fields":[{"a":{},"b":{}}]})").find("[fields] can be a single object") != std::string::npos);
  CHECK(error(R"({"tags_schema":"loud","fields":{}})") ==
        "x_content_parse_exception: [highlight] failed to parse field [tags_schema]");
  CHECK(error(R"({"fields":{"a":{"highlight_query":{"nope":{}}}}})") == "parsing_exception: unknown query [nope]");

  auto in_request = query::parse_search_request(R"({"query":{"match_all":{}},"highlight":{"fields":{"a":{}}}})", false);
  REQUIRE(in_request.is_ok());
  CHECK(in_request->highlight.has_value());
  auto not_object = query::parse_search_request(R"({"highlight":"x"})", false);
  REQUIRE_FALSE(not_object.is_ok());
  CHECK(not_object.status().reason() == "Unknown key for a VALUE_STRING in [highlight].");
}

TEST_CASE("highlight checks refuse what OpenSearch refuses", "[highlight]") {
  const index::Mapping& m = test_mapping();
  const index::ResolvedField& note = *m.find("note");
  query::HighlightDocContext doc{"books", "7", 10};
  query::ResolvedHighlight o;
  CHECK(query::check_highlight(note, o, {"short"}, doc).is_ok());
  auto long_value = query::check_highlight(note, o, {"far longer than ten"}, doc);
  REQUIRE_FALSE(long_value.is_ok());
  CHECK(long_value.type() == "illegal_argument_exception");
  CHECK(long_value.reason().rfind("The length of [note] field of [7] doc of [books] index has exceeded [10]", 0) == 0);
  o.max_analyzer_offset = 10;
  CHECK(query::check_highlight(note, o, {"far longer than ten"}, doc).is_ok());
  o.max_analyzer_offset = 0;
  CHECK(query::check_highlight(note, o, {"x"}, doc).reason() == "the value [0] of max_analyzer_offset is invalid");
  o = {};
  o.type = "magic";
  CHECK(query::check_highlight(note, o, {"x"}, doc).reason() == "unknown highlighter type [magic] for the field [note]");
  o.type = "fvh";
  CHECK(query::check_highlight(note, o, {"x"}, doc).reason().find("term vector with position offsets") != std::string::npos);
  CHECK_FALSE(query::highlightable_by_pattern(note, o));
  o = {};
  o.boundary = query::HighlightBoundary::kChars;
  CHECK(query::check_highlight(note, o, {"x"}, doc).reason() == "Invalid boundary scanner type: chars");
  CHECK_FALSE(query::highlightable_by_pattern(*m.find("count"), {}));
  CHECK(query::highlightable_by_pattern(*m.find("label"), {}));
}
