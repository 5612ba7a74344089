// Query tree -> highlighting clauses, the terms Lucene's unified highlighter would extract: every
// clause but must_not ones, with match-style text analyzed as the search analyzed it.
#include <cctype>

#include "analyzers/registry.h"
#include "query/function_score.h"
#include "query/fuzzy_queries.h"
#include "query/highlight.h"
#include "query/query_string.h"
#include "query/segment_evaluator.h"
#include "query/simple_query_string.h"
#include "query/text_query_builder.h"

namespace sift::query {
namespace {

using index::FieldType;
using index::ResolvedField;

bool is_string_field(const ResolvedField& f) { return f.type == FieldType::kText || f.type == FieldType::kKeyword; }

std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A keyword field's value as indexed (its normalizer applied).
std::string keyword_term(const ResolvedField& f, std::string v) {
  return f.type == FieldType::kKeyword && f.normalizer != nullptr ? f.normalizer->normalize(v) : v;
}


class ClauseCollector {
 public:
  explicit ClauseCollector(const index::Mapping& mapping) : mapping_(mapping) {}

  void collect(const Query& q, int depth) {
    if (depth > 200) return;
    switch (q.kind) {
      case Query::Kind::kTerm: {
        const auto& t = static_cast<const TermQuery&>(q);
        add_exact(t.field, {t.value.text}, t.case_insensitive);
        break;
      }
      case Query::Kind::kTerms: {
        const auto& t = static_cast<const TermsQuery&>(q);
        std::vector<std::string> values;
        for (const auto& v : t.values) values.push_back(v.text);
        add_exact(t.field, std::move(values), false);
        break;
      }
      case Query::Kind::kMatch: {
        const auto& m = static_cast<const MatchQuery&>(q);
        if (collect_rewritten(q, depth)) break;  // synonyms, graphs
        add_match(m.field, m.value.text, m.analyzer, false, m.fuzzy.fuzziness.empty() ? nullptr : &m.fuzzy);
        break;
      }
      case Query::Kind::kFuzzy: {
        const auto& f = static_cast<const FuzzyQuery&>(q);
        add_automaton(f.field, [&](const ResolvedField& rf) {
          return fuzzy_term_predicate(keyword_term(rf, f.value.text), f.options);
        });
        break;
      }
      case Query::Kind::kRegexp: {
        const auto& r = static_cast<const RegexpQuery&>(q);
        add_automaton(r.field, [&](const ResolvedField& rf) {
          RegexpQuery normalized = r;
          normalized.value = keyword_term(rf, r.value);
          return regexp_term_predicate(normalized);
        });
        break;
      }
      case Query::Kind::kMatchPhrase: {
        const auto& p = static_cast<const MatchPhraseQuery&>(q);
        if (collect_rewritten(q, depth)) break;  // synonyms, graphs
        add_phrase(p.field, p.text, p.analyzer, p.slop, p.prefix);
        break;
      }
      case Query::Kind::kMultiMatch:
        collect_multi_match(static_cast<const MultiMatchQuery&>(q));
        break;
      case Query::Kind::kQueryString: {
        auto bound = bind_query_string(static_cast<const QueryStringQuery&>(q), mapping_, "*");
        if (bound.is_ok() && *bound) collect(**bound, depth + 1);
        break;
      }
      case Query::Kind::kSimpleQueryString: {
        auto bound = bind_simple_query_string(static_cast<const SimpleQueryStringQuery&>(q), mapping_, "*");
        if (bound.is_ok() && *bound) collect(**bound, depth + 1);
        break;
      }
      case Query::Kind::kBlendedTerm:
        for (const auto& e : static_cast<const BlendedTermQuery&>(q).entries) add_exact(e.field, {e.term}, false);
        break;
      case Query::Kind::kPrefix: {
        const auto& p = static_cast<const PrefixQuery&>(q);
        HighlightClause c;
        c.kind = HighlightClause::Kind::kPrefix;
        c.field = p.field;
        c.pattern = p.value;
        c.case_insensitive = p.case_insensitive;
        add_pattern(std::move(c));
        break;
      }
      case Query::Kind::kWildcard: {
        const auto& w = static_cast<const WildcardQuery&>(q);
        HighlightClause c;
        c.kind = HighlightClause::Kind::kWildcard;
        c.field = w.field;
        c.pattern = w.pattern;
        c.case_insensitive = w.case_insensitive;
        add_pattern(std::move(c));
        break;
      }
      case Query::Kind::kRange:
        add_range(static_cast<const RangeQuery&>(q));
        break;
      case Query::Kind::kBool: {
        const auto& b = static_cast<const BoolQuery&>(q);
        for (const auto* list : {&b.must, &b.filter, &b.should}) {
          for (const auto& sub : *list) collect(*sub, depth + 1);
        }
        break;
      }
      case Query::Kind::kConstantScore: {
        const auto& c = static_cast<const ConstantScoreQuery&>(q);
        if (c.filter) collect(*c.filter, depth + 1);
        break;
      }
      case Query::Kind::kFunctionScore:  // the query, not the function filters (as Lucene's visit)
        collect(*static_cast<const FunctionScoreQuery&>(q).query, depth + 1);
        break;
      case Query::Kind::kBoosting:
        collect(*static_cast<const BoostingQuery&>(q).positive, depth + 1);
        break;
      case Query::Kind::kNested:  // the nested values are in the root's _source
        collect(*static_cast<const NestedQuery&>(q).query, depth + 1);
        break;
      case Query::Kind::kDisMax:
        for (const auto& sub : static_cast<const DisMaxQuery&>(q).queries) collect(*sub, depth + 1);
        break;
      case Query::Kind::kSynonym: {
        const auto& syn = static_cast<const SynonymQuery&>(q);
        add_exact(syn.field, syn.terms, false);
        break;
      }
      case Query::Kind::kMultiPhrase: {
        const auto& mp = static_cast<const MultiPhraseQuery&>(q);
        add_phrase_form(mp.field, {mp.terms, mp.positions, 0}, mp.slop);
        break;
      }
      case Query::Kind::kSpan: {  // each way through the spans as a phrase, as strict phrase highlighting
        const auto& sp = static_cast<const SpanQuery&>(q);
        for (const auto& form : span_forms(sp)) add_phrase_form(sp.field, form, 0);
        break;
      }
      default:
        break;  // match_all, match_none, ids, exists: nothing to mark
    }
  }

