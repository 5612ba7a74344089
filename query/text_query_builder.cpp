// Queries from stacked tokens and token graphs, as Lucene 8.7's QueryBuilder and OpenSearch 2.x's
// MatchQuery build them (see text_query_builder.h):
//   match, one position:            SynonymQuery of its terms
//   match, several positions:       per position a term or a SynonymQuery, joined by the operator
//   match, graph:                   split at the graph's articulation points; a segment with side
//                                   paths is a SHOULD of its paths (phrases, or MUST conjunctions
//                                   without auto_generate_synonyms_phrase_query), others a term or
//                                   a SynonymQuery; segments joined by the operator
//   match_phrase, stacked:          MultiPhraseQuery (one position: SynonymQuery)
//   match_phrase, graph, slop 0:    ordered SpanNear of per-segment SpanOr / SpanTerm
//   match_phrase, graph, slop > 0:  SHOULD of one phrase per path of the graph
#include "query/text_query_builder.h"

#include <algorithm>
#include <map>

#include "query/searcher.h"

namespace sift::query {
namespace {

using index::FieldType;
using index::ResolvedField;

constexpr size_t kMaxClauseCount = 1024;  // indices.query.bool.max_clause_count

Status too_many_clauses() {
  return Status(Code::kInvalidArgument, "too_many_clauses",
                "maxClauseCount is set to " + std::to_string(kMaxClauseCount));
}

// Position increments as Lucene's stream carries them (the first from position -1).
std::vector<uint32_t> increments(const QueryTokens& tokens) {
  std::vector<uint32_t> out;
  int64_t prev = -1;
  for (const auto& t : tokens) {
    out.push_back(static_cast<uint32_t>(std::max<int64_t>(0, static_cast<int64_t>(t.position) - prev)));
    prev = std::max<int64_t>(prev, t.position);
  }
  return out;
}

std::unique_ptr<Query> term_query(const TextQueryOptions& o, const std::string& term) {
  auto t = std::make_unique<TermQuery>();
  t->field = o.field;
  t->value.text = term;
  t->boost = o.boost;
  return t;
}

// Terms at one position: a term query, or a SynonymQuery (terms sorted, as Lucene's builder does).
std::unique_ptr<Query> position_query(const TextQueryOptions& o, std::vector<std::string> terms) {
  if (terms.size() == 1) return term_query(o, terms[0]);
  auto s = std::make_unique<SynonymQuery>();
  s->field = o.field;
  std::sort(terms.begin(), terms.end());
  s->terms = std::move(terms);
  s->boost = o.boost;
  return s;
}

// A phrase of single terms at relative positions (PhraseQuery; one term: a TermQuery).
std::unique_ptr<Query> phrase_query(const TextQueryOptions& o, const std::vector<std::string>& terms,
                                    const std::vector<uint32_t>& positions, int32_t slop) {
  if (terms.size() == 1) return term_query(o, terms[0]);
  auto p = std::make_unique<MultiPhraseQuery>();
  p->field = o.field;
  for (size_t i = 0; i < terms.size(); ++i) {
    p->terms.push_back({terms[i]});
    p->positions.push_back(positions[i] - positions[0]);
  }
  p->slop = slop;
  p->boost = o.boost;
  return p;
}

// BooleanQuery.rewrite's unwrapping of a single clause.
std::unique_ptr<Query> simplify(std::unique_ptr<BoolQuery> b) {
  size_t n = b->must.size() + b->should.size();
  bool one_should_ok = b->minimum_should_match.empty() || b->minimum_should_match == "1";
  if (n == 1 && b->filter.empty() && b->must_not.empty() && (b->must.size() == 1 || one_should_ok)) {
    return std::move(b->must.empty() ? b->should[0] : b->must[0]);
  }
  return b;
}

bool pure_disjunction(const Query& q) {
  if (q.kind != Query::Kind::kBool || q.boost != 1.0f) return false;
  const auto& b = static_cast<const BoolQuery&>(q);
  return b.must.empty() && b.filter.empty() && b.must_not.empty() &&
         (b.minimum_should_match.empty() || b.minimum_should_match == "1");
}

// The top-level clauses joined by the operator, with OpenSearch's minimum_should_match applied;
// nested disjunctions of a disjunction flattened, as BooleanQuery.rewrite does.
std::unique_ptr<Query> join(const TextQueryOptions& o, std::vector<std::unique_ptr<Query>> clauses) {
  auto b = std::make_unique<BoolQuery>();
  (o.and_operator ? b->must : b->should) = std::move(clauses);
  if (!o.and_operator && !o.minimum_should_match.empty()) {
    size_t n = SegmentEvaluator::resolve_msm(o.minimum_should_match, b->should.size());
    if (n > 0) b->minimum_should_match = std::to_string(n);
  }
  if (!o.and_operator && pure_disjunction(*b)) {
    std::vector<std::unique_ptr<Query>> flat;
    for (auto& c : b->should) {
      if (!pure_disjunction(*c)) {
        flat.push_back(std::move(c));
        continue;
      }
      for (auto& sub : static_cast<BoolQuery&>(*c).should) flat.push_back(std::move(sub));
    }
    b->should = std::move(flat);
  }
  return simplify(std::move(b));
}

// ---- Token graphs (Lucene's GraphTokenStreamFiniteStrings) ----

struct PathToken {
  std::string term;
  uint32_t increment = 1;
};
using Path = std::vector<PathToken>;

class TokenGraph {
 public:
  explicit TokenGraph(const QueryTokens& tokens) {
    std::vector<uint32_t> incs = increments(tokens);
    int64_t pos = -1, gap = 0;
    uint32_t prev_inc = 0;
    uint32_t last_state = 0;
    std::vector<Edge> edges;
    for (size_t i = 0; i < tokens.size(); ++i) {
      uint32_t inc = incs[i];
      if (inc == 0) {
        if (gap > 0) pos -= gap;
      } else {
        ++pos;
        gap = inc - 1;
      }
      int64_t end = pos + tokens[i].position_length + gap;
      last_state = std::max<uint32_t>(last_state, static_cast<uint32_t>(end));
      uint32_t id = term_id(tokens[i].term);
      bool stacked_gap = inc == 0 && prev_inc > 1;  // stacked on a token after a gap: the gap too
      if (inc > 1 || stacked_gap) incs_[id] = stacked_gap ? prev_inc : inc;
      edges.push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(end), id});
      pos += gap;
      prev_inc = inc;
    }
    final_ = last_state;
    // Only states on a path from the start to the end (Lucene removes dead states).
    std::vector<char> from_start(final_ + 1, 0), to_end(final_ + 1, 0);
    from_start[0] = 1;
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.from < b.from; });
    for (const auto& e : edges) {
      if (from_start[e.from]) from_start[e.to] = 1;
    }
    to_end[final_] = 1;
    for (auto it = edges.rbegin(); it != edges.rend(); ++it) {
      if (to_end[it->to]) to_end[it->from] = 1;
    }
    out_.resize(final_ + 1);
    for (const auto& e : edges) {
      if (from_start[e.from] && to_end[e.to]) out_[e.from].push_back(e);
    }
    for (auto& list : out_) {  // transitions sorted by label, then destination
      std::sort(list.begin(), list.end(), [](const Edge& a, const Edge& b) {
        return a.label != b.label ? a.label < b.label : a.to < b.to;
      });
    }
    live_.assign(final_ + 1, 0);
    for (uint32_t s = 0; s <= final_; ++s) live_[s] = from_start[s] && to_end[s];
  }

  // States every path passes through, ascending (the start and the end excluded).
  std::vector<uint32_t> articulation_points() const {
    std::vector<int32_t> cover(final_ + 2, 0);  // edges jumping over each state
    for (const auto& list : out_) {
      for (const auto& e : list) {
        if (e.to > e.from + 1) {
          cover[e.from + 1] += 1;
          cover[e.to] -= 1;
        }
      }
    }
    std::vector<uint32_t> out;
    int32_t running = 0;
    for (uint32_t s = 0; s <= final_; ++s) {
      running += cover[s];
      if (s > 0 && s < final_ && live_[s] && running == 0) out.push_back(s);
    }
    return out;
  }

  bool has_side_path(uint32_t state) const {
    const auto& list = out_[state];
    for (size_t i = 1; i < list.size(); ++i) {
      if (list[i].to != list[0].to) return true;
    }
    return false;
  }

  std::vector<std::string> terms_at(uint32_t state) const {
    std::vector<std::string> out;
    for (const auto& e : out_[state]) out.push_back(terms_[e.label]);
    return out;
  }

  // Every path from `start` to `end`, in Lucene's order (transitions by label); false when there
  // are more than the clause limit.
  bool paths(uint32_t start, uint32_t end, std::vector<Path>* out) const {
    Path current;
    return walk(start, end, &current, out);
  }

  uint32_t final_state() const { return final_; }

 private:
  struct Edge {
    uint32_t from, to, label;
  };

  uint32_t term_id(const std::string& term) {
    auto it = ids_.find(term);
    if (it != ids_.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(terms_.size());
    ids_.emplace(term, id);
    terms_.push_back(term);
    return id;
  }

  bool walk(uint32_t state, uint32_t end, Path* current, std::vector<Path>* out) const {
    if (state == end) {
      if (out->size() >= kMaxClauseCount) return false;
      out->push_back(*current);
      return true;
    }
    for (const auto& e : out_[state]) {
      auto inc = incs_.find(e.label);
      current->push_back({terms_[e.label], inc == incs_.end() ? 1u : inc->second});
      bool ok = walk(e.to, end, current, out);
      current->pop_back();
      if (!ok) return false;
    }
    return true;
  }

  std::vector<std::string> terms_;
  std::map<std::string, uint32_t> ids_;
  std::map<uint32_t, uint32_t> incs_;  // term id -> its increment when not 1
  std::vector<std::vector<Edge>> out_;
  std::vector<char> live_;
  uint32_t final_ = 0;
};

