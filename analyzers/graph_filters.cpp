// Token filters that add tokens over several positions: synonym and synonym_graph, word_delimiter and
// word_delimiter_graph, shingle, ngram and edge_ngram. Each runs Lucene 8.7's filter as a stream
// over the whole value (position increments in, position increments out), so positions, position
// lengths and the order of stacked tokens equal Lucene's token for token.
#include <unicode/uchar.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

#include "analyzers/registry.h"
#include "analyzers/rule_escapes.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

using FilterPtr = std::shared_ptr<const TokenFilter>;

// ---------------------------------------------------------------------------------------------
// Streams with position increments, as Lucene's filters see them.

struct Tok {
  Token t;
  int32_t inc = 1;
};

class InputCursor {
 public:
  explicit InputCursor(const std::vector<Token>& in) : in_(in) {}
  bool next(Tok* out) {
    if (next_ == in_.size()) return false;
    out->t = in_[next_++];
    out->inc = static_cast<int32_t>(static_cast<int64_t>(out->t.position) - prev_);
    prev_ = out->t.position;
    return true;
  }

 private:
  const std::vector<Token>& in_;
  size_t next_ = 0;
  int64_t prev_ = -1;
};

class OutputStream {
 public:
  void emit(Token t, int32_t inc) {
    pos_ += inc;
    t.position = static_cast<uint32_t>(std::max<int64_t>(pos_, 0));
    out_.push_back(std::move(t));
  }
  // Replaces `s`'s tokens, keeping the trailing holes of the input (Lucene's final increment).
  void finish(TokenStream* s) {
    if (!out_.empty()) {
      const uint32_t in_last = s->tokens.empty() ? 0 : s->tokens.back().position + 1;
      const uint32_t trailing = s->end_position > in_last ? s->end_position - in_last : 0;
      s->end_position = out_.back().position + 1 + trailing;
    }
    s->tokens = std::move(out_);
  }

 private:
  std::vector<Token> out_;
  int64_t pos_ = -1;
};

// What a filter does when a later synonym filter analyzes its rules with the chain before it
// (OpenSearch's TokenFilterFactory.getSynonymFilter).
enum class SynonymRole { kApply, kSkip, kReject };

class GraphFilter : public TokenFilter {
 public:
  virtual SynonymRole synonym_role() const { return SynonymRole::kReject; }
};

// Java's String.trim: strips chars <= U+0020 at both ends.
std::string java_trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return std::string(s.substr(b, e - b));
}

// ---------------------------------------------------------------------------------------------
// Synonym map: input phrase -> output phrases (Lucene's SynonymMap.Builder with dedup).

struct SynonymMap {
  struct Entry {
    std::vector<std::vector<std::string>> outputs;  // in the order added, duplicates dropped
    bool keep_orig = false;
  };
  struct Node {
    std::map<std::string, uint32_t, std::less<>> next;
    int32_t entry = -1;
  };
  std::vector<Node> nodes{1};
  std::vector<Entry> entries;
  size_t max_horizontal = 0;

  bool empty() const { return entries.empty(); }
  const Node* child(const Node& n, std::string_view word) const {
    auto it = n.next.find(word);
    return it == n.next.end() ? nullptr : &nodes[it->second];
  }
  void add(const std::vector<std::string>& input, const std::vector<std::string>& output, bool include_orig) {
    uint32_t n = 0;
    for (const std::string& w : input) {
      auto it = nodes[n].next.find(w);
      if (it == nodes[n].next.end()) {
        nodes.emplace_back();
        it = nodes[n].next.emplace(w, static_cast<uint32_t>(nodes.size() - 1)).first;
      }
      n = it->second;
    }
    if (nodes[n].entry < 0) {
      nodes[n].entry = static_cast<int32_t>(entries.size());
      entries.emplace_back();
    }
    Entry& e = entries[static_cast<size_t>(nodes[n].entry)];
    if (std::find(e.outputs.begin(), e.outputs.end(), output) == e.outputs.end()) e.outputs.push_back(output);
    e.keep_orig = e.keep_orig || include_orig;
    max_horizontal = std::max({max_horizontal, input.size(), output.size()});
  }
};

// Parses rules (Solr or WordNet format), analyzing each phrase with the chain before the filter.
class SynonymParser {
 public:
  SynonymParser(const Analyzer& analyzer, bool expand, bool lenient)
      : analyzer_(analyzer), expand_(expand), lenient_(lenient) {}

  Status parse_solr(const std::vector<std::string>& lines);
  Status parse_wordnet(const std::vector<std::string>& lines);
  SynonymMap take() { return std::move(map_); }

 private:
  // The phrase's words; empty when lenient and the phrase does not analyze (skipped by add).
  Result<std::vector<std::string>> analyze(const std::string& text) const;
  void add(const std::vector<std::string>& in, const std::vector<std::string>& out, bool orig) {
    if (lenient_ && (in.empty() || out.empty())) return;
    map_.add(in, out, orig);
  }
  void add_group(const std::vector<std::vector<std::string>>& group);

  const Analyzer& analyzer_;
  bool expand_;
  bool lenient_;
  SynonymMap map_;
};

Result<std::vector<std::string>> SynonymParser::analyze(const std::string& text) const {
  TokenStream s;
  analyzer_.analyze_stream(text, &s);
  std::vector<std::string> words;
  int64_t prev = -1;
  for (const Token& t : s.tokens) {
    const int64_t inc = static_cast<int64_t>(t.position) - prev;
    prev = t.position;
    if (t.term.empty()) {
      if (lenient_) return std::vector<std::string>{};
      return invalid_argument("term: " + text + " analyzed to a zero-length token");
    }
    if (inc != 1) {
      if (lenient_) return std::vector<std::string>{};
      return invalid_argument("term: " + text + " analyzed to a token (" + t.term +
                              ") with position increment != 1 (got: " + std::to_string(inc) + ")");
    }
    words.push_back(t.term);
  }
  if (words.empty() && !lenient_) return invalid_argument("term: " + text + " was completely eliminated by analyzer");
  return words;
}

// Lucene's SolrSynonymParser.split: cuts at `sep`, keeping backslash escapes for unescape().
std::vector<std::string> solr_split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  std::string cur;
  size_t pos = 0;
  while (pos < s.size()) {
    if (s.substr(pos, sep.size()) == sep) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      pos += sep.size();
      continue;
    }
    char ch = s[pos++];
    if (ch == '\\') {
      cur.push_back(ch);
      if (pos >= s.size()) break;
      ch = s[pos++];
    }
    cur.push_back(ch);
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string solr_unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.push_back(s[++i]);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// All pairs (keeping the original), or every phrase to the first one (expand: false).
void SynonymParser::add_group(const std::vector<std::vector<std::string>>& group) {
  if (expand_) {
    for (size_t i = 0; i < group.size(); ++i) {
      for (size_t j = 0; j < group.size(); ++j) {
        if (i != j) add(group[i], group[j], true);
      }
    }
  } else {
    for (const auto& g : group) add(g, group[0], false);
  }
}