  std::vector<HighlightClause> take() { return std::move(out_); }

 private:
  // A match / match_phrase whose analysis stacks tokens or makes a graph: its bound form's clauses.
  bool collect_rewritten(const Query& q, int depth) {
    auto rewritten = rewrite_text_query(q, mapping_);
    if (!rewritten.is_ok() || !*rewritten) return false;
    collect(**rewritten, depth + 1);
    return true;
  }

  // One way through a span tree: alternatives per slot at relative positions, and its length.
  struct PhraseForm {
    std::vector<std::vector<std::string>> slots;
    std::vector<uint32_t> positions;
    uint32_t length = 0;
  };
  static constexpr size_t kMaxForms = 256;

  static std::vector<PhraseForm> span_forms(const SpanQuery& q) {
    std::vector<PhraseForm> out;
    switch (q.type) {
      case SpanQuery::Type::kTerm:
        out.push_back({std::vector<std::vector<std::string>>{{q.term}}, {0}, 1});
        break;
      case SpanQuery::Type::kGap:
        out.push_back({{}, {}, q.gap});
        break;
      case SpanQuery::Type::kOr: {
        PhraseForm single;  // one-term alternatives share a slot
        single.slots.resize(1);
        single.positions = {0};
        single.length = 1;
        for (const auto& c : q.clauses) {
          for (auto& f : span_forms(*c)) {
            if (f.slots.size() == 1 && f.length == 1) {
              single.slots[0].insert(single.slots[0].end(), f.slots[0].begin(), f.slots[0].end());
            } else if (out.size() < kMaxForms) {
              out.push_back(std::move(f));
            }
          }
        }
        if (!single.slots[0].empty()) out.push_back(std::move(single));
        break;
      }
      case SpanQuery::Type::kNear: {
        out.push_back({});
        for (const auto& c : q.clauses) {
          std::vector<PhraseForm> next;
          for (const auto& prefix : out) {
            for (const auto& f : span_forms(*c)) {
              if (next.size() >= kMaxForms) break;
              PhraseForm joined = prefix;
              for (size_t i = 0; i < f.slots.size(); ++i) {
                joined.slots.push_back(f.slots[i]);
                joined.positions.push_back(prefix.length + f.positions[i]);
              }
              joined.length = prefix.length + f.length;
              next.push_back(std::move(joined));
            }
          }
          out = std::move(next);
        }
        break;
      }
    }
    return out;
  }

