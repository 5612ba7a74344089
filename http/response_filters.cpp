#include "http/response_filters.h"

#include <zlib.h>

#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <optional>
#include <utility>
#include <vector>

#include "common/json_writer.h"

namespace sift::http {
namespace {

// Numbers stay as the text the handler wrote: a double re-rendered by us could differ from Java's.
constexpr unsigned kParseFlags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag;
// The filter tree is walked recursively; deeper documents are returned unfiltered rather than
// risking the stack.
constexpr size_t kMaxFilterDepth = 512;

template <typename Handler>
bool parse_json(std::string_view json, Handler& handler) {
  rapidjson::MemoryStream ms(json.data(), json.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
  rapidjson::Reader reader;
  return !reader.Parse<kParseFlags>(is, handler).IsError();
}

// ---- pretty printing ------------------------------------------------------------------------

class PrettyWriter : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, PrettyWriter> {
 public:
  explicit PrettyWriter(std::string& out) : out_(out) {}

  bool Null() { return scalar("null"); }
  bool Bool(bool b) { return scalar(b ? "true" : "false"); }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) { return scalar({s, len}); }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    before_value();
    append_json_string(out_, {s, len});
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (counts_.back()++ > 0) out_.push_back(',');
    newline();
    append_json_string(out_, {s, len});
    out_ += " : ";
    in_object_value_ = true;
    return true;
  }
  bool StartObject() { return open('{'); }
  bool EndObject(rapidjson::SizeType) { return close('}'); }
  bool StartArray() { return open('['); }
  bool EndArray(rapidjson::SizeType) { return close(']'); }

 private:
  void newline() {
    out_.push_back('\n');
    out_.append(2 * counts_.size(), ' ');
  }
  // Array elements each get their own line; an object member's value follows its key.
  void before_value() {
    if (in_object_value_) {
      in_object_value_ = false;
      return;
    }
    if (counts_.empty()) return;
    if (counts_.back()++ > 0) out_.push_back(',');
    newline();
  }
  bool scalar(std::string_view text) {
    before_value();
    out_ += text;
    return true;
  }
  bool open(char c) {
    before_value();
    out_.push_back(c);
    counts_.push_back(0);
    return true;
  }
  bool close(char c) {
    size_t n = counts_.back();
    counts_.pop_back();
    if (n > 0) {
      newline();
    } else {
      out_.push_back(' ');
    }
    out_.push_back(c);
    return true;
  }

  std::string& out_;
  std::vector<size_t> counts_;  // per open container: members or elements written
  bool in_object_value_ = false;
};

// ---- filter_path ------------------------------------------------------------------------------

struct Node {
  enum class Kind { kObject, kArray, kScalar };
  Kind kind = Kind::kScalar;
  std::string text;  // a scalar's JSON text
  std::vector<std::pair<std::string, Node>> members;
  std::vector<Node> elements;

  bool is_container() const { return kind != Kind::kScalar; }
  bool empty() const { return members.empty() && elements.empty(); }
};

class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  Node root;

  bool Null() { return scalar("null"); }
  bool Bool(bool b) { return scalar(b ? "true" : "false"); }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) { return scalar(std::string(s, len)); }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    std::string text;
    append_json_string(text, {s, len});
    return scalar(std::move(text));
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    key_.assign(s, len);
    return true;
  }
  bool StartObject() { return open(Node::Kind::kObject); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(Node::Kind::kArray); }
  bool EndArray(rapidjson::SizeType) { return close(); }

 private:
  // Only the innermost container grows, so pointers to the open ones stay valid.
  Node* add() {
    if (stack_.empty()) return &root;
    Node* parent = stack_.back();
    if (parent->kind == Node::Kind::kObject) {
      parent->members.emplace_back(std::move(key_), Node());
      return &parent->members.back().second;
    }
    parent->elements.emplace_back();
    return &parent->elements.back();
  }
  bool scalar(std::string text) {
    add()->text = std::move(text);
    return true;
  }
  bool open(Node::Kind kind) {
    if (stack_.size() >= kMaxFilterDepth) return false;
    Node* n = add();
    n->kind = kind;
    stack_.push_back(n);
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  std::vector<Node*> stack_;
  std::string key_;
};

void write_compact(const Node& n, std::string& out) {
  switch (n.kind) {
    case Node::Kind::kScalar:
      out += n.text;
      return;
    case Node::Kind::kObject: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, v] : n.members) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, k);
        out.push_back(':');
        write_compact(v, out);
      }
      out.push_back('}');
      return;
    }
    case Node::Kind::kArray: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : n.elements) {
        if (!first) out.push_back(',');
        first = false;
        write_compact(e, out);
      }
      out.push_back(']');
      return;
    }
  }
}