Status SynonymParser::parse_solr(const std::vector<std::string>& lines) {
  auto analyze_all = [&](const std::vector<std::string>& parts) -> Result<std::vector<std::vector<std::string>>> {
    std::vector<std::vector<std::string>> out;
    for (const std::string& p : parts) {
      SIFT_ASSIGN_OR_RETURN(auto words, analyze(java_trim(solr_unescape(p))));
      out.push_back(std::move(words));
    }
    return out;
  };
  for (const std::string& line : lines) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> sides = solr_split(line, "=>");
    if (sides.size() > 1) {
      if (sides.size() != 2) return invalid_argument("more than one explicit mapping specified on the same line");
      SIFT_ASSIGN_OR_RETURN(auto inputs, analyze_all(solr_split(sides[0], ",")));
      SIFT_ASSIGN_OR_RETURN(auto outputs, analyze_all(solr_split(sides[1], ",")));
      for (const auto& in : inputs) {
        for (const auto& out : outputs) add(in, out, false);
      }
    } else {
      SIFT_ASSIGN_OR_RETURN(auto inputs, analyze_all(solr_split(line, ",")));
      if (!inputs.empty()) add_group(inputs);
    }
  }
  return Status::ok();
}

// Lucene's WordnetSynonymParser: s(synset_id,w_num,'word',ss_type,sense_number,tag_count).
Status SynonymParser::parse_wordnet(const std::vector<std::string>& lines) {
  std::vector<std::vector<std::string>> synset;
  std::string last_id;
  for (const std::string& line : lines) {
    std::u16string u = to_utf16(line);
    if (u.size() < 11) return invalid_argument("malformed wordnet line: " + line);
    std::string id = to_utf8(u.substr(2, 9));
    if (id != last_id) {
      if (synset.size() > 1) add_group(synset);
      synset.clear();
    }
    const size_t first = line.find('\'');
    const size_t last = line.rfind('\'');
    const size_t start = first == std::string::npos ? 0 : first + 1;
    if (last == std::string::npos || last < start) return invalid_argument("malformed wordnet line: " + line);
    std::string text = line.substr(start, last - start);
    for (size_t p = 0; (p = text.find("''", p)) != std::string::npos; ++p) text.erase(p, 1);
    SIFT_ASSIGN_OR_RETURN(auto words, analyze(text));
    synset.push_back(std::move(words));
    last_id = std::move(id);
  }
  if (synset.size() > 1) add_group(synset);
  return Status::ok();
}

// Java's BufferedReader.readLine over the rules joined with line separators.
std::vector<std::string> rule_lines(const std::vector<std::string>& rules) {
  std::vector<std::string> lines;
  for (const std::string& r : rules) {
    std::string cur;
    for (size_t i = 0; i < r.size(); ++i) {
      if (r[i] == '\n' || r[i] == '\r') {
        lines.push_back(std::move(cur));
        cur.clear();
        if (r[i] == '\r' && i + 1 < r.size() && r[i + 1] == '\n') ++i;
      } else {
        cur.push_back(r[i]);
      }
    }
    lines.push_back(std::move(cur));
  }
  return lines;
}

// Lucene's SynonymGraphFilter: matched inputs become side paths of a graph (position lengths).
class SynonymGraphRun {
 public:
  SynonymGraphRun(const SynonymMap& map, const std::vector<Token>& in) : map_(map), input_(in) {}

  bool next(Token* out, int32_t* inc) {
    if (!out_buf_.empty()) {
      release(out, inc);
      return true;
    }
    if (parse()) {
      release(out, inc);
      return true;
    }
    if (next_read_ == next_write_) {
      if (finished_) return false;
      live_ = false;
    } else {
      cur_ = look(next_read_);
      ++next_read_;
      free_before(next_read_);
    }
    last_node_ += cur_.inc;
    next_node_ = last_node_ + static_cast<int32_t>(cur_.t.position_length);
    *out = cur_.t;
    *inc = cur_.inc;
    return true;
  }

 private:
  struct Pending {
    bool has_state = false;
    Token tok;  // the input token when has_state, else only its term
    int32_t start_node = 0, end_node = 0;
  };

  const Tok& look(int64_t pos) const { return lookahead_[static_cast<size_t>(pos - look_base_)]; }
  void free_before(int64_t pos) {
    while (look_base_ < pos && !lookahead_.empty()) {
      lookahead_.pop_front();
      ++look_base_;
    }
  }
  void capture() {
    live_ = false;
    lookahead_.push_back(cur_);
    ++next_write_;
  }

  void release(Token* out, int32_t* inc) {
    Pending p = std::move(out_buf_.front());
    out_buf_.pop_front();
    if (p.has_state) {
      *out = std::move(p.tok);
    } else {
      Token t;
      t.term = std::move(p.tok.term);
      t.start_offset = static_cast<uint32_t>(match_start_);
      t.end_offset = static_cast<uint32_t>(match_end_);
      t.type = "SYNONYM";
      *out = std::move(t);
    }
    *inc = p.start_node - last_node_;
    last_node_ = p.start_node;
    out->position_length = static_cast<uint32_t>(p.end_node - p.start_node);
  }

  bool parse() {
    int32_t match = -1;
    int32_t match_input_len = 0;
    const SynonymMap::Node* node = &map_.nodes[0];
    int32_t match_len = 0;
    bool do_final_capture = false;
    int64_t upto = next_read_;
    match_start_ = -1;
    while (true) {
      const std::string* term;
      int64_t end_offset;
      if (upto <= next_write_ - 1) {
        const Tok& t = look(upto);
        ++upto;
        term = &t.t.term;
        end_offset = t.t.end_offset;
        if (match_start_ == -1) match_start_ = t.t.start_offset;
      } else {
        if (finished_) break;
        if (!input_.next(&cur_)) {
          finished_ = true;
          break;
        }
        live_ = true;
        term = &cur_.t.term;
        if (match_start_ == -1) match_start_ = cur_.t.start_offset;
        end_offset = cur_.t.end_offset;
        ++upto;
      }
      ++match_len;
      node = map_.child(*node, *term);
      if (node == nullptr) break;
      if (node->entry >= 0) {
        match = node->entry;
        match_input_len = match_len;
        match_end_ = end_offset;
      }
      if (node->next.empty()) break;
      do_final_capture = true;
      if (live_) capture();
    }
    if (do_final_capture && live_ && !finished_) capture();
    if (match < 0) return false;
    if (live_) capture();
    buffer_outputs(map_.entries[static_cast<size_t>(match)], match_input_len);
    next_read_ += match_input_len;
    free_before(next_read_);
    return true;
  }

  void buffer_outputs(const SynonymMap::Entry& e, int32_t match_input_len) {
    const bool keep_orig = e.keep_orig;
    int32_t total_path_nodes = keep_orig ? match_input_len - 1 : 0;
    for (const auto& path : e.outputs) total_path_nodes += static_cast<int32_t>(path.size()) - 1;
    const int32_t start_node = next_node_;
    const int32_t end_node = start_node + total_path_nodes + 1;
    int32_t new_nodes = 0;
    const size_t first = out_buf_.size();
    for (const auto& path : e.outputs) {
      int32_t path_end = end_node;
      if (path.size() > 1) {
        path_end = next_node_ + new_nodes + 1;
        new_nodes += static_cast<int32_t>(path.size()) - 1;
      }
      Pending p;
      p.tok.term = path[0];
      p.start_node = start_node;
      p.end_node = path_end;
      out_buf_.push_back(std::move(p));
    }
    if (keep_orig) {
      Pending p;
      p.has_state = true;
      p.tok = look(next_read_).t;
      p.start_node = start_node;
      p.end_node = match_input_len == 1 ? end_node : next_node_ + new_nodes + 1;
      out_buf_.push_back(std::move(p));
    }
    next_node_ = end_node;
    for (size_t k = 0; k < e.outputs.size(); ++k) {
      const auto& path = e.outputs[k];
      if (path.size() <= 1) continue;
      int32_t last = out_buf_[first + k].end_node;
      for (size_t i = 1; i < path.size(); ++i) {
        Pending p;
        p.tok.term = path[i];
        p.start_node = last;
        p.end_node = i + 1 == path.size() ? end_node : last + 1;
        out_buf_.push_back(std::move(p));
        ++last;
      }
    }
    if (keep_orig && match_input_len > 1) {
      int32_t last = out_buf_[first + e.outputs.size()].end_node;
      for (int32_t i = 1; i < match_input_len; ++i) {
        Pending p;
        p.has_state = true;
        p.tok = look(next_read_ + i).t;
        p.start_node = last;
        p.end_node = i + 1 == match_input_len ? end_node : last + 1;
        out_buf_.push_back(std::move(p));
        ++last;
      }
    }
  }

