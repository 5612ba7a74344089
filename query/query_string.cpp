#include "query/query_string.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "query/fuzzy_queries.h"
#include "query/segment_evaluator.h"

namespace sift::query {
namespace {

Status syntax_error(std::string_view q, const std::string& why) {
  return Status(Code::kInvalidArgument, "query_shard_exception",
                "Failed to parse query [" + std::string(q) + "]: " + why);
}

bool special(char c) {
  return c == '(' || c == ')' || c == ':' || c == '^' || c == '~' || c == '"' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/';
}

class QsParser {
 public:
  explicit QsParser(std::string_view text) : s_(text) {}

  Result<std::unique_ptr<QsNode>> parse_all() {
    SIFT_ASSIGN_OR_RETURN(auto root, parse_group(0));
    skip_ws();
    if (pos_ < s_.size()) return syntax_error(s_, "unexpected [" + std::string(1, s_[pos_]) + "]");
    return root;
  }

 private:
  void skip_ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool at_word(std::string_view w) const {
    if (s_.compare(pos_, w.size(), w) != 0) return false;
    size_t end = pos_ + w.size();
    return end >= s_.size() || std::isspace(static_cast<unsigned char>(s_[end])) || s_[end] == '(';
  }

  // A bare term: up to whitespace or a special character, with backslash escapes.
  std::string read_term(bool* wildcard) {
    std::string out;
    *wildcard = false;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\\' && pos_ + 1 < s_.size()) {
        out.push_back(s_[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(c)) || special(c)) break;
      if (c == '*' || c == '?') *wildcard = true;
      out.push_back(c);
      ++pos_;
    }
    return out;
  }

