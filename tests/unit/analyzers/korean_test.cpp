#include <catch2/catch.hpp>

#include "analyzers/registry.h"
#include "tests/unit/analyzers/analysis_test_util.h"

using namespace sift::analysis;
using sift::analysis::testing::run;
using sift::analysis::testing::terms;

namespace {

const Analyzer& korean() {
  const Analyzer* a = AnalyzerRegistry::builtin()->get("korean");
  REQUIRE(a != nullptr);
  return *a;
}

// The korean analyzer's terms of one word.
std::string stem(std::string_view word) {
  auto t = terms(run(korean(), word));
  REQUIRE(t.size() == 1);
  return t[0];
}

}  // namespace

TEST_CASE("korean: a noun with any common particle analyzes to the noun", "[korean]") {
  for (const char* w : {"데이터를", "데이터는", "데이터가", "데이터", "데이터와", "데이터로", "데이터에", "데이터에서", "데이터의",
                        "데이터도", "데이터만", "데이터까지", "데이터부터", "데이터에게", "데이터한테", "데이터에서는",
                        "데이터로는", "데이터처럼", "데이터보다", "데이터입니다", "데이터였다"}) {
    INFO(w);
    CHECK(stem(w) == "데이터");
  }
  // After a consonant: 은/이/을/과/으로.
  for (const char* w : {"학생은", "학생이", "학생을", "학생과", "학생으로", "학생에게", "학생들이", "학생들은", "학생들", "학생이다"}) {
    INFO(w);
    CHECK(stem(w) == "학생");
  }
  // 로 after ㄹ.
  CHECK(stem("서울로") == "서울");
  CHECK(stem("서울에서") == "서울");
}

TEST_CASE("korean: particles follow the sound of the syllable before them", "[korean]") {
  // 이/을/과 need a final consonant: 사이, 마을, 사과 end in a vowel and stay whole.
  CHECK(stem("사이") == "사이");
  CHECK(stem("나이") == "나이");
  CHECK(stem("마을") == "마을");
  CHECK(stem("사과") == "사과");
  // 가/를/와 need a vowel: 국가 (국 ends in ㄱ) stays whole.
  CHECK(stem("국가") == "국가");
  CHECK(stem("평가") == "평가");
  // 로 needs a vowel or ㄹ: 경로 stays whole.
  CHECK(stem("경로") == "경로");
}

TEST_CASE("korean: words that merely end in a particle-like syllable", "[korean]") {
  // Single-syllable 의/도/만 are stripped only when two characters remain.
  CHECK(stem("회의") == "회의");
  CHECK(stem("정도") == "정도");
  CHECK(stem("불만") == "불만");
  CHECK(stem("나의") == "나의");  // the documented cost: a one-syllable noun keeps 의/도/만
  CHECK(stem("서울의") == "서울");
  // The protected list: common words a rule would otherwise cut.
  CHECK(stem("민주주의") == "민주주의");
  CHECK(stem("결과") == "결과");
  CHECK(stem("결과를") == "결과");
  CHECK(stem("도로") == "도로");
  CHECK(stem("바다") == "바다");
  CHECK(stem("바다에") == "바다");
  CHECK(stem("캐나다는") == "캐나다");
  CHECK(stem("휴가") == "휴가");
  CHECK(stem("고양이") == "고양이");
  CHECK(stem("고양이가") == "고양이");
  CHECK(stem("온도가") == "온도");
  CHECK(stem("전문가") == "전문가");
  // Protection covers only a protected word the token begins with: 경제의 is not 경 + 제의, 영화가
  // not 영 + 화가, 환경과 not 환 + 경과; 결과는 keeps 결과 (not 결 + 과는).
  CHECK(stem("경제의") == "경제");
  CHECK(stem("문제의") == "문제");
  CHECK(stem("영화가") == "영화");
  CHECK(stem("문화가") == "문화");
  CHECK(stem("환경과") == "환경");
  CHECK(stem("결과는") == "결과");
  CHECK(stem("민주주의를") == "민주주의");
  // Non-Hangul and particle-free words are untouched.
  CHECK(stem("시스템") == "시스템");
  CHECK(stem("컴퓨터") == "컴퓨터");
}

TEST_CASE("korean: predicate endings and 하다/되다 verbs", "[korean]") {
  for (const char* w : {"분석하다", "분석한다", "분석했다", "분석합니다", "분석했습니다", "분석하는", "분석한", "분석하여",
                        "분석해서", "분석해요", "분석하기", "분석되었다", "분석됐다", "분석된", "분석되는"}) {
    INFO(w);
    CHECK(stem(w) == "분석");
  }
  CHECK(stem("회복되면서") == "회복");
  CHECK(stem("연락하세요") == "연락");
  CHECK(stem("있을까요") == "있");
  CHECK(stem("먹었다") == "먹");
  CHECK(stem("먹는다") == "먹");
  CHECK(stem("먹습니다") == "먹");
  CHECK(stem("먹어요") == "먹");
  CHECK(stem("갔다") == "가");
  CHECK(stem("갑니다") == "가");
  CHECK(stem("봤다") == "보");
  CHECK(stem("있습니다") == "있");
  CHECK(stem("있다") == "있");
  // A single syllable before 하 is not taken for a noun: 이하, 지하, 올해 stay whole.
  CHECK(stem("이하") == "이하");
  CHECK(stem("지하") == "지하");
  CHECK(stem("이해") == "이해");
}