  const SynonymMap& map_;
  InputCursor input_;
  Tok cur_;  // the current attributes
  std::deque<Tok> lookahead_;
  int64_t look_base_ = 0, next_read_ = 0, next_write_ = 0;
  std::deque<Pending> out_buf_;
  int32_t last_node_ = -1, next_node_ = 0;
  int64_t match_start_ = -1, match_end_ = -1;
  bool finished_ = false, live_ = false;
};

// Lucene's (deprecated) SynonymFilter: synonyms stacked on the input positions, not a graph.
class SynonymRun {
 public:
  SynonymRun(const SynonymMap& map, const std::vector<Token>& in)
      : map_(map), input_(in), roll_(1 + map.max_horizontal), inputs_(roll_), outputs_(roll_) {}

  bool next(Token* out, int32_t* inc) {
    while (true) {
      while (skip_ != 0) {
        PendingInput& in = inputs_[next_read_];
        PendingOutputs& outs = outputs_[next_read_];
        if (!in.consumed && (in.keep_orig || !in.matched)) {
          if (in.state) cur_ = *in.state;
          in.reset();
          if (outs.count > 0) {
            outs.pos_incr = 0;
          } else {
            next_read_ = roll(next_read_);
            --skip_;
          }
          *out = cur_.t;
          *inc = cur_.inc;
          return true;
        }
        if (outs.upto < outs.count) {
          in.reset();
          const int32_t pos_incr = outs.pos_incr;
          Token t;
          t.term = outs.pull_next();
          t.type = "SYNONYM";
          const int64_t end = outs.last_end == -1 ? in.end_offset : outs.last_end;
          t.start_offset = static_cast<uint32_t>(in.start_offset);
          t.end_offset = static_cast<uint32_t>(end);
          t.position_length = static_cast<uint32_t>(outs.last_pos_len);
          if (outs.count == 0) {
            next_read_ = roll(next_read_);
            --skip_;
          }
          *out = std::move(t);
          *inc = pos_incr;
          return true;
        }
        in.reset();
        next_read_ = roll(next_read_);
        --skip_;
      }
      if (finished_ && next_read_ == next_write_) {
        PendingOutputs& outs = outputs_[next_read_];
        if (outs.upto >= outs.count) return false;
        const int32_t pos_incr = outs.pos_incr;
        Token t;
        t.term = outs.pull_next();
        inputs_[next_read_].reset();
        if (outs.count == 0) next_write_ = next_read_ = roll(next_read_);
        t.start_offset = static_cast<uint32_t>(last_start_);
        t.end_offset = static_cast<uint32_t>(last_end_);
        t.type = "SYNONYM";
        *out = std::move(t);
        *inc = pos_incr;
        return true;
      }
      parse();
    }
  }

 private:
  struct PendingInput {
    std::string term;
    std::optional<Tok> state;
    bool keep_orig = false, matched = false, consumed = true;
    int64_t start_offset = 0, end_offset = 0;
    void reset() {
      state.reset();
      consumed = true;
      keep_orig = false;
      matched = false;
    }
  };
  struct PendingOutputs {
    std::vector<std::string> outputs;
    std::vector<int64_t> end_offsets;
    std::vector<int32_t> pos_lengths;
    size_t upto = 0, count = 0;
    int32_t pos_incr = 1;
    int64_t last_end = 0;
    int32_t last_pos_len = 1;
    void reset() {
      upto = count = 0;
      pos_incr = 1;
    }
    std::string pull_next() {
      last_end = end_offsets[upto];
      last_pos_len = pos_lengths[upto];
      std::string r = outputs[upto++];
      pos_incr = 0;
      if (upto == count) reset();
      return r;
    }
    void add(const std::string& w, int64_t end, int32_t pos_len) {
      if (outputs.size() <= count) {
        outputs.resize(count + 1);
        end_offsets.resize(count + 1);
        pos_lengths.resize(count + 1);
      }
      outputs[count] = w;
      end_offsets[count] = end;
      pos_lengths[count] = pos_len;
      ++count;
    }
  };

  size_t roll(size_t i) const { return i + 1 == roll_ ? 0 : i + 1; }
  void capture() {
    PendingInput& in = inputs_[next_write_];
    in.state = cur_;
    in.consumed = false;
    in.term = cur_.t.term;
    next_write_ = roll(next_write_);
  }

  void parse() {
    size_t cur_read = next_read_;
    int32_t match = -1;
    int32_t match_len = 0;
    int64_t match_end = -1;
    const SynonymMap::Node* node = &map_.nodes[0];
    int32_t count = 0;
    while (true) {
      std::string term;
      int64_t in_end = 0;
      if (cur_read == next_write_) {
        if (finished_) break;
        if (!input_.next(&cur_)) {
          finished_ = true;
          break;
        }
        term = cur_.t.term;
        PendingInput& in = inputs_[next_write_];
        last_start_ = in.start_offset = cur_.t.start_offset;
        last_end_ = in.end_offset = cur_.t.end_offset;
        in_end = in.end_offset;
        if (next_read_ != next_write_) {
          capture();
        } else {
          in.consumed = false;
        }
      } else {
        term = inputs_[cur_read].term;
        in_end = inputs_[cur_read].end_offset;
      }
      ++count;
      node = map_.child(*node, term);
      if (node == nullptr) break;
      if (node->entry >= 0) {
        match = node->entry;
        match_len = count;
        match_end = in_end;
      }
      if (node->next.empty()) break;
      if (next_read_ == next_write_) capture();
      cur_read = roll(cur_read);
    }
    if (next_read_ == next_write_ && !finished_) next_write_ = roll(next_write_);
    if (match >= 0) {
      skip_ = match_len;
      add_output(map_.entries[static_cast<size_t>(match)], match_len, match_end);
    } else if (next_read_ != next_write_) {
      skip_ = 1;
    }
  }

  void add_output(const SynonymMap::Entry& e, int32_t match_len, int64_t match_end) {
    for (const auto& phrase : e.outputs) {
      size_t upto = next_read_;
      for (const std::string& w : phrase) {
        const bool single = phrase.size() == 1;
        outputs_[upto].add(w, single ? match_end : -1, single && e.keep_orig ? match_len : 1);
        upto = roll(upto);
      }
    }
    size_t upto = next_read_;
    for (int32_t i = 0; i < match_len; ++i) {
      inputs_[upto].keep_orig = inputs_[upto].keep_orig || e.keep_orig;
      inputs_[upto].matched = true;
      upto = roll(upto);
    }
  }