// One path as createFieldQuery builds it: a term, a phrase (quoted), or a MUST conjunction.
std::unique_ptr<Query> path_query(const TextQueryOptions& o, const Path& path, bool quoted, int32_t slop) {
  std::vector<std::string> terms;
  std::vector<uint32_t> positions;
  uint32_t pos = 0;
  for (const auto& t : path) {
    pos += t.increment;
    terms.push_back(t.term);
    positions.push_back(pos);
  }
  if (terms.size() == 1 || quoted) return phrase_query(o, terms, positions, slop);
  auto b = std::make_unique<BoolQuery>();
  for (const auto& t : terms) b->must.push_back(term_query(o, t));
  return b;
}

Result<std::unique_ptr<Query>> graph_boolean(const TextQueryOptions& o, const TokenGraph& g) {
  std::vector<std::unique_ptr<Query>> clauses;
  std::vector<uint32_t> points = g.articulation_points();
  uint32_t start = 0;
  for (size_t i = 0; i <= points.size(); ++i) {
    uint32_t end = i < points.size() ? points[i] : g.final_state();
    if (g.has_side_path(start)) {
      std::vector<Path> paths;
      if (!g.paths(start, end, &paths)) return too_many_clauses();
      auto any = std::make_unique<BoolQuery>();
      for (const auto& p : paths) any->should.push_back(path_query(o, p, o.auto_generate_phrase, 0));
      clauses.push_back(simplify(std::move(any)));
    } else {
      clauses.push_back(position_query(o, g.terms_at(start)));
    }
    start = end;
  }
  return join(o, std::move(clauses));
}

