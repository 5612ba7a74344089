// Router (a trie of path segments) and RestRequest's parameter helpers.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "http/rest.h"

#include "common/json_depth.h"
#include "http/response_filters.h"

namespace sift::http {

const char* method_name(Method m) {
  switch (m) {
    case Method::kGet: return "GET";
    case Method::kHead: return "HEAD";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kDelete: return "DELETE";
    case Method::kOther: return "OTHER";
  }
  return "OTHER";
}

// ---- RestRequest ------------------------------------------------------------------------------

std::string RestRequest::param(std::string_view name, std::string_view fallback) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? std::string(fallback) : it->second;
}

Result<bool> RestRequest::param_bool(std::string_view name, bool fallback) const {
  auto it = params.find(std::string(name));
  if (it == params.end()) return fallback;
  const std::string& v = it->second;
  if (v.empty() || v == "true") return true;
  if (v == "false") return false;
  return invalid_argument("Failed to parse value [" + v + "] as only [true] or [false] are allowed.");
}

Result<int64_t> RestRequest::param_int(std::string_view name, int64_t fallback) const {
  auto it = params.find(std::string(name));
  if (it == params.end()) return fallback;
  const std::string& v = it->second;
  int64_t out = 0;
  const char* begin = v.data();
  if (!v.empty() && v[0] == '+') ++begin;  // Java's Integer.parseInt accepts a leading '+'
  auto [ptr, ec] = std::from_chars(begin, v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) {
    return invalid_argument("Failed to parse int parameter [" + std::string(name) + "] with value [" + v + "]");
  }
  return out;
}

std::string RestRequest::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return "";
}

// ---- Router -----------------------------------------------------------------------------------

struct Router::Node {
  std::map<std::string, std::shared_ptr<Node>, std::less<>> literals;
  // Different patterns may name the parameter at one place differently ("/{index}" vs "/{name}").
  std::vector<std::pair<std::string, std::shared_ptr<Node>>> params;
  std::map<Method, Handler> handlers;
};

namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    // Empty segments ("//", a trailing '/') are ignored, as OpenSearch's PathTrie does.
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool is_param(std::string_view seg) { return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}'; }

}  // namespace

void Router::add(Method method, std::string_view pattern, Handler handler, BodyKind body) {
  if (body == BodyKind::kJson) {
    handler = [inner = std::move(handler)](RestRequest& req) {
      if (!req.body.empty() && json_nesting_depth(req.body) > kMaxJsonDepth) {
        return error_response(Status(Code::kParseError, "parse_exception",
                                     "The nesting depth of the request body exceeds the maximum allowed depth of [" +
                                         std::to_string(kMaxJsonDepth) + "]"));
      }
      return inner(req);
    };
  }
  if (!root_) root_ = std::make_shared<Node>();
  Node* node = root_.get();
  for (std::string_view seg : split_segments(pattern)) {
    if (is_param(seg)) {
      std::string name(seg.substr(1, seg.size() - 2));
      auto it = std::find_if(node->params.begin(), node->params.end(),
                             [&](const auto& p) { return p.first == name; });
      if (it == node->params.end()) {
        node->params.emplace_back(name, std::make_shared<Node>());
        it = std::prev(node->params.end());
      }
      node = it->second.get();
    } else {
      auto& child = node->literals[std::string(seg)];
      if (!child) child = std::make_shared<Node>();
      node = child.get();
    }
  }
  node->handlers[method] = std::move(handler);
}

namespace {

// Depth-first with literals tried before parameters, so the most specific pattern wins and a
// dead end under a literal falls back to a parameter at the same place.
template <typename NodeT>
const NodeT* find_node(const NodeT* node, const std::vector<std::string>& segs, size_t i,
                       std::vector<std::pair<std::string, std::string>>* bound) {
  if (i == segs.size()) return node->handlers.empty() ? nullptr : node;
  auto lit = node->literals.find(segs[i]);
  if (lit != node->literals.end()) {
    if (const NodeT* found = find_node(lit->second.get(), segs, i + 1, bound)) return found;
  }
  for (const auto& [name, child] : node->params) {
    bound->emplace_back(name, segs[i]);
    if (const NodeT* found = find_node(child.get(), segs, i + 1, bound)) return found;
    bound->pop_back();
  }
  return nullptr;
}

}  // namespace

const Handler* Router::match(Method method, std::string_view path, std::map<std::string, std::string>* params,
                             bool* path_known) const {
  if (path_known) *path_known = false;
  if (!root_) return nullptr;
  std::vector<std::string> segs;
  for (std::string_view raw : split_segments(path)) segs.push_back(percent_decode(raw));
  std::vector<std::pair<std::string, std::string>> bound;
  const Node* node = find_node(root_.get(), segs, 0, &bound);
  if (!node) return nullptr;
  // The most specific path decides, as in OpenSearch: a literal route without this method is a
  // 405 even if a parameter route would take the method.
  auto h = node->handlers.find(method);
  if (h == node->handlers.end()) {
    if (path_known) *path_known = true;
    return nullptr;
  }
  if (params) {
    for (auto& [k, v] : bound) (*params)[k] = std::move(v);
  }
  return &h->second;
}

}  // namespace sift::http