  const SynonymMap& map_;
  InputCursor input_;
  size_t roll_;
  std::vector<PendingInput> inputs_;
  std::vector<PendingOutputs> outputs_;
  Tok cur_;
  size_t next_read_ = 0, next_write_ = 0;
  int32_t skip_ = 0;
  bool finished_ = false;
  int64_t last_start_ = 0, last_end_ = 0;
};

class BoundSynonymFilter final : public GraphFilter {
 public:
  BoundSynonymFilter(std::shared_ptr<const SynonymMap> map, bool graph) : map_(std::move(map)), graph_(graph) {}
  void filter(TokenStream* s) const override {
    if (map_->empty() || s->tokens.empty()) return;
    OutputStream out;
    Token t;
    int32_t inc = 0;
    if (graph_) {
      SynonymGraphRun run(*map_, s->tokens);
      while (run.next(&t, &inc)) out.emit(std::move(t), inc);
    } else {
      SynonymRun run(*map_, s->tokens);
      while (run.next(&t, &inc)) out.emit(std::move(t), inc);
    }
    out.finish(s);
  }
  SynonymRole synonym_role() const override { return SynonymRole::kSkip; }

 private:
  std::shared_ptr<const SynonymMap> map_;
  bool graph_;
};

// The filter as defined: its rules are parsed when a chain binds it (bind()).
class SynonymFilterDef final : public GraphFilter {
 public:
  struct Options {
    std::string name;
    std::optional<std::vector<std::string>> rules;
    bool has_path = false;
    bool expand = true;
    bool lenient = false;
    bool wordnet = false;
    bool graph = false;
  };
  explicit SynonymFilterDef(Options o) : o_(std::move(o)) {}

  // Unbound (no chain): no synonyms apply.
  void filter(TokenStream* s) const override { (void)s; }
  SynonymRole synonym_role() const override { return SynonymRole::kSkip; }

  Result<FilterPtr> bind(const ChainPrefix& prefix) const override {
    if (!o_.rules) {
      if (o_.has_path) {
        return invalid_argument("synonyms_path is not supported by Sift (no config files): give the rules inline in [synonyms]");
      }
      return invalid_argument("synonym requires either `synonyms` or `synonyms_path` to be configured");
    }
    std::vector<Named<TokenFilter>> filters;
    for (const auto& f : prefix.filters) {
      const auto* g = dynamic_cast<const GraphFilter*>(f.component.get());
      const SynonymRole role = g == nullptr ? SynonymRole::kApply : g->synonym_role();
      if (role == SynonymRole::kReject) {
        return invalid_argument("Token filter [" + f.name + "] cannot be used to parse synonyms");
      }
      if (role == SynonymRole::kApply) filters.push_back(f);
    }
    ChainAnalyzer analyzer("synonyms", prefix.char_filters, prefix.tokenizer, std::move(filters));
    SynonymParser parser(analyzer, o_.expand, o_.lenient);
    const std::vector<std::string> lines = rule_lines(*o_.rules);
    Status st = o_.wordnet ? parser.parse_wordnet(lines) : parser.parse_solr(lines);
    if (!st.is_ok()) return invalid_argument("failed to build synonyms");
    return FilterPtr(std::make_shared<BoundSynonymFilter>(std::make_shared<SynonymMap>(parser.take()), o_.graph));
  }

 private:
  Options o_;
};

Result<FilterPtr> make_synonym(const ComponentSettings& s, bool graph) {
  SynonymFilterDef::Options o;
  o.name = s.name();
  o.graph = graph;
  SIFT_ASSIGN_OR_RETURN(o.expand, s.get_bool("expand", true));
  SIFT_ASSIGN_OR_RETURN(o.lenient, s.get_bool("lenient", false));
  SIFT_ASSIGN_OR_RETURN(bool updateable, s.get_bool("updateable", false));
  (void)updateable;
  {
    std::string f = s.get_or("format", "");
    std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    o.wordnet = f == "wordnet";
  }
  o.rules = s.get_list("synonyms");
  o.has_path = s.get("synonyms_path").has_value();
  if (!o.rules && o.has_path) {
    return invalid_argument("synonyms_path is not supported by Sift (no config files): give the rules inline in [synonyms]");
  }
  return FilterPtr(std::make_shared<SynonymFilterDef>(std::move(o)));
}


// ---------------------------------------------------------------------------------------------
// Word delimiters (Lucene's WordDelimiterIterator over UTF-16 units).

constexpr int kLower = 0x01, kUpper = 0x02, kDigit = 0x04, kSubwordDelim = 0x08, kAlpha = 0x03;
constexpr int kGenerateWordParts = 1, kGenerateNumberParts = 2, kCatenateWords = 4, kCatenateNumbers = 8,
              kCatenateAll = 16, kPreserveOriginal = 32, kSplitOnCaseChange = 64, kSplitOnNumerics = 128,
              kStemEnglishPossessive = 256, kIgnoreKeywords = 512;

bool is_alpha(int t) { return (t & kAlpha) != 0; }
bool is_digit(int t) { return (t & kDigit) != 0; }
bool is_delim(int t) { return (t & kSubwordDelim) != 0; }
bool is_upper(int t) { return (t & kUpper) != 0; }

// Java's Character.getType mapped as WordDelimiterIterator.getType (a surrogate never splits).
uint8_t wd_unicode_type(uint32_t ch) {
  if (ch >= 0xD800 && ch <= 0xDFFF) return kAlpha | kDigit;
  switch (u_charType(static_cast<UChar32>(ch))) {
    case U_UPPERCASE_LETTER: return kUpper;
    case U_LOWERCASE_LETTER: return kLower;
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK: return kAlpha;
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER: return kDigit;
    default: return kSubwordDelim;
  }
}

// DEFAULT_WORD_DELIM_TABLE: Latin-1 by Character.isLowerCase / isUpperCase / isDigit.
const std::vector<uint8_t>& default_wd_table() {
  static const std::vector<uint8_t> table = [] {
    std::vector<uint8_t> t(256);
    for (UChar32 i = 0; i < 256; ++i) {
      uint8_t code = 0;
      if (u_hasBinaryProperty(i, UCHAR_LOWERCASE)) {
        code = kLower;
      } else if (u_hasBinaryProperty(i, UCHAR_UPPERCASE)) {
        code = kUpper;
      } else if (u_isdigit(i)) {
        code = kDigit;
      }
      t[static_cast<size_t>(i)] = code == 0 ? kSubwordDelim : code;
    }
    return t;
  }();
  return table;
}

class WdIterator {
 public:
  static constexpr int kDone = -1;
  WdIterator(const std::vector<uint8_t>& table, int flags)
      : table_(table),
        split_case_((flags & kSplitOnCaseChange) != 0),
        split_num_((flags & kSplitOnNumerics) != 0),
        stem_poss_((flags & kStemEnglishPossessive) != 0) {}

  void set_text(const std::u16string& text) {
    text_ = &text;
    length_ = end_bounds_ = static_cast<int>(text.size());
    current = start_bounds_ = end = 0;
    skip_poss_ = final_poss_ = false;
    while (start_bounds_ < length_ && is_delim(type_at(start_bounds_))) ++start_bounds_;
    while (end_bounds_ > start_bounds_ && is_delim(type_at(end_bounds_ - 1))) --end_bounds_;
    if (ends_with_possessive(end_bounds_)) final_poss_ = true;
    current = start_bounds_;
  }

