// Similarity settings and their binding to a mapping: OpenSearch's defaults, checks and messages.
#include <catch2/catch.hpp>

#include "analyzers/registry.h"
#include "index/mapping.h"
#include "index/similarity.h"

using namespace sift;
using namespace sift::index;

namespace {

using Settings = std::map<std::string, std::string>;

Status parse_error(const Settings& s) {
  auto r = parse_similarity_settings(s);
  REQUIRE_FALSE(r.is_ok());
  return r.status();
}

Mapping mapping_of(const char* json) {
  auto m = parse_mapping(json);
  REQUIRE(m.is_ok());
  return std::move(m).value();
}

}  // namespace

TEST_CASE("similarity settings: types, parameters and defaults", "[similarity]") {
  auto none = parse_similarity_settings({{"index.number_of_shards", "1"}});
  REQUIRE(none.is_ok());
  CHECK(none->named.empty());
  CHECK(none->default_similarity == Similarity{});
  CHECK(none->default_similarity.k1 == 1.2f);
  CHECK(none->default_similarity.b == 0.75f);

  auto s = parse_similarity_settings({{"index.similarity.a.type", "BM25"},
                                      {"index.similarity.a.k1", "0.9"},
                                      {"index.similarity.a.b", "0.4"},
                                      {"index.similarity.a.discount_overlaps", "false"},
                                      {"index.similarity.l.type", "LegacyBM25"},
                                      {"index.similarity.l.k1", " 2f "},
                                      {"index.similarity.f.type", "boolean"}});
  REQUIRE(s.is_ok());
  REQUIRE(s->named.size() == 3);
  CHECK(s->named["a"].kind == SimilarityKind::kBM25);
  CHECK(s->named["a"].k1 == 0.9f);
  CHECK(s->named["a"].b == 0.4f);
  CHECK_FALSE(s->named["a"].discount_overlaps);
  CHECK(s->named["l"].kind == SimilarityKind::kLegacyBM25);
  CHECK(s->named["l"].k1 == 2.0f);  // Java's Float.parseFloat: blanks and an f suffix
  CHECK(s->named["l"].b == 0.75f);
  CHECK(s->named["f"].kind == SimilarityKind::kBoolean);
  CHECK(s->default_similarity == Similarity{});

  auto d = parse_similarity_settings({{"index.similarity.default.type", "LegacyBM25"}});
  REQUIRE(d.is_ok());
  CHECK(d->default_similarity.kind == SimilarityKind::kLegacyBM25);
}

TEST_CASE("similarity settings: OpenSearch's errors", "[similarity]") {
  auto reason = [](const Settings& s) { return parse_error(s).reason(); };
  CHECK(parse_error({{"index.similarity.x.k1", "1"}}).type() == "illegal_argument_exception");
  CHECK(reason({{"index.similarity.x.k1", "1"}}) == "Similarity [x] must have an associated type");
  CHECK(reason({{"index.similarity.x.type", "bm25"}}) == "Unknown Similarity type [bm25] for [x]");
  CHECK(reason({{"index.similarity.BM25.type", "boolean"}}) == "Cannot redefine built-in Similarity [BM25]");
  CHECK(reason({{"index.similarity.boolean.type", "BM25"}}) == "Cannot redefine built-in Similarity [boolean]");
  CHECK(reason({{"index.similarity.x.type", "BM25"}, {"index.similarity.x.k2", "1"}, {"index.similarity.x.a", "1"}}) ==
        "Unknown settings for similarity of type [BM25]: [a, k2]");
  CHECK(reason({{"index.similarity.x.type", "boolean"}, {"index.similarity.x.k1", "1"}}) ==
        "Unknown settings for similarity of type [boolean]: [k1]");
  CHECK(reason({{"index.similarity.x.type", "BM25"}, {"index.similarity.x.k1", "-1"}}) ==
        "illegal k1 value: -1.0, must be a non-negative finite value");
  CHECK(reason({{"index.similarity.x.type", "LegacyBM25"}, {"index.similarity.x.k1", "Infinity"}}) ==
        "illegal k1 value: Infinity, must be a non-negative finite value");
  CHECK(reason({{"index.similarity.x.type", "BM25"}, {"index.similarity.x.b", "1.5"}}) ==
        "illegal b value: 1.5, must be between 0 and 1");
  CHECK(reason({{"index.similarity.x.type", "BM25"}, {"index.similarity.x.b", "abc"}}) ==
        "Failed to parse float setting [b] with value [abc]");
  CHECK(reason({{"index.similarity.x.type", "BM25"}, {"index.similarity.x.k1", "inf"}}) ==
        "Failed to parse float setting [k1] with value [inf]");
  CHECK(reason({{"index.similarity.x.type", "BM25"}, {"index.similarity.x.discount_overlaps", "yes"}}) ==
        "Failed to parse value [yes] as only [true] or [false] are allowed.");
  CHECK(reason({{"index.similarity.x.type", "classic"}}).find("The [classic] similarity may not be used") == 0);
  CHECK(reason({{"index.similarity.x.type", "DFR"}}).find("Similarity type [DFR] of [x] is not supported") == 0);
  CHECK(reason({{"index.similarity.x", "BM25"}}).find("because of a missing '.'") != std::string::npos);
  // Edge values Lucene accepts.
  auto edge = parse_similarity_settings({{"index.similarity.x.type", "BM25"},
                                         {"index.similarity.x.k1", "0"},
                                         {"index.similarity.x.b", "1"}});
  CHECK(edge.is_ok());
}