// `*` matches any run of characters, as OpenSearch's Regex.simpleMatch.
bool glob_match(std::string_view pattern, std::string_view s) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pattern.size() && pattern[p] == s[i]) {
      ++p;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

using Path = std::vector<std::string>;
struct Cursor {
  const Path* path;
  size_t pos;  // next segment to match
};

// Moves every cursor past `key`. Returns true when some path ends at `key` (the whole field is
// selected); cursors that still have segments to match go to `next`.
bool advance(const std::vector<Cursor>& cursors, std::string_view key, std::vector<Cursor>* next) {
  bool full = false;
  for (const Cursor& c : cursors) {
    const Path& p = *c.path;
    size_t pos = c.pos;
    if (p[pos] == "**") {
      if (pos + 1 == p.size()) {
        full = true;
        continue;
      }
      next->push_back(c);  // `**` swallows this key and stays active
      ++pos;
    }
    if (!glob_match(p[pos], key)) continue;
    if (pos + 1 == p.size()) {
      full = true;
    } else {
      next->push_back({c.path, pos + 1});
    }
  }
  return full;
}

std::optional<Node> include(const Node& n, const std::vector<Cursor>& cursors) {
  Node out;
  out.kind = n.kind;
  if (n.kind == Node::Kind::kObject) {
    for (const auto& [k, v] : n.members) {
      std::vector<Cursor> next;
      if (advance(cursors, k, &next)) {
        out.members.emplace_back(k, v);
      } else if (!next.empty()) {
        if (auto child = include(v, next)) out.members.emplace_back(k, std::move(*child));
      }
    }
  } else if (n.kind == Node::Kind::kArray) {
    for (const Node& e : n.elements) {
      if (!e.is_container()) continue;  // a path that still needs keys cannot select a scalar
      if (auto child = include(e, cursors)) out.elements.push_back(std::move(*child));
    }
  } else {
    return std::nullopt;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// Returns nullopt when filtering removed everything from a container that had content.
std::optional<Node> exclude(const Node& n, const std::vector<Cursor>& cursors) {
  if (!n.is_container() || cursors.empty()) return n;
  Node out;
  out.kind = n.kind;
  if (n.kind == Node::Kind::kObject) {
    for (const auto& [k, v] : n.members) {
      std::vector<Cursor> next;
      if (advance(cursors, k, &next)) continue;
      if (auto child = exclude(v, next)) out.members.emplace_back(k, std::move(*child));
    }
  } else {
    for (const Node& e : n.elements) {
      if (auto child = exclude(e, cursors)) out.elements.push_back(std::move(*child));
    }
  }
  if (out.empty() && !n.empty()) return std::nullopt;
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Path split_path(std::string_view expr) {
  Path path;
  size_t start = 0;
  while (start <= expr.size()) {
    size_t dot = expr.find('.', start);
    if (dot == std::string_view::npos) dot = expr.size();
    std::string seg(expr.substr(start, dot - start));
    // "a.**.**.b" means the same as "a.**.b".
    if (!seg.empty() && !(seg == "**" && !path.empty() && path.back() == "**")) path.push_back(seg);
    start = dot + 1;
  }
  return path;
}

}  // namespace

Result<std::string> pretty_json(std::string_view json) {
  std::string out;
  out.reserve(json.size() * 2);
  PrettyWriter writer(out);
  if (!parse_json(json, writer)) return parse_error("response body is not valid JSON");
  out.push_back('\n');
  return out;
}

Result<std::string> filter_path(std::string_view json, std::string_view expression) {
  std::vector<Path> includes, excludes;
  size_t start = 0;
  while (start <= expression.size()) {
    size_t comma = expression.find(',', start);
    if (comma == std::string_view::npos) comma = expression.size();
    std::string_view item = trim(expression.substr(start, comma - start));
    start = comma + 1;
    bool negate = !item.empty() && item.front() == '-';
    if (negate) item.remove_prefix(1);
    Path path = split_path(item);
    if (path.empty()) continue;
    (negate ? excludes : includes).push_back(std::move(path));
  }
  if (includes.empty() && excludes.empty()) return std::string(json);

  TreeBuilder builder;
  if (!parse_json(json, builder)) return parse_error("response body is not valid JSON");

  std::optional<Node> result = std::move(builder.root);
  auto cursors = [](const std::vector<Path>& paths) {
    std::vector<Cursor> out;
    for (const Path& p : paths) out.push_back({&p, 0});
    return out;
  };
  if (!includes.empty()) result = include(*result, cursors(includes));
  if (result && !excludes.empty()) result = exclude(*result, cursors(excludes));
  if (!result) return std::string("{}");
  std::string out;
  write_compact(*result, out);
  return out;
}

// ---- compression ------------------------------------------------------------------------------

std::string compress(std::string_view data, Compression kind) {
  z_stream zs{};
  // Level 3 is OpenSearch's http.compression_level default: most of the gain for little CPU.
  int window_bits = kind == Compression::kGzip ? 15 + 16 : 15;
  if (deflateInit2(&zs, 3, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(rc == Z_STREAM_END ? zs.total_out : 0);
  deflateEnd(&zs);
  return out;
}

namespace {

// `window_bits` 15+32 reads gzip or zlib headers; -15 reads raw deflate.
Result<std::string> inflate_with(std::string_view data, int window_bits, size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return internal_error("inflateInit failed");
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  char chunk[64 * 1024];
  Status status;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    int rc = inflate(&zs, Z_NO_FLUSH);
    size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > max_bytes) {
      status = Status(Code::kTooLarge, "content_too_long_exception",
                      "decompressed request body is larger than the limit of [" + std::to_string(max_bytes) +
                          "] bytes");
      break;
    }
    out.append(chunk, produced);
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members (as `cat a.gz b.gz` makes) form one body.
      if (zs.avail_in > 0 && window_bits > 0 && inflateReset(&zs) == Z_OK) continue;
      break;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      status = parse_error("compressed request body is truncated");
    } else {
      status = parse_error(std::string("compressed request body is corrupt: ") + (zs.msg ? zs.msg : "inflate failed"));
    }
    break;
  }
  inflateEnd(&zs);
  if (!status.is_ok()) return status;
  return out;
}

}  // namespace

std::string percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

Result<std::string> decompress(std::string_view data, size_t max_bytes) {
  auto r = inflate_with(data, 15 + 32, max_bytes);
  if (r.is_ok() || r.status().code() != Code::kParseError) return r;
  auto raw = inflate_with(data, -15, max_bytes);
  if (raw.is_ok() || raw.status().code() == Code::kTooLarge) return raw;
  return r;
}

}  // namespace sift::http