  int next() {
    current = end;
    if (current == kDone) return kDone;
    if (skip_poss_) {
      current += 2;
      skip_poss_ = false;
    }
    int last_type = 0;
    while (current < end_bounds_ && is_delim(last_type = type_at(current))) ++current;
    if (current >= end_bounds_) return end = kDone;
    for (end = current + 1; end < end_bounds_; ++end) {
      const int t = type_at(end);
      if (is_break(last_type, t)) break;
      last_type = t;
    }
    if (end < end_bounds_ - 1 && ends_with_possessive(end + 2)) skip_poss_ = true;
    return end;
  }

  int type() const {
    if (end == kDone) return 0;
    const int t = type_at(current);
    return t == kLower || t == kUpper ? kAlpha : t;
  }
  bool single_word() const {
    return final_poss_ ? current == start_bounds_ && end == end_bounds_ - 2
                       : current == start_bounds_ && end == end_bounds_;
  }

  int current = 0;
  int end = 0;

 private:
  int type_at(int i) const {
    const char16_t c = (*text_)[static_cast<size_t>(i)];
    return c < table_.size() ? table_[c] : wd_unicode_type(c);
  }
  bool is_break(int last, int t) const {
    if ((t & last) != 0) return false;
    if (!split_case_ && is_alpha(last) && is_alpha(t)) return false;
    if (is_upper(last) && is_alpha(t)) return false;
    if (!split_num_ && ((is_alpha(last) && is_digit(t)) || (is_digit(last) && is_alpha(t)))) return false;
    return true;
  }
  bool ends_with_possessive(int pos) const {
    if (!stem_poss_ || pos <= 2) return false;
    const std::u16string& s = *text_;
    return s[static_cast<size_t>(pos - 2)] == u'\'' &&
           (s[static_cast<size_t>(pos - 1)] == u's' || s[static_cast<size_t>(pos - 1)] == u'S') &&
           is_alpha(type_at(pos - 3)) && (pos == end_bounds_ || is_delim(type_at(pos)));
  }

  const std::vector<uint8_t>& table_;
  bool split_case_, split_num_, stem_poss_;
  const std::u16string* text_ = nullptr;
  int length_ = 0, start_bounds_ = 0, end_bounds_ = 0;
  bool final_poss_ = false, skip_poss_ = false;
};

struct WdOptions {
  int flags = 0;
  std::shared_ptr<const std::vector<uint8_t>> table;
  std::set<std::string> protected_words;
  bool adjust_offsets = true;
  bool has(int f) const { return (flags & f) != 0; }
  bool concatenates(int type) const {
    return (has(kCatenateWords) && is_alpha(type)) || (has(kCatenateNumbers) && is_digit(type));
  }
  bool generates(int type) const {
    return (has(kGenerateWordParts) && is_alpha(type)) || (has(kGenerateNumberParts) && is_digit(type));
  }
};

// A run of subwords being catenated.
struct Concat {
  std::u16string text;
  int start_part = 0, end_part = 0, start_pos = 0, type = 0, subwords = 0;
  int64_t start_offset = 0, end_offset = 0;
  bool empty() const { return text.empty(); }
  void clear() {
    text.clear();
    start_part = end_part = type = subwords = 0;
    start_offset = end_offset = 0;
  }
};

// Lucene's WordDelimiterGraphFilter: parts, catenations and the original as a graph.
class WordDelimiterGraphFilter final : public GraphFilter {
 public:
  explicit WordDelimiterGraphFilter(WdOptions o) : o_(std::move(o)) {}

  void filter(TokenStream* s) const override {
    if (s->tokens.empty()) return;
    OutputStream out;
    InputCursor in(s->tokens);
    WdIterator it(*o_.table, o_.flags);
    Tok tok;
    int32_t accum = 0;
    int64_t last_start_offset = 0;
    std::u16string text;
    std::vector<Part> parts;
    while (in.next(&tok)) {
      if (o_.has(kIgnoreKeywords) && tok.t.keyword) {
        out.emit(tok.t, tok.inc);
        continue;
      }
      to_utf16(tok.t.term, &text);
      const int len = static_cast<int>(text.size());
      accum += tok.inc;
      it.set_text(text);
      it.next();
      if ((it.current == 0 && it.end == len) || o_.protected_words.count(tok.t.term) > 0) {
        out.emit(tok.t, accum);
        accum = 0;
        continue;
      }
      if (it.end == WdIterator::kDone) {
        if (!o_.has(kPreserveOriginal)) continue;
        accum = 0;
        out.emit(tok.t, tok.inc);
        continue;
      }
      buffer_parts(text, &it, &parts);
      const int64_t saved_start = tok.t.start_offset, saved_end = tok.t.end_offset;
      const bool adjusting = o_.adjust_offsets && saved_end - saved_start == len;
      int word_pos = 0;
      for (const Part& p : parts) {
        Token t = tok.t;
        int64_t so = adjusting ? saved_start + p.start_part : saved_start;
        int64_t eo = adjusting ? saved_start + p.end_part : saved_end;
        so = std::max(so, last_start_offset);
        eo = std::max(eo, last_start_offset);
        t.start_offset = static_cast<uint32_t>(so);
        t.end_offset = static_cast<uint32_t>(eo);
        last_start_offset = so;
        to_utf8(p.text ? std::u16string_view(*p.text)
                       : std::u16string_view(text).substr(static_cast<size_t>(p.start_part),
                                                           static_cast<size_t>(p.end_part - p.start_part)),
                &t.term);
        t.position_length = static_cast<uint32_t>(p.end_pos - p.start_pos);
        out.emit(std::move(t), accum + p.start_pos - word_pos);
        accum = 0;
        word_pos = p.start_pos;
      }
    }
    out.finish(s);
  }

 private:
  struct Part {
    int start_pos, end_pos, start_part, end_part;
    std::optional<std::u16string> text;  // a catenation; else the slice of the term
  };

  void buffer_parts(const std::u16string& text, WdIterator* it, std::vector<Part>* parts) const {
    const int len = static_cast<int>(text.size());
    parts->clear();
    int word_pos = 0;
    int last_concat_count = 0;
    Concat concat, concat_all;
    auto concatenate = [&](Concat* c) {
      if (c->empty()) {
        c->type = it->type();
        c->start_part = it->current;
        c->start_pos = word_pos;
      }
      c->text.append(text, static_cast<size_t>(it->current), static_cast<size_t>(it->end - it->current));
      ++c->subwords;
      c->end_part = it->end;
    };
    auto write = [&](const Concat& c) { parts->push_back({c.start_pos, word_pos, c.start_part, c.end_part, c.text}); };
    auto flush = [&](Concat* c) {
      if (word_pos == c->start_pos) ++word_pos;
      last_concat_count = c->subwords;
      if (c->subwords != 1 || !o_.generates(c->type)) write(*c);
      c->clear();
    };
    if (o_.has(kPreserveOriginal)) parts->push_back({0, 1, 0, len, std::nullopt});
    if (it->single_word()) {
      parts->push_back({word_pos, word_pos + 1, it->current, it->end, std::nullopt});
      ++word_pos;
      it->next();
    } else {
      while (it->end != WdIterator::kDone) {
        const int type = it->type();
        if (!concat.empty() && (concat.type & type) == 0) flush(&concat);
        if (o_.concatenates(type)) concatenate(&concat);
        if (o_.has(kCatenateAll)) concatenate(&concat_all);
        if (o_.generates(type)) {
          parts->push_back({word_pos, word_pos + 1, it->current, it->end, std::nullopt});
          ++word_pos;
        }
        it->next();
      }
      if (!concat.empty()) flush(&concat);
      if (!concat_all.empty()) {
        if (concat_all.subwords > last_concat_count) {
          if (word_pos == concat_all.start_pos) ++word_pos;
          write(concat_all);
        }
        concat_all.clear();
      }
    }
    if (o_.has(kPreserveOriginal)) {
      if (word_pos == 0) ++word_pos;
      (*parts)[0].end_pos = word_pos;
    }
    // Lucene 8.7 orders the parts by their slice of the term: start ascending, then the longest.
    std::stable_sort(parts->begin(), parts->end(), [](const Part& a, const Part& b) {
      if (a.start_part != b.start_part) return a.start_part < b.start_part;
      return a.end_part > b.end_part;
    });
  }