std::unique_ptr<SpanQuery> span_term(const TextQueryOptions& o, const std::string& term) {
  auto s = std::make_unique<SpanQuery>();
  s->type = SpanQuery::Type::kTerm;
  s->field = o.field;
  s->term = term;
  return s;
}

std::unique_ptr<SpanQuery> span_node(const TextQueryOptions& o, SpanQuery::Type type) {
  auto s = std::make_unique<SpanQuery>();
  s->type = type;
  s->field = o.field;
  return s;
}

// One path as OpenSearch's MatchQuery makes it a span: an ordered near of its terms, a gap clause
// for each increment above one (added, as its builder does, before the previous term's clause).
std::unique_ptr<SpanQuery> path_span(const TextQueryOptions& o, const Path& path) {
  auto near = span_node(o, SpanQuery::Type::kNear);
  const std::string* last = nullptr;
  for (const auto& t : path) {
    if (t.increment > 1) {
      auto gap = span_node(o, SpanQuery::Type::kGap);
      gap->gap = t.increment - 1;
      near->clauses.push_back(std::move(gap));
    }
    if (last != nullptr) near->clauses.push_back(span_term(o, *last));
    last = &t.term;
  }
  if (last != nullptr) near->clauses.push_back(span_term(o, *last));
  if (near->clauses.size() == 1) return std::move(near->clauses[0]);
  return near;
}