  void add_phrase_form(const std::string& field, const PhraseForm& form, int32_t slop) {
    if (form.slots.empty()) return;
    if (form.slots.size() == 1) {
      add_exact(field, form.slots[0], false);
      return;
    }
    HighlightClause c;
    c.kind = HighlightClause::Kind::kPhrase;
    c.field = field;
    c.slop = slop;
    c.alternatives = form.slots;
    for (uint32_t p : form.positions) c.positions.push_back(p - form.positions[0]);
    out_.push_back(std::move(c));
  }

  // Terms compared with the indexed form: a keyword's normalizer applies, text terms are as given.
  void add_exact(const std::string& field, std::vector<std::string> values, bool case_insensitive) {
    const ResolvedField* rf = mapping_.find(field);
    if (rf != nullptr && !is_string_field(*rf)) return;
    HighlightClause c;
    c.field = field;
    c.case_insensitive = case_insensitive;
    for (auto& v : values) c.terms.push_back(rf != nullptr ? keyword_term(*rf, std::move(v)) : std::move(v));
    if (case_insensitive) {
      for (auto& t : c.terms) t = lower_ascii(t);
    }
    out_.push_back(std::move(c));
  }

  // The tokens of `text` as the search analyzed them; keyword fields take the whole value.
  bool analyze(const ResolvedField& rf, const std::string& text, const std::string& analyzer,
               std::vector<analysis::Token>* tokens) {
    if (rf.type == FieldType::kKeyword) {
      analysis::Token t;
      t.term = keyword_term(rf, text);
      tokens->push_back(std::move(t));
      return true;
    }
    const analysis::Analyzer* a = analyzer.empty() || rf.analyzers == nullptr ? rf.search_analyzer
                                                                             : rf.analyzers->get(analyzer);
    if (a == nullptr) return false;
    a->analyze(text, 0, 0, tokens);
    return true;
  }

  // Fuzzy and regexp clauses mark every token their automaton accepts (Lucene's unified
  // highlighter runs the query's automaton over the tokens, without the max_expansions cut).
  void add_automaton(const std::string& field,
                     const std::function<Result<TermPredicate>(const ResolvedField&)>& make) {
    const ResolvedField* rf = mapping_.find(field);
    if (rf == nullptr || !is_string_field(*rf)) return;
    auto accepts = make(*rf);
    if (!accepts.is_ok()) return;
    HighlightClause c;
    c.kind = HighlightClause::Kind::kAutomaton;
    c.field = rf->path;
    c.accepts = std::move(accepts).value();
    out_.push_back(std::move(c));
  }

  void add_match(const std::string& field, const std::string& text, const std::string& analyzer, bool last_prefix,
                 const FuzzyOptions* fuzzy = nullptr) {
    const ResolvedField* rf = mapping_.find(field);
    if (rf == nullptr || !is_string_field(*rf)) return;
    std::vector<analysis::Token> tokens;
    if (!analyze(*rf, text, analyzer, &tokens) || tokens.empty()) return;
    HighlightClause c;
    c.field = rf->path;
    for (auto& t : tokens) c.terms.push_back(std::move(t.term));
    if (fuzzy != nullptr) {  // each term as a fuzzy query
      for (size_t i = 0; i + (last_prefix ? 1 : 0) < c.terms.size(); ++i) {
        add_automaton(field, [&](const ResolvedField&) { return fuzzy_term_predicate(c.terms[i], *fuzzy); });
      }
      if (!last_prefix) return;
      c.terms.erase(c.terms.begin(), c.terms.end() - 1);
    }
    if (last_prefix) {
      HighlightClause p;
      p.kind = HighlightClause::Kind::kPrefix;
      p.field = rf->path;
      p.pattern = c.terms.back();
      c.terms.pop_back();
      out_.push_back(std::move(p));
      if (c.terms.empty()) return;
    }
    out_.push_back(std::move(c));
  }