  WdOptions o_;
};

// Lucene's (deprecated) WordDelimiterFilter: parts stacked by offsets, not a graph.
class WordDelimiterFilter final : public GraphFilter {
 public:
  explicit WordDelimiterFilter(WdOptions o) : o_(std::move(o)) {}

  void filter(TokenStream* s) const override {
    if (s->tokens.empty()) return;
    State st(o_);
    InputCursor in(s->tokens);
    Tok tok;
    while (in.next(&tok)) st.process(tok);
    st.out.finish(s);
  }

 private:
  struct Buffered {
    Token t;
    int32_t inc;
  };
  struct State {
    explicit State(const WdOptions& opts) : o(opts), it(*opts.table, opts.flags) {}
    const WdOptions& o;
    OutputStream out;
    WdIterator it;
    int32_t accum = 0;
    bool first = true;
    bool has_output_token = false, has_output_following_original = false;
    int last_concat_count = 0;
    Concat concat, concat_all;
    std::vector<Buffered> buffered;
    std::u16string text;
    Token saved;
    int64_t saved_start = 0, saved_end = 0;
    bool illegal_offsets = false;

    void emit(Token t, int32_t inc) {
      out.emit(std::move(t), inc);
      first = false;
    }

    int32_t position(bool inject) {
      const int32_t pos_inc = accum;
      if (has_output_token) {
        accum = 0;
        return inject ? 0 : std::max(1, pos_inc);
      }
      has_output_token = true;
      if (!has_output_following_original) {
        has_output_following_original = true;
        return 0;
      }
      accum = 0;
      return std::max(1, pos_inc);
    }

    Token fresh() const {
      Token t;
      t.type = saved.type;
      return t;
    }

    Buffered part(bool single) {
      Token t = fresh();
      to_utf8(std::u16string_view(text).substr(static_cast<size_t>(it.current), static_cast<size_t>(it.end - it.current)),
              &t.term);
      const int64_t so = saved_start + it.current, eo = saved_start + it.end;
      if (illegal_offsets) {
        t.start_offset = static_cast<uint32_t>(single && so <= saved_end ? so : saved_start);
        t.end_offset = static_cast<uint32_t>(saved_end);
      } else {
        t.start_offset = static_cast<uint32_t>(so);
        t.end_offset = static_cast<uint32_t>(eo);
      }
      const int32_t inc = position(false);
      return {std::move(t), inc};
    }

    Buffered write(Concat* c) {
      Token t = fresh();
      to_utf8(c->text, &t.term);
      t.start_offset = static_cast<uint32_t>(illegal_offsets ? saved_start : c->start_offset);
      t.end_offset = static_cast<uint32_t>(illegal_offsets ? saved_end : c->end_offset);
      const int32_t inc = position(true);
      accum = 0;
      c->clear();
      return {std::move(t), inc};
    }

    bool flush(Concat* c) {
      last_concat_count = c->subwords;
      if (c->subwords != 1 || !o.generates(c->type)) {
        buffered.push_back(write(c));
        return true;
      }
      c->clear();
      return false;
    }

    void concatenate(Concat* c) {
      if (c->empty()) c->start_offset = saved_start + it.current;
      c->text.append(text, static_cast<size_t>(it.current), static_cast<size_t>(it.end - it.current));
      ++c->subwords;
      c->end_offset = saved_start + it.end;
    }

    void process(const Tok& tok) {
      if (o.has(kIgnoreKeywords) && tok.t.keyword) {
        emit(tok.t, tok.inc);
        return;
      }
      to_utf16(tok.t.term, &text);
      const int len = static_cast<int>(text.size());
      accum += tok.inc;
      it.set_text(text);
      it.next();
      if ((it.current == 0 && it.end == len) || o.protected_words.count(tok.t.term) > 0) {
        emit(tok.t, accum);
        accum = 0;
        return;
      }
      if (it.end == WdIterator::kDone && !o.has(kPreserveOriginal)) {
        if (tok.inc == 1 && !first) --accum;
        return;
      }
      saved = tok.t;
      saved_start = tok.t.start_offset;
      saved_end = tok.t.end_offset;
      illegal_offsets = saved_end - saved_start != len;
      has_output_token = false;
      has_output_following_original = !o.has(kPreserveOriginal);
      last_concat_count = 0;
      buffered.clear();
      if (o.has(kPreserveOriginal)) {
        emit(tok.t, accum);
        accum = 0;
      }
      while (true) {
        if (it.end == WdIterator::kDone) {
          if (!concat.empty() && flush(&concat)) continue;
          if (!concat_all.empty()) {
            if (concat_all.subwords > last_concat_count) {
              buffered.push_back(write(&concat_all));
              continue;
            }
            concat_all.clear();
          }
          std::stable_sort(buffered.begin(), buffered.end(), [](const Buffered& a, const Buffered& b) {
            if (a.t.start_offset != b.t.start_offset) return a.t.start_offset < b.t.start_offset;
            return a.inc > b.inc;
          });
          for (Buffered& b : buffered) {
            if (first && b.inc == 0) b.inc = 1;
            emit(std::move(b.t), b.inc);
          }
          buffered.clear();
          return;
        }
        if (it.single_word()) {
          Buffered p = part(true);
          it.next();
          emit(std::move(p.t), p.inc);
          continue;
        }
        const int type = it.type();
        if (!concat.empty() && (concat.type & type) == 0) {
          const bool wrote = flush(&concat);
          has_output_token = false;
          if (wrote) continue;
        }
        if (o.concatenates(type)) {
          if (concat.empty()) concat.type = type;
          concatenate(&concat);
        }
        if (o.has(kCatenateAll)) concatenate(&concat_all);
        if (o.generates(type)) buffered.push_back(part(false));
        it.next();
      }
    }
  };

  WdOptions o_;
};