Result<std::unique_ptr<Query>> graph_phrase(const TextQueryOptions& o, const TokenGraph& g) {
  if (o.slop > 0) {  // one sloppy phrase per path
    std::vector<Path> paths;
    if (!g.paths(0, g.final_state(), &paths)) return too_many_clauses();
    auto any = std::make_unique<BoolQuery>();
    for (const auto& p : paths) any->should.push_back(path_query(o, p, true, o.slop));
    return simplify(std::move(any));
  }
  std::vector<std::unique_ptr<SpanQuery>> clauses;
  std::vector<uint32_t> points = g.articulation_points();
  uint32_t start = 0;
  for (size_t i = 0; i <= points.size(); ++i) {
    uint32_t end = i < points.size() ? points[i] : g.final_state();
    if (g.has_side_path(start)) {
      std::vector<Path> paths;
      if (!g.paths(start, end, &paths)) return too_many_clauses();
      auto any = span_node(o, SpanQuery::Type::kOr);
      for (const auto& p : paths) any->clauses.push_back(path_span(o, p));
      clauses.push_back(std::move(any));
    } else {
      std::vector<std::string> terms = g.terms_at(start);
      if (terms.size() == 1) {
        clauses.push_back(span_term(o, terms[0]));
      } else {
        auto any = span_node(o, SpanQuery::Type::kOr);
        for (const auto& t : terms) any->clauses.push_back(span_term(o, t));
        clauses.push_back(std::move(any));
      }
    }
    start = end;
  }
  std::unique_ptr<SpanQuery> root;
  if (clauses.size() == 1) {
    root = std::move(clauses[0]);
  } else {
    root = span_node(o, SpanQuery::Type::kNear);
    root->clauses = std::move(clauses);
  }
  root->boost = o.boost;
  return std::unique_ptr<Query>(std::move(root));
}

// Tokens grouped by position (a new group at every non-zero increment).
std::vector<std::vector<std::string>> by_position(const QueryTokens& tokens, std::vector<uint32_t>* positions) {
  std::vector<std::vector<std::string>> out;
  std::vector<uint32_t> incs = increments(tokens);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (incs[i] != 0 || out.empty()) {
      out.emplace_back();
      if (positions != nullptr) positions->push_back(tokens[i].position);
    }
    out.back().push_back(tokens[i].term);
  }
  return out;
}

}  // namespace

bool needs_query_builder(const QueryTokens& tokens) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].position_length > 1) return true;
    if (i > 0 && tokens[i].position == tokens[i - 1].position) return true;
  }
  return false;
}

Result<std::unique_ptr<Query>> build_text_query(const QueryTokens& tokens, const TextQueryOptions& o) {
  if (tokens.size() < 2) return std::unique_ptr<Query>();
  bool graph = std::any_of(tokens.begin(), tokens.end(), [](const auto& t) { return t.position_length > 1; });
  if (graph) {
    TokenGraph g(tokens);
    return o.phrase ? graph_phrase(o, g) : graph_boolean(o, g);
  }
  uint32_t position_count = tokens.back().position + 1;  // the sum of the non-zero increments
  std::vector<uint32_t> positions;
  std::vector<std::vector<std::string>> groups = by_position(tokens, &positions);
  if (position_count == 1 || groups.size() == 1) {
    if (o.phrase && position_count > 1) {  // a one-slot MultiPhraseQuery rewrites to a disjunction
      auto any = std::make_unique<BoolQuery>();
      for (const auto& t : groups[0]) any->should.push_back(term_query(o, t));
      return simplify(std::move(any));
    }
    std::vector<std::string> all;
    for (const auto& t : tokens) all.push_back(t.term);
    return position_query(o, std::move(all));
  }
  if (o.phrase) {
    auto p = std::make_unique<MultiPhraseQuery>();
    p->field = o.field;
    for (size_t i = 0; i < groups.size(); ++i) {
      p->terms.push_back(groups[i]);
      p->positions.push_back(positions[i] - positions[0]);
    }
    p->slop = o.slop;
    p->boost = o.boost;
    return std::unique_ptr<Query>(std::move(p));
  }
  std::vector<std::unique_ptr<Query>> clauses;
  for (auto& g : groups) clauses.push_back(position_query(o, std::move(g)));
  return join(o, std::move(clauses));
}