TEST_CASE("korean: mixed scripts, numbers, offsets and positions", "[korean]") {
  auto tokens = run(korean(), "API를 호출하고 2024년에 데이터를 저장했다.");
  REQUIRE(tokens.size() == 6);
  // 2024년에 is one standard token; the filter splits it where digits meet Hangul.
  CHECK(terms(tokens) == std::vector<std::string>{"api", "호출", "2024", "년", "데이터", "저장"});
  CHECK(tokens[2].start_offset == 10);
  CHECK(tokens[2].end_offset == 14);
  CHECK(tokens[3].start_offset == 14);
  CHECK(tokens[3].end_offset == 15);
  // "API를": the stem keeps its start, the end drops the particle (UTF-16 units).
  CHECK(tokens[0].start_offset == 0);
  CHECK(tokens[0].end_offset == 3);
  CHECK(tokens[1].start_offset == 5);  // 호출하고
  CHECK(tokens[1].end_offset == 7);
  CHECK(tokens[4].start_offset == 17);  // 데이터를
  CHECK(tokens[4].end_offset == 20);
  CHECK(tokens[5].start_offset == 22);  // 저장했다
  CHECK(tokens[5].end_offset == 24);
  for (size_t i = 0; i < tokens.size(); ++i) CHECK(tokens[i].position == i);  // later tokens move up

  // The split shifts the positions after it, and the end position.
  TokenStream st;
  korean().analyze_stream("2024년에 서울", &st);
  REQUIRE(st.tokens.size() == 3);
  CHECK(st.tokens[2].term == "서울");
  CHECK(st.tokens[2].position == 2);
  CHECK(st.end_position == 3);

  // A supplementary character before Hangul: offsets count UTF-16 units.
  auto t2 = run(korean(), "𝐀 데이터는");
  REQUIRE(t2.size() == 2);
  CHECK(t2[1].term == "데이터");
  CHECK(t2[1].start_offset == 3);
  CHECK(t2[1].end_offset == 6);
  CHECK(t2[1].position == 1);
}

TEST_CASE("korean: stop words leave their positions unused; stopwords replaces the list", "[korean]") {
  auto tokens = run(korean(), "학생 및 교사는");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].term == "학생");
  CHECK(tokens[1].term == "교사");
  CHECK(tokens[1].position == 2);
  // 그는 (he + topic) keeps 그: stop words apply before particles are stripped.
  CHECK(terms(run(korean(), "그는")) == std::vector<std::string>{"그"});

  auto r = AnalyzerRegistry::from_settings({{"index.analysis.analyzer.ko.type", "korean"},
                                            {"index.analysis.analyzer.ko.stopwords", "_none_"}});
  REQUIRE(r.is_ok());
  const Analyzer* ko = (*r)->get("ko");
  REQUIRE(ko != nullptr);
  CHECK(terms(run(*ko, "학생 및 교사는")) == std::vector<std::string>{"학생", "및", "교사"});
}

TEST_CASE("korean_particles is a token filter of custom analyzers", "[korean]") {
  auto r = AnalyzerRegistry::from_settings({{"index.analysis.analyzer.my.tokenizer", "whitespace"},
                                            {"index.analysis.analyzer.my.filter.0", "korean_particles"}});
  REQUIRE(r.is_ok());
  const Analyzer* a = (*r)->get("my");
  REQUIRE(a != nullptr);
  auto tokens = run(*a, "데이터를 Data를 회의");
  CHECK(terms(tokens) == std::vector<std::string>{"데이터", "Data", "회의"});
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[1].start_offset == 5);
  CHECK(tokens[1].end_offset == 9);
  CHECK(tokens[2].position == 2);
}

TEST_CASE("korean_particles leaves keyword-marked tokens alone", "[korean]") {
  auto r = AnalyzerRegistry::from_settings({{"index.analysis.analyzer.my.tokenizer", "standard"},
                                            {"index.analysis.analyzer.my.filter.0", "lowercase"},
                                            {"index.analysis.analyzer.my.filter.1", "protect"},
                                            {"index.analysis.analyzer.my.filter.2", "korean_particles"},
                                            {"index.analysis.filter.protect.type", "keyword_marker"},
                                            {"index.analysis.filter.protect.keywords.0", "여가"}});
  REQUIRE(r.is_ok());
  const Analyzer* a = (*r)->get("my");
  REQUIRE(a != nullptr);
  CHECK(terms(run(*a, "여가 문과")) == std::vector<std::string>{"여가", "문"});
}