// OpenSearch's type_table rules ("$ => DIGIT", "\\u200D => ALPHANUM").
Result<std::shared_ptr<const std::vector<uint8_t>>> parse_type_table(const std::vector<std::string>& rules) {
  std::map<char16_t, uint8_t> mapping;
  for (const std::string& rule : rules) {
    const size_t arrow = rule.rfind("=>");
    if (arrow == std::string::npos) return invalid_argument("Invalid Mapping Rule : [" + rule + "]");
    const std::string lhs_raw = java_trim(rule.substr(0, arrow));
    const std::string rhs = java_trim(rule.substr(arrow + 2));
    SIFT_ASSIGN_OR_RETURN(std::u16string lhs, unescape_rule(to_utf16(lhs_raw)));
    if (lhs.size() != 1) {
      return invalid_argument("Invalid Mapping Rule : [" + rule + "]. Only a single character is allowed.");
    }
    uint8_t type;
    if (rhs == "LOWER") type = kLower;
    else if (rhs == "UPPER") type = kUpper;
    else if (rhs == "ALPHA") type = kAlpha;
    else if (rhs == "DIGIT") type = kDigit;
    else if (rhs == "ALPHANUM") type = kAlpha | kDigit;
    else if (rhs == "SUBWORD_DELIM") type = kSubwordDelim;
    else return invalid_argument("Invalid Mapping Rule : [" + rule + "]. Illegal type.");
    mapping[lhs[0]] = type;
  }
  size_t size = 256;
  if (!mapping.empty()) size = std::max<size_t>(size, static_cast<size_t>(mapping.rbegin()->first) + 1);
  auto table = std::make_shared<std::vector<uint8_t>>(size);
  for (size_t i = 0; i < size; ++i) (*table)[i] = wd_unicode_type(static_cast<uint32_t>(i));
  for (const auto& [c, t] : mapping) (*table)[c] = t;
  return std::shared_ptr<const std::vector<uint8_t>>(std::move(table));
}

Result<FilterPtr> make_word_delimiter(const ComponentSettings& s, bool graph) {
  WdOptions o;
  struct Flag {
    int bit;
    const char* key;
    bool fallback;
  };
  static constexpr Flag kFlags[] = {
      {kGenerateWordParts, "generate_word_parts", true},   {kGenerateNumberParts, "generate_number_parts", true},
      {kCatenateWords, "catenate_words", false},           {kCatenateNumbers, "catenate_numbers", false},
      {kCatenateAll, "catenate_all", false},               {kSplitOnCaseChange, "split_on_case_change", true},
      {kPreserveOriginal, "preserve_original", false},     {kSplitOnNumerics, "split_on_numerics", true},
      {kStemEnglishPossessive, "stem_english_possessive", true}, {kIgnoreKeywords, "ignore_keywords", false},
  };
  for (const Flag& f : kFlags) {
    if (f.bit == kIgnoreKeywords && !graph) continue;
    SIFT_ASSIGN_OR_RETURN(bool on, s.get_bool(f.key, f.fallback));
    if (on) o.flags |= f.bit;
  }
  if (graph) {
    SIFT_ASSIGN_OR_RETURN(o.adjust_offsets, s.get_bool("adjust_offsets", true));
  }
  for (const char* path : {"type_table_path", "protected_words_path"}) {
    if (s.get(path)) {
      return invalid_argument(std::string("[") + path + "] is not supported by Sift (no config files): give the list inline");
    }
  }
  if (auto table = s.get_list("type_table")) {
    SIFT_ASSIGN_OR_RETURN(o.table, parse_type_table(*table));
  } else {
    o.table = std::shared_ptr<const std::vector<uint8_t>>(std::shared_ptr<void>(), &default_wd_table());
  }
  if (auto words = s.get_list("protected_words")) o.protected_words.insert(words->begin(), words->end());
  if (graph) return FilterPtr(std::make_shared<WordDelimiterGraphFilter>(std::move(o)));
  return FilterPtr(std::make_shared<WordDelimiterFilter>(std::move(o)));
}

// ---------------------------------------------------------------------------------------------
// Shingles (Lucene's ShingleFilter): a window of up to max_shingle_size tokens, holes filled with
// filler tokens; from each window start the unigram, then shingles of min..max tokens.

struct ShingleOptions {
  int min_size = 2, max_size = 2;
  bool unigrams = true, unigrams_if_no_shingles = false;
  std::string separator = " ", filler = "_";
};

class ShingleFilter final : public GraphFilter {
 public:
  explicit ShingleFilter(ShingleOptions o) : o_(std::move(o)) {}

  void filter(TokenStream* s) const override {
    if (s->tokens.empty()) return;
    Run run(o_, s);
    OutputStream out;
    Token t;
    int32_t inc = 0;
    while (run.next(&t, &inc)) out.emit(std::move(t), inc);
    out.finish(s);
  }

 private:
  struct WindowToken {
    Token t;
    bool filler = false;
  };

  class Run {
   public:
    Run(const ShingleOptions& o, const TokenStream* s) : o_(o), input_(s->tokens) {
      const uint32_t in_last = s->tokens.back().position + 1;
      trailing_ = s->end_position > in_last ? static_cast<int32_t>(s->end_position - in_last) : 0;
      final_offset_ = s->end_offset;
      min_value_ = o.unigrams ? 1 : o.min_size;
      reset_gram();
    }

    bool next(Token* out, int32_t* inc) {
      int built = 0;
      if (value_ == min_value_ || static_cast<int>(window_.size()) < value_) {
        shift();
        gram_.clear();
      } else {
        built = previous_;
      }
      if (static_cast<int>(window_.size()) < value_) return false;
      bool all_filler = true;
      const WindowToken* last = nullptr;
      int gram_num = 1;
      for (auto it = window_.begin(); it != window_.end() && built < value_; ++it, ++gram_num) {
        last = &*it;
        if (built < gram_num) {
          if (built > 0) gram_ += o_.separator;
          gram_ += it->t.term;
          ++built;
        }
        if (all_filler && it->filler) {
          if (gram_num == value_) advance();
        } else {
          all_filler = false;
        }
      }
      if (all_filler || built != value_) return false;
      Token t = window_.front().t;
      t.term = gram_;
      if (value_ > 1) {
        t.type = "shingle";
        no_shingle_output_ = false;
      }
      t.end_offset = last->t.end_offset;
      // Lucene 8.7 counts shingle sizes from the smallest one output.
      t.position_length = static_cast<uint32_t>(built - min_value_ + 1);
      *inc = output_here_ ? 0 : 1;
      output_here_ = true;
      advance();
      *out = std::move(t);
      return true;
    }

   private:
    void reset_gram() { previous_ = value_ = min_value_; }
    void advance() {
      previous_ = value_;
      if (value_ == 1) {
        value_ = o_.min_size;
      } else if (value_ == o_.max_size) {
        reset_gram();
      } else {
        ++value_;
      }
    }

    bool next_window_token(WindowToken* w) {
      if (fillers_to_insert_ > 0) {
        w->t = pending_;
        w->t.end_offset = w->t.start_offset;
        w->t.term = o_.filler;
        w->filler = true;
        --fillers_to_insert_;
        return true;
      }
      if (has_pending_) {
        w->t = pending_;
        w->filler = false;
        has_pending_ = false;
        return true;
      }
      if (exhausted_) return false;
      Tok tok;
      if (input_.next(&tok)) {
        w->t = tok.t;
        w->filler = false;
        if (tok.inc > 1) {
          fillers_to_insert_ = std::min(tok.inc - 1, o_.max_size - 1);
          pending_ = tok.t;
          has_pending_ = true;
          w->t.end_offset = w->t.start_offset;
          w->t.term = o_.filler;
          w->filler = true;
          --fillers_to_insert_;
        }
        return true;
      }
      exhausted_ = true;
      // Trailing holes (Lucene's end()): fillers after the last token, at the final offset.
      fillers_to_insert_ = std::min(trailing_, o_.max_size - 1);
      if (fillers_to_insert_ > 0) {
        pending_ = Token();
        pending_.start_offset = pending_.end_offset = final_offset_;
        return next_window_token(w);
      }
      return false;
    }