Result<std::unique_ptr<Query>> rewrite_text_query(const Query& q, const index::Mapping& mapping) {
  TextQueryOptions o;
  const ResolvedField* rf = nullptr;
  Scalar value;
  std::string analyzer;
  if (q.kind == Query::Kind::kMatch) {
    const auto& m = static_cast<const MatchQuery&>(q);
    if (!m.fuzzy.fuzziness.empty()) return std::unique_ptr<Query>();  // fuzzy terms: the plain form
    rf = mapping.find(m.field);
    value = m.value;
    analyzer = m.analyzer;
    o.and_operator = m.and_operator;
    o.minimum_should_match = m.minimum_should_match;
    o.auto_generate_phrase = m.auto_generate_synonyms_phrase_query;
  } else if (q.kind == Query::Kind::kMatchPhrase) {
    const auto& p = static_cast<const MatchPhraseQuery&>(q);
    if (p.prefix) return std::unique_ptr<Query>();
    rf = mapping.find(p.field);
    value.text = p.text;
    analyzer = p.analyzer;
    o.phrase = true;
    o.slop = p.slop;
  } else {
    return std::unique_ptr<Query>();
  }
  if (rf == nullptr || !rf->indexed || rf->type != FieldType::kText) return std::unique_ptr<Query>();
  auto tokens = SegmentEvaluator::query_terms(*rf, value, analyzer);
  if (!tokens.is_ok() || !needs_query_builder(*tokens)) return std::unique_ptr<Query>();
  o.field = rf->path;
  o.boost = q.boost;
  SIFT_ASSIGN_OR_RETURN(auto out, build_text_query(*tokens, o));
  if (out) out->name = q.name;
  return out;
}

std::string synonym_query_text(const SynonymQuery& q) {
  std::string s = "Synonym(";
  for (size_t i = 0; i < q.terms.size(); ++i) s += (i ? " " : "") + q.field + ":" + q.terms[i];
  return s + ")";
}

std::string multi_phrase_query_text(const MultiPhraseQuery& q) {
  std::string s = q.field + ":\"";
  uint32_t last = 0;
  for (size_t i = 0; i < q.terms.size(); ++i) {
    if (i > 0) s += " ";
    for (uint32_t gap = last + 1; i > 0 && gap < q.positions[i]; ++gap) s += "? ";
    last = q.positions[i];
    const auto& slot = q.terms[i];
    if (slot.size() > 1) s += "(";
    for (size_t k = 0; k < slot.size(); ++k) s += (k ? " " : "") + slot[k];
    if (slot.size() > 1) s += ")";
  }
  s += "\"";
  if (q.slop != 0) s += "~" + std::to_string(q.slop);
  return s;
}

std::string span_query_text(const SpanQuery& q) {
  switch (q.type) {
    case SpanQuery::Type::kTerm:
      return q.field + ":" + q.term;
    case SpanQuery::Type::kGap:
      return "SpanGap(" + q.field + ":" + std::to_string(q.gap) + ")";
    case SpanQuery::Type::kOr:
    case SpanQuery::Type::kNear: {
      std::string s = q.type == SpanQuery::Type::kOr ? "spanOr([" : "spanNear([";
      for (size_t i = 0; i < q.clauses.size(); ++i) s += (i ? ", " : "") + span_query_text(*q.clauses[i]);
      s += "]";
      if (q.type == SpanQuery::Type::kNear) s += ", " + std::to_string(q.slop) + ", true)";
      else s += ")";
      return s;
    }
  }
  return "";
}

}  // namespace sift::query