  // Lucene's NUMBER token after `^` and `~`: digits with an optional fraction ("2", "0.5"). Empty
  // when none is there. A second '.' is not part of it ("^1.2.3" is boost 1.2, then the term ".3").
  std::string_view read_number() {
    size_t start = pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      return pos_ > from;
    };
    if (!digits()) return {};
    size_t int_end = pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digits()) pos_ = int_end;  // "2." is the number 2 followed by "."
    }
    return s_.substr(start, pos_ - start);
  }

  // Lucene parses a phrase slop as a float and casts it to int: the fraction is dropped and a slop
  // beyond int's range saturates rather than failing ("~99999999999" is Integer.MAX_VALUE).
  static int32_t saturated_slop(std::string_view n) {
    int64_t v = 0;
    for (char c : n) {
      if (c == '.') break;
      v = std::min<int64_t>(v * 10 + (c - '0'), INT32_MAX);
    }
    return static_cast<int32_t>(v);
  }

  Result<std::unique_ptr<QsNode>> parse_group(int depth) {
    if (depth > 100) return syntax_error(s_, "too many nested groups");
    auto group = std::make_unique<QsNode>();
    group->kind = QsNode::Kind::kGroup;
    enum class Conj { kNone, kAnd, kOr } conj = Conj::kNone;
    while (true) {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] == ')') break;
      if (at_word("AND") || s_.compare(pos_, 2, "&&") == 0) {
        pos_ += s_[pos_] == '&' ? 2 : 3;
        conj = Conj::kAnd;
        continue;
      }
      if (at_word("OR") || s_.compare(pos_, 2, "||") == 0) {
        pos_ += 2;
        conj = Conj::kOr;
        continue;
      }
      bool explicit_mod = true;
      QsNode::Occur occur = QsNode::Occur::kShould;
      if (s_[pos_] == '+') {
        occur = QsNode::Occur::kMust;
        ++pos_;
      } else if (s_[pos_] == '-' || s_[pos_] == '!') {
        occur = QsNode::Occur::kMustNot;
        ++pos_;
      } else if (at_word("NOT")) {
        occur = QsNode::Occur::kMustNot;
        pos_ += 3;
      } else {
        explicit_mod = false;
      }
      SIFT_ASSIGN_OR_RETURN(auto clause, parse_clause(depth));
      // Lucene's classic rules: AND makes both sides required, OR both optional, no conjunction
      // uses the default operator (resolved when binding: kShould means "default" there).
      if (conj == Conj::kAnd && !group->children.empty() && group->children.back()->occur != QsNode::Occur::kMustNot) {
        group->children.back()->occur = QsNode::Occur::kMust;
      }
      if (explicit_mod) clause->occur = occur;
      else if (conj == Conj::kAnd) clause->occur = QsNode::Occur::kMust;
      else if (conj == Conj::kOr) clause->occur = QsNode::Occur::kShould;
      else clause->occur = default_marker_;
      if (conj == Conj::kOr && !group->children.empty() && group->children.back()->occur == default_marker_) {
        group->children.back()->occur = QsNode::Occur::kShould;
      }
      group->children.push_back(std::move(clause));
      conj = Conj::kNone;
    }
    return group;
  }

  Result<std::unique_ptr<QsNode>> parse_clause(int depth) {
    skip_ws();
    if (pos_ >= s_.size()) return syntax_error(s_, "unexpected end of the query");
    std::string field;
    // field:value — a term followed directly by an unescaped ':'.
    size_t save = pos_;
    if (s_[pos_] != '(' && s_[pos_] != '"' && s_[pos_] != '[' && s_[pos_] != '{') {
      bool wildcard;
      std::string name = read_term(&wildcard);
      if (pos_ < s_.size() && s_[pos_] == ':' && !name.empty()) {
        field = name;
        ++pos_;
        skip_ws();
      } else {
        pos_ = save;
      }
    }
    if (pos_ >= s_.size()) return syntax_error(s_, "missing value after [" + field + ":]");
    std::unique_ptr<QsNode> node;
    char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      SIFT_ASSIGN_OR_RETURN(node, parse_group(depth + 1));
      if (pos_ >= s_.size() || s_[pos_] != ')') return syntax_error(s_, "missing [)]");
      ++pos_;
      if (!field.empty()) apply_field(node.get(), field);
    } else if (c == '"') {
      node = std::make_unique<QsNode>();
      node->kind = QsNode::Kind::kPhrase;
      node->field = field;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
        node->text.push_back(s_[pos_++]);
      }
      if (pos_ >= s_.size()) return syntax_error(s_, "unterminated phrase");
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] == '~') {
        ++pos_;
        std::string_view n = read_number();
        node->slop = n.empty() ? 2 : saturated_slop(n);
      }
    } else if (c == '[' || c == '{') {
      SIFT_ASSIGN_OR_RETURN(node, parse_range(field));
    } else if (c == '>' || c == '<') {
      node = std::make_unique<QsNode>();
      node->kind = QsNode::Kind::kRange;
      node->field = field;
      bool greater = c == '>';
      ++pos_;
      bool inclusive = pos_ < s_.size() && s_[pos_] == '=';
      if (inclusive) ++pos_;
      bool wildcard;
      std::string v = read_term(&wildcard);
      if (v.empty()) return syntax_error(s_, "missing value after a comparison");
      if (greater) {
        node->lower = v;
        node->include_lower = inclusive;
        node->upper = "*";
      } else {
        node->upper = v;
        node->include_upper = inclusive;
        node->lower = "*";
      }
    } else if (c == '/') {  // Lucene's REGEXPTERM: up to the next unescaped '/'
      node = std::make_unique<QsNode>();
      node->field = field;
      node->regexp = true;
      for (++pos_; pos_ < s_.size() && s_[pos_] != '/'; ++pos_) {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') node->text.push_back(s_[pos_++]);
        node->text.push_back(s_[pos_]);
      }
      if (pos_ >= s_.size()) return syntax_error(s_, "unterminated regular expression");
      ++pos_;
      read_fuzzy_slop(node.get());
    } else {
      node = std::make_unique<QsNode>();
      node->field = field;
      node->text = read_term(&node->has_wildcard);
      if (node->text.empty()) return syntax_error(s_, "unexpected [" + std::string(1, s_[pos_]) + "]");
      read_fuzzy_slop(node.get());
    }
    if (pos_ < s_.size() && s_[pos_] == '^') {
      ++pos_;
      std::string_view n = read_number();
      if (n.empty()) return syntax_error(s_, "missing boost after [^]");
      // from_chars, not std::stof: stof throws (out of the parser, through every caller) on a value
      // beyond float's range, and reads the locale's decimal point.
      auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), node->boost);
      bool underflow = ec == std::errc::result_out_of_range && n.find_first_not_of('0') == n.find('.');
      if (underflow) {
        node->boost = 0;  // Java's Float.parseFloat rounds "0.000...1" to 0 rather than failing
      } else if (ec != std::errc() || end != n.data() + n.size() || !std::isfinite(node->boost)) {
        return syntax_error(s_, "boost [" + std::string(n) + "] is out of range");
      }
      if (node->kind == QsNode::Kind::kTerm) read_fuzzy_slop(node.get());  // term^2~1
    }
    return node;
  }

  // Lucene's FUZZY_SLOP after a term: `~` and an optional number.
  void read_fuzzy_slop(QsNode* node) {
    if (node->fuzzy || pos_ >= s_.size() || s_[pos_] != '~') return;
    ++pos_;
    node->fuzzy = true;
    node->fuzzy_slop = std::string(read_number());
  }

  Result<std::unique_ptr<QsNode>> parse_range(const std::string& field) {
    auto node = std::make_unique<QsNode>();
    node->kind = QsNode::Kind::kRange;
    node->field = field;
    node->include_lower = s_[pos_] == '[';
    ++pos_;
    size_t close = s_.find_first_of("]}", pos_);
    if (close == std::string_view::npos) return syntax_error(s_, "unterminated range");
    std::string body(s_.substr(pos_, close - pos_));
    node->include_upper = s_[close] == ']';
    pos_ = close + 1;
    size_t to = body.find(" TO ");
    if (to == std::string::npos) return syntax_error(s_, "a range needs [TO]");
    auto trim = [](std::string v) {
      size_t a = v.find_first_not_of(' '), b = v.find_last_not_of(' ');
      v = a == std::string::npos ? "" : v.substr(a, b - a + 1);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    };
    node->lower = trim(body.substr(0, to));
    node->upper = trim(body.substr(to + 4));
    return node;
  }

  static void apply_field(QsNode* n, const std::string& field) {
    if (n->kind == QsNode::Kind::kGroup) {
      for (auto& c : n->children) apply_field(c.get(), field);
    } else if (n->field.empty()) {
      n->field = field;
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  // Clauses without a modifier or conjunction: the default operator decides (when binding).
  static constexpr QsNode::Occur default_marker_ = static_cast<QsNode::Occur>(3);
};

constexpr QsNode::Occur kDefaultOccur = static_cast<QsNode::Occur>(3);

class Binder {
 public:
  Binder(const QueryStringQuery& q, const index::Mapping& m, const std::string& default_field)
      : q_(q), mapping_(m), default_field_(default_field) {}

  Result<std::unique_ptr<Query>> bind(const QsNode& n) {
    if (n.kind == QsNode::Kind::kGroup) return bind_group(n);
    std::vector<std::pair<std::string, float>> fields;
    bool lenient = q_.lenient;
    if (!n.field.empty()) {
      if (n.field == "_exists_") {
        auto e = std::make_unique<ExistsQuery>();
        e->field = n.text;
        e->boost = n.boost;
        return std::unique_ptr<Query>(std::move(e));
      }
      fields = expand(n.field, 1.0f);
      lenient |= n.field.find('*') != std::string::npos;
    } else if (!q_.fields.empty()) {
      for (const auto& [f, b] : q_.fields) {
        auto more = expand(f, b);
        fields.insert(fields.end(), more.begin(), more.end());
        lenient |= f.find('*') != std::string::npos;
      }
    } else {
      fields = expand(default_field_, 1.0f);
      lenient |= default_field_.find('*') != std::string::npos;
    }
    if (fields.empty()) return std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
    // `*` alone: every document (on the default fields) or those with a value (on a field).
    if (n.kind == QsNode::Kind::kTerm && n.text == "*" && !n.regexp) {
      if (n.field.empty()) {
        auto all = std::make_unique<MatchAllQuery>();
        all->boost = n.boost;
        return std::unique_ptr<Query>(std::move(all));
      }
      auto dm = std::make_unique<DisMaxQuery>();
      for (const auto& [f, b] : fields) {
        auto e = std::make_unique<ExistsQuery>();
        e->field = f;
        dm->queries.push_back(std::move(e));
      }
      return std::unique_ptr<Query>(std::move(dm));
    }
    auto dm = std::make_unique<DisMaxQuery>();
    dm->tie_breaker = q_.tie_breaker;
    dm->boost = n.boost;
    for (const auto& [f, b] : fields) {
      const index::ResolvedField* rf = mapping_.find(f);
      if (rf == nullptr) continue;
      std::unique_ptr<Query> leaf;
      if (n.kind == QsNode::Kind::kPhrase) {
        auto p = std::make_unique<MatchPhraseQuery>();
        p->field = f;
        p->text = n.text;
        p->slop = n.slop;
        p->analyzer = q_.analyzer;
        leaf = std::move(p);
      } else if (n.kind == QsNode::Kind::kRange) {
        auto r = std::make_unique<RangeQuery>();
        r->field = f;
        r->time_zone = q_.time_zone;
        auto bound = [](const std::string& v) -> std::optional<Scalar> {
          if (v.empty() || v == "*") return std::nullopt;
          Scalar s;
          s.text = v;
          return s;
        };
        (n.include_lower ? r->gte : r->gt) = bound(n.lower);
        (n.include_upper ? r->lte : r->lt) = bound(n.upper);
        leaf = std::move(r);
      } else if (n.has_wildcard) {
        bool is_text = rf->type == index::FieldType::kText;
        if (rf->type != index::FieldType::kText && rf->type != index::FieldType::kKeyword) {
          if (lenient) continue;
          return Status(Code::kInvalidArgument, "query_shard_exception",
                        "Can only use wildcard queries on keyword and text fields - not on [" + f + "] which is of type [" +
                            index::field_type_name(rf->type) + "]");
        }
        std::string pattern = n.text;
        if (is_text) {
          for (auto& c : pattern) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        size_t first = pattern.find_first_of("*?");
        if (first == pattern.size() - 1 && pattern.back() == '*') {
          auto p = std::make_unique<PrefixQuery>();
          p->field = f;
          p->value = pattern.substr(0, first);
          leaf = std::move(p);
        } else {
          auto w = std::make_unique<WildcardQuery>();
          w->field = f;
          w->pattern = pattern;
          leaf = std::move(w);
        }
      } else if (n.regexp || n.fuzzy) {
        SIFT_ASSIGN_OR_RETURN(leaf, query_string_automaton_leaf(n, q_, *rf, lenient));
        if (!leaf) continue;
      } else {
        auto m = std::make_unique<MatchQuery>();
        m->field = f;
        m->value.text = n.text;
        m->analyzer = q_.analyzer;
        m->lenient = lenient;
        leaf = std::move(m);
      }
      leaf->boost *= b;
      dm->queries.push_back(std::move(leaf));
    }
    if (dm->queries.empty()) return std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
    if (dm->queries.size() == 1) {
      auto only = std::move(dm->queries[0]);
      only->boost *= n.boost;
      return only;
    }
    return std::unique_ptr<Query>(std::move(dm));
  }

 private:
  Result<std::unique_ptr<Query>> bind_group(const QsNode& n) {
    if (n.children.size() == 1 && n.children[0]->occur != QsNode::Occur::kMustNot) {
      SIFT_ASSIGN_OR_RETURN(auto only, bind(*n.children[0]));
      only->boost *= n.boost;
      return only;
    }
    auto b = std::make_unique<BoolQuery>();
    b->boost = n.boost;
    for (const auto& c : n.children) {
      SIFT_ASSIGN_OR_RETURN(auto sub, bind(*c));
      QsNode::Occur occur = c->occur == kDefaultOccur ? (q_.and_default ? QsNode::Occur::kMust : QsNode::Occur::kShould)
                                                      : c->occur;
      if (occur == QsNode::Occur::kMust) b->must.push_back(std::move(sub));
      else if (occur == QsNode::Occur::kMustNot) b->must_not.push_back(std::move(sub));
      else b->should.push_back(std::move(sub));
    }
    if (&n == q_.root.get() && !q_.minimum_should_match.empty()) b->minimum_should_match = q_.minimum_should_match;
    if (n.children.empty()) return std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
    return std::unique_ptr<Query>(std::move(b));
  }

  // Field names (with wildcards) -> mapped fields that can be searched.
  std::vector<std::pair<std::string, float>> expand(const std::string& pattern, float boost) const {
    return expand_query_fields(mapping_, pattern, boost);
  }

  const QueryStringQuery& q_;
  const index::Mapping& mapping_;
  std::string default_field_;
};

}  // namespace

std::vector<std::pair<std::string, float>> expand_query_fields(const index::Mapping& mapping,
                                                               const std::string& pattern, float boost) {
  std::vector<std::pair<std::string, float>> out;
  if (pattern.find('*') == std::string::npos) {
    if (mapping.find(pattern) != nullptr) out.emplace_back(pattern, boost);
    return out;
  }
  for (const auto& leaf : mapping.leaves()) {
    if (!leaf.indexed) continue;
    bool all = pattern == "*";
    // `*` takes every field a full-text query can run on, as OpenSearch's default_field does.
    if (all ? (leaf.type != index::FieldType::kObject && leaf.type != index::FieldType::kNested)
            : wildcard_matches(pattern, leaf.path)) {
      out.emplace_back(leaf.path, boost);
    }
  }
  return out;
}

std::vector<std::pair<std::string, float>> resolve_query_fields(const index::Mapping& mapping,
                                                                const std::vector<std::pair<std::string, float>>& fields,
                                                                const std::string& default_field_setting) {
  std::vector<std::pair<std::string, float>> out;
  std::unordered_map<std::string, size_t> at;
  auto add = [&](const std::string& pattern, float boost) {
    for (auto& [f, b] : expand_query_fields(mapping, pattern, boost)) {
      auto [it, fresh] = at.emplace(f, out.size());
      if (fresh) out.emplace_back(std::move(f), b);
      else out[it->second].second *= b;
    }
  };
  if (fields.empty()) add(default_field_setting.empty() ? "*" : default_field_setting, 1.0f);
  for (const auto& [pattern, boost] : fields) add(pattern, boost);
  return out;
}

Result<std::unique_ptr<QsNode>> parse_query_string(std::string_view text) {
  QsParser p(text);
  return p.parse_all();
}

Result<std::unique_ptr<Query>> bind_query_string(const QueryStringQuery& q, const index::Mapping& mapping,
                                                 const std::string& default_field_setting) {
  if (!q.root) return std::unique_ptr<Query>(std::make_unique<MatchNoneQuery>());
  Binder b(q, mapping, default_field_setting.empty() ? "*" : default_field_setting);
  SIFT_ASSIGN_OR_RETURN(auto out, b.bind(*q.root));
  out->boost *= q.boost;
  return out;
}

}  // namespace sift::query