    void shift() {
      if (!window_.empty()) window_.pop_front();
      while (static_cast<int>(window_.size()) < o_.max_size) {
        WindowToken w;
        if (!next_window_token(&w)) break;
        window_.push_back(std::move(w));
      }
      if (o_.unigrams_if_no_shingles && no_shingle_output_ && min_value_ > 1 &&
          static_cast<int>(window_.size()) < o_.min_size) {
        min_value_ = 1;
      }
      reset_gram();
      output_here_ = false;
    }

    const ShingleOptions& o_;
    InputCursor input_;
    std::deque<WindowToken> window_;
    std::string gram_;
    int value_ = 1, previous_ = 1, min_value_ = 1;
    int32_t fillers_to_insert_ = 0, trailing_ = 0;
    Token pending_;
    bool has_pending_ = false, exhausted_ = false, output_here_ = false, no_shingle_output_ = true;
    uint32_t final_offset_ = 0;
  };

  ShingleOptions o_;
};

Result<FilterPtr> make_shingle(const ComponentSettings& s) {
  const int64_t max_diff = s.limits().max_shingle_diff;  // index.max_shingle_diff
  ShingleOptions o;
  SIFT_ASSIGN_OR_RETURN(int64_t max_size, s.get_int("max_shingle_size", 2));
  SIFT_ASSIGN_OR_RETURN(int64_t min_size, s.get_int("min_shingle_size", 2));
  SIFT_ASSIGN_OR_RETURN(o.unigrams, s.get_bool("output_unigrams", true));
  const int64_t diff = max_size - min_size + (o.unigrams ? 1 : 0);
  if (diff > max_diff) {
    return invalid_argument(
        "In Shingle TokenFilter the difference between max_shingle_size and min_shingle_size (and +1 if outputting "
        "unigrams) must be less than or equal to: [" + std::to_string(max_diff) + "] but was [" +
        std::to_string(diff) + "]. This limit can be set by changing the [index.max_shingle_diff] index level setting.");
  }
  SIFT_ASSIGN_OR_RETURN(o.unigrams_if_no_shingles, s.get_bool("output_unigrams_if_no_shingles", false));
  o.separator = s.get_or("token_separator", " ");
  o.filler = s.get_or("filler_token", "_");
  if (max_size < 2) return invalid_argument("Max shingle size must be >= 2");
  if (min_size < 2) return invalid_argument("Min shingle size must be >= 2");
  if (min_size > max_size) return invalid_argument("Min shingle size must be <= max shingle size");
  o.min_size = static_cast<int>(min_size);
  o.max_size = static_cast<int>(max_size);
  return FilterPtr(std::make_shared<ShingleFilter>(std::move(o)));
}

// ---------------------------------------------------------------------------------------------
// N-grams of each token (Lucene's NGramTokenFilter and EdgeNGramTokenFilter), counted in code
// points; every gram keeps its token's offsets.

class NGramFilter final : public GraphFilter {
 public:
  NGramFilter(int min_gram, int max_gram, bool preserve, bool edge, bool back)
      : min_(min_gram), max_(max_gram), preserve_(preserve), edge_(edge), back_(back) {}

  void filter(TokenStream* s) const override {
    std::vector<Token> out;
    std::vector<size_t> starts;  // UTF-8 byte offset of each code point, plus the end
    for (Token& t : s->tokens) {
      std::string term = back_ ? reverse_code_points(t.term) : t.term;
      starts.clear();
      for (size_t i = 0; i < term.size(); ++i) {
        if ((static_cast<unsigned char>(term[i]) & 0xC0) != 0x80) starts.push_back(i);
      }
      const int n = static_cast<int>(starts.size());
      starts.push_back(term.size());
      auto gram = [&](int from, int len) {
        Token g = t;
        g.term = term.substr(starts[static_cast<size_t>(from)], starts[static_cast<size_t>(from + len)] - starts[static_cast<size_t>(from)]);
        if (back_) g.term = reverse_code_points(g.term);
        out.push_back(std::move(g));
      };
      if (preserve_ && n < min_) {
        out.push_back(t);
        continue;
      }
      if (edge_) {
        for (int len = min_; len <= max_ && len <= n; ++len) gram(0, len);
      } else {
        for (int from = 0; from + min_ <= n; ++from) {
          for (int len = min_; len <= max_ && from + len <= n; ++len) gram(from, len);
        }
      }
      if (preserve_ && n > max_) out.push_back(t);
    }
    s->tokens = std::move(out);
  }

 private:
  static std::string reverse_code_points(const std::string& s) {
    std::u16string u = to_utf16(s), r;
    for (size_t i = u.size(); i > 0;) {
      --i;
      if (U16_IS_TRAIL(u[i]) && i > 0 && U16_IS_LEAD(u[i - 1])) {
        r.push_back(u[i - 1]);
        r.push_back(u[i]);
        --i;
      } else {
        r.push_back(u[i]);
      }
    }
    return to_utf8(r);
  }

  int min_, max_;
  bool preserve_, edge_, back_;
};

Result<FilterPtr> make_ngram(const ComponentSettings& s, bool edge) {
  const int64_t max_diff = s.limits().max_ngram_diff;  // index.max_ngram_diff
  SIFT_ASSIGN_OR_RETURN(int64_t min_gram, s.get_int("min_gram", 1));
  SIFT_ASSIGN_OR_RETURN(int64_t max_gram, s.get_int("max_gram", 2));
  bool back = false;
  if (edge) {
    const std::string side = s.get_or("side", "front");
    if (side != "front" && side != "back") return invalid_argument("invalid side: " + side);
    back = side == "back";
  } else if (max_gram - min_gram > max_diff) {
    return invalid_argument(
        "The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [" +
        std::to_string(max_diff) + "] but was [" + std::to_string(max_gram - min_gram) +
        "]. This limit can be set by changing the [index.max_ngram_diff] index level setting.");
  }
  SIFT_ASSIGN_OR_RETURN(bool preserve, s.get_bool("preserve_original", false));
  if (min_gram < 1) return invalid_argument("minGram must be greater than zero");
  if (min_gram > max_gram) return invalid_argument("minGram must not be greater than maxGram");
  return FilterPtr(std::make_shared<NGramFilter>(static_cast<int>(min_gram), static_cast<int>(max_gram), preserve, edge,
                                                 back));
}

}  // namespace

void register_graph_filters(ComponentTypes* types) {
  types->filters["synonym"] = [](const ComponentSettings& s) { return make_synonym(s, false); };
  types->filters["synonym_graph"] = [](const ComponentSettings& s) { return make_synonym(s, true); };
  types->filters["word_delimiter"] = [](const ComponentSettings& s) { return make_word_delimiter(s, false); };
  types->filters["word_delimiter_graph"] = [](const ComponentSettings& s) { return make_word_delimiter(s, true); };
  types->filters["shingle"] = [](const ComponentSettings& s) { return make_shingle(s); };
  types->filters["ngram"] = [](const ComponentSettings& s) { return make_ngram(s, false); };
  types->filters["edge_ngram"] = [](const ComponentSettings& s) { return make_ngram(s, true); };
  for (const char* old : {"nGram", "edgeNGram"}) {
    const std::string name = old, now = name == "nGram" ? "ngram" : "edge_ngram";
    types->filters[name] = [name, now](const ComponentSettings&) -> Result<FilterPtr> {
      return invalid_argument("The [" + name + "] token filter name was deprecated in 6.4 and cannot be used in new indices. "
                              "Please change the filter name to [" + now + "] instead.");
    };
  }
}

}  // namespace sift::analysis
