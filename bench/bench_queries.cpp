#include "bench/bench_queries.h"

#include <fstream>

#include "analyzers/registry.h"

namespace sift::bench {
namespace {

// Java's Character.isWhitespace and String.trim on ASCII; query files are ASCII in practice (a
// Unicode space would be a word character here and a separator in LuceneBench).
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && static_cast<unsigned char>(s[a]) <= ' ') ++a;
  while (b > a && static_cast<unsigned char>(s[b - 1]) <= ' ') --b;
  return std::string(s.substr(a, b - a));
}

// LuceneBench.clauseQuery. The text goes through the index analyzer (standard, no stop words); one
// token is a term query on that token, several (a quoted phrase, or a word such as "foo-bar" that
// the analyzer splits) a phrase with slop 0. The phrase gets the tokens joined by spaces and the
// `whitespace` analyzer, which hands them over unchanged (standard tokens are lower-cased and never
// hold whitespace), rather than analyzing the already analyzed text a second time.
std::unique_ptr<query::Query> clause_query(const std::string& field, const std::string& text,
                                           bool* is_phrase) {
  std::vector<analysis::Token> tokens;
  analysis::AnalyzerRegistry::builtin()->standard().analyze(text, 0, 0, &tokens);
  *is_phrase = tokens.size() > 1;
  if (tokens.empty()) return nullptr;
  if (tokens.size() == 1) {
    auto t = std::make_unique<query::TermQuery>();
    t->field = field;
    t->value.text = std::move(tokens[0].term);
    return t;
  }
  auto p = std::make_unique<query::MatchPhraseQuery>();
  p->field = field;
  p->analyzer = "whitespace";
  for (const auto& tok : tokens) p->text += (p->text.empty() ? "" : " ") + tok.term;
  return p;
}

struct Clause {
  char occur = 0;  // '+', '-' or 0 (should)
  std::string text;
  bool quoted = false;
};

std::vector<Clause> split_clauses(const std::string& s) {
  std::vector<Clause> clauses;
  size_t i = 0;
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
      continue;
    }
    Clause c;
    if (s[i] == '+' || s[i] == '-') c.occur = s[i++];
    if (i < s.size() && s[i] == '"') {
      size_t end = s.find('"', i + 1);
      if (end == std::string::npos) end = s.size();
      c.text = s.substr(i + 1, end - i - 1);
      c.quoted = true;
      i = end + 1;
    } else {
      size_t start = i;
      while (i < s.size() && !is_space(s[i])) ++i;
      c.text = s.substr(start, i - start);
    }
    clauses.push_back(std::move(c));
  }
  return clauses;
}

}  // namespace

BenchQuery parse_bench_query(const std::string& line, const std::string& field) {
  BenchQuery out;
  out.raw = line;
  std::string type;
  if (size_t tab = line.find('\t'); tab != std::string::npos) {
    type = trim(std::string_view(line).substr(0, tab));
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.raw = line.substr(tab + 1);
  }
  std::vector<Clause> clauses = split_clauses(trim(out.raw));
  std::string inferred;
  if (clauses.size() == 1 && clauses[0].occur == 0) {
    bool phrase = false;
    out.query = clause_query(field, clauses[0].text, &phrase);
    inferred = phrase ? "phrase" : "term";
  } else {
    auto bq = std::make_unique<query::BoolQuery>();
    bool all_must = true, any_must = false;
    for (const auto& c : clauses) {
      bool phrase = false;
      auto cq = clause_query(field, c.text, &phrase);
      if (!cq) continue;
      if (c.occur == '+') {
        any_must = true;
        bq->must.push_back(std::move(cq));
      } else {
        all_must = false;
        (c.occur == '-' ? bq->must_not : bq->should).push_back(std::move(cq));
      }
    }
    inferred = all_must ? "intersection" : any_must ? "mixed" : "union";
    // Lucene's BooleanQuery without a MUST or SHOULD clause matches nothing, where OpenSearch's
    // bool (which Sift implements) would match every doc not excluded: keep Lucene's meaning.
    if (bq->must.empty() && bq->should.empty()) out.query = std::make_unique<query::MatchNoneQuery>();
    else out.query = std::move(bq);
  }
  out.type = type.empty() ? inferred : type;
  return out;
}

Result<std::vector<BenchQuery>> read_bench_queries(const std::string& path, const std::string& field) {
  std::ifstream in(path);
  if (!in) return io_error("cannot read " + path);
  std::vector<BenchQuery> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || line.starts_with("#")) continue;
    BenchQuery q = parse_bench_query(line, field);
    if (q.query) out.push_back(std::move(q));
  }
  return out;
}

}  // namespace sift::bench