TEST_CASE("binding similarities to a mapping", "[similarity]") {
  Mapping m = mapping_of(R"({"properties":{"t":{"type":"text","similarity":"mine",)"
                         R"("fields":{"raw":{"type":"keyword","similarity":"boolean"}}},)"
                         R"("u":{"type":"text"},"o":{"properties":{"deep":{"type":"text","similarity":"BM25"}}}}})");
  // Not bound yet: everything scores with the default.
  CHECK(m.find("t")->similarity == Similarity{});
  Status unknown = bind_similarities({}, &m);
  CHECK(unknown.type() == "mapper_parsing_exception");
  CHECK(unknown.reason() == "Unknown Similarity type [mine] for field [t]");
  CHECK(m.find("t")->similarity == Similarity{});  // unchanged

  REQUIRE(bind_similarities({{"index.similarity.mine.type", "LegacyBM25"},
                             {"index.similarity.mine.b", "0.5"},
                             {"index.similarity.default.type", "boolean"}},
                            &m)
              .is_ok());
  CHECK(m.find("t")->similarity.kind == SimilarityKind::kLegacyBM25);
  CHECK(m.find("t")->similarity.b == 0.5f);
  CHECK(m.find("t.raw")->similarity.kind == SimilarityKind::kBoolean);
  CHECK(m.find("u")->similarity.kind == SimilarityKind::kBoolean);  // the index default
  CHECK(m.find("o.deep")->similarity == Similarity{});               // BM25 named explicitly
  CHECK(m.similarity("nope").kind == SimilarityKind::kBoolean);

  // Copies and merges keep the binding; the mapping renders the name back.
  Mapping copy(m);
  CHECK(copy.find("t")->similarity.kind == SimilarityKind::kLegacyBM25);
  auto merged = merge_mappings(m, mapping_of(R"({"properties":{"v":{"type":"text"}}})"));
  REQUIRE(merged.is_ok());
  CHECK(merged->find("v")->similarity.kind == SimilarityKind::kBoolean);
  CHECK(mapping_to_json(m).find(R"("similarity":"mine")") != std::string::npos);

  // A field's similarity cannot change.
  auto changed = merge_mappings(m, mapping_of(R"({"properties":{"u":{"type":"text","similarity":"boolean"}}})"));
  REQUIRE_FALSE(changed.is_ok());
  CHECK(changed.status().reason() ==
        "Mapper for [u] conflicts with existing mapper:\n\tCannot update parameter [similarity] from [null] to [boolean]");

  Mapping multi = mapping_of(R"({"properties":{"k":{"type":"keyword","fields":{"x":{"type":"text","similarity":"zz"}}}}})");
  CHECK(bind_similarities({}, &multi).reason() == "Unknown Similarity type [zz] for field [x]");
  Mapping classic = mapping_of(R"({"properties":{"c":{"type":"text","similarity":"classic"}}})");
  CHECK(bind_similarities({}, &classic).type() == "illegal_argument_exception");
  CHECK_FALSE(parse_mapping(R"({"properties":{"n":{"type":"long","similarity":"BM25"}}})").is_ok());
}

TEST_CASE("bind_index_settings builds the index's analyzers, and a changed mapping keeps them") {
  const std::map<std::string, std::string> settings = {{"index.analysis.analyzer.mine.tokenizer", "whitespace"}};
  Mapping first = parse_mapping(R"({"properties":{"a":{"type":"text","analyzer":"mine"}}})").value();
  REQUIRE(bind_index_settings(settings, &first).is_ok());
  REQUIRE(first.bound_analyzers() != nullptr);
  CHECK(first.find("a")->index_analyzer == first.analyzers().get("mine"));
  Mapping second = parse_mapping(R"({"properties":{"b":{"type":"text","analyzer":"mine"}}})").value();
  REQUIRE(bind_index_settings(settings, &second, &first).is_ok());
  CHECK(second.bound_analyzers() == first.bound_analyzers());  // not built again
  // Names must resolve, whichever registry binds them.
  Mapping bad = parse_mapping(R"({"properties":{"c":{"type":"text","analyzer":"other"}}})").value();
  Status st = bind_index_settings(settings, &bad, &first);
  CHECK(st.reason() == "analyzer [other] has not been configured in mappings");
  CHECK(st.type() == "mapper_parsing_exception");
}