  void add_phrase(const std::string& field, const std::string& text, const std::string& analyzer, int32_t slop,
                  bool prefix) {
    const ResolvedField* rf = mapping_.find(field);
    if (rf == nullptr || !is_string_field(*rf)) return;
    std::vector<analysis::Token> tokens;
    if (!analyze(*rf, text, analyzer, &tokens) || tokens.empty()) return;
    if (tokens.size() == 1) {
      HighlightClause c;
      c.field = rf->path;
      if (prefix) {
        c.kind = HighlightClause::Kind::kPrefix;
        c.pattern = std::move(tokens[0].term);
      } else {
        c.terms.push_back(std::move(tokens[0].term));
      }
      out_.push_back(std::move(c));
      return;
    }
    HighlightClause c;
    c.kind = HighlightClause::Kind::kPhrase;
    c.field = rf->path;
    c.slop = slop;
    c.last_is_prefix = prefix;
    for (auto& t : tokens) {
      c.positions.push_back(t.position - tokens[0].position);
      c.terms.push_back(std::move(t.term));
    }
    out_.push_back(std::move(c));
  }

  void collect_multi_match(const MultiMatchQuery& q) {
    for (const auto& [pattern, boost] : q.fields) {
      std::vector<std::string> fields;
      if (pattern.find('*') == std::string::npos) {
        fields.push_back(pattern);
      } else {
        for (const auto& leaf : mapping_.leaves()) {
          if (pattern == "*" ? is_string_field(leaf) : wildcard_matches(pattern, leaf.path)) fields.push_back(leaf.path);
        }
      }
      for (const auto& f : fields) {
        if (q.type != MultiMatchQuery::Type::kBoolPrefix && q.fuzzy.fuzziness.empty()) {  // synonyms, graphs
          MatchQuery m;
          MatchPhraseQuery p;
          m.field = p.field = f;
          m.value.text = p.text = q.text;
          m.analyzer = p.analyzer = q.analyzer;
          p.slop = q.slop;
          p.prefix = q.type == MultiMatchQuery::Type::kPhrasePrefix;
          bool phrase = q.type == MultiMatchQuery::Type::kPhrase || q.type == MultiMatchQuery::Type::kPhrasePrefix;
          if (collect_rewritten(phrase ? static_cast<const Query&>(p) : m, 1)) continue;
        }
        switch (q.type) {
          case MultiMatchQuery::Type::kPhrase:
          case MultiMatchQuery::Type::kPhrasePrefix:
            add_phrase(f, q.text, q.analyzer, q.slop, q.type == MultiMatchQuery::Type::kPhrasePrefix);
            break;
          case MultiMatchQuery::Type::kBoolPrefix:
            add_match(f, q.text, q.analyzer, true);
            break;
          default:
            add_match(f, q.text, q.analyzer, false, q.fuzzy.fuzziness.empty() ? nullptr : &q.fuzzy);
        }
      }
    }
  }

  void add_pattern(HighlightClause c) {
    const ResolvedField* rf = mapping_.find(c.field);
    if (rf != nullptr && !is_string_field(*rf)) return;
    if (c.case_insensitive) {
      c.pattern = lower_ascii(c.pattern);
    } else if (rf != nullptr) {
      c.pattern = keyword_term(*rf, std::move(c.pattern));
    }
    out_.push_back(std::move(c));
  }

  void add_range(const RangeQuery& r) {
    const ResolvedField* rf = mapping_.find(r.field);
    if (rf == nullptr || !is_string_field(*rf)) return;  // numeric and date ranges mark nothing
    HighlightClause c;
    c.kind = HighlightClause::Kind::kRange;
    c.field = rf->path;
    if (r.gte) c.lower = r.gte->text;
    else if (r.gt) c.lower = r.gt->text, c.include_lower = false;
    if (r.lte) c.upper = r.lte->text;
    else if (r.lt) c.upper = r.lt->text, c.include_upper = false;
    out_.push_back(std::move(c));
  }

  const index::Mapping& mapping_;
  std::vector<HighlightClause> out_;
};

}  // namespace

std::vector<HighlightClause> collect_highlight_clauses(const Query* query, const index::Mapping& mapping) {
  if (query == nullptr) return {};
  ClauseCollector c(mapping);
  c.collect(*query, 0);
  return c.take();
}

}  // namespace sift::query
