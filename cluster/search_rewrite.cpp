#include "cluster/search_rewrite.h"

#include <rapidjson/document.h>

#include <algorithm>

#include "cluster/settings.h"
#include "cluster/source_filter.h"
#include "query/query_walk.h"

namespace sift::cluster {
namespace {

constexpr int64_t kDefaultMaxTermsCount = 65536;

// One value of a source path, as the JSON text SourceValues gives it, as a query scalar;
// objects are skipped (false).
bool scalar_of(const std::string& json, query::Scalar* out) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError()) return false;
  if (d.IsString()) {
    out->kind = query::Scalar::Kind::kString;
    out->text.assign(d.GetString(), d.GetStringLength());
  } else if (d.IsBool()) {
    out->kind = query::Scalar::Kind::kBool;
    out->boolean = d.GetBool();
    out->text = out->boolean ? "true" : "false";
  } else if (d.IsInt64()) {
    out->kind = query::Scalar::Kind::kInteger;
    out->integer = d.GetInt64();
    out->number = static_cast<double>(out->integer);
    out->text = std::to_string(out->integer);
  } else if (d.IsNumber()) {
    out->kind = query::Scalar::Kind::kDouble;
    out->number = d.GetDouble();
    out->text = json;
  } else {
    return false;
  }
  return true;
}

Status resolve_lookup(Node& node, query::TermsQuery* t) {
  const query::TermsQuery::Lookup& l = *t->lookup;
  SIFT_ASSIGN_OR_RETURN(std::vector<std::string> names, node.resolve(l.index, IndicesOptions{}));
  if (names.size() != 1) {
    return invalid_argument("alias [" + l.index +
                            "] has more than one index associated with it, can't execute a single index op");
  }
  auto svc = node.index(names[0]);
  if (!svc) {
    SIFT_RETURN_IF_ERROR(node.check_not_closed(names[0]));
    return Status(Code::kNotFound, "index_not_found_exception", "no such index [" + l.index + "]").with_index(l.index);
  }
  SIFT_ASSIGN_OR_RETURN(std::optional<index::StoredDocument> doc, svc->get(l.id, l.routing));
  t->values.clear();
  if (doc) {
    for (const auto& json : SourceValues(doc->source).json(l.path)) {
      query::Scalar s;
      if (scalar_of(json, &s)) t->values.push_back(std::move(s));
    }
  }
  t->lookup.reset();
  return Status::ok();
}

size_t max_terms_in(const query::Query& q) {
  size_t n = q.kind == query::Query::Kind::kTerms ? static_cast<const query::TermsQuery&>(q).values.size() : 0;
  query::for_each_subquery(q, [&](const query::Query& c) { n = std::max(n, max_terms_in(c)); });
  return n;
}

}  // namespace

Status resolve_terms_lookups(Node& node, query::Query* q) {
  if (q == nullptr) return Status::ok();
  if (q->kind == query::Query::Kind::kTerms) {
    auto* t = static_cast<query::TermsQuery*>(q);
    if (t->lookup) SIFT_RETURN_IF_ERROR(resolve_lookup(node, t));
  }
  Status st = Status::ok();
  query::for_each_subquery(*q, [&](query::Query& c) {
    if (st.is_ok()) st = resolve_terms_lookups(node, &c);
  });
  return st;
}

Status check_max_terms_count(const Node& node, const query::Query* q, const std::vector<SearchTarget>& targets) {
  if (q == nullptr) return Status::ok();
  size_t terms = max_terms_in(*q);
  if (terms == 0) return Status::ok();
  auto state = node.state();
  for (const auto& t : targets) {
    auto it = state->indices.find(t.index);
    if (it == state->indices.end()) continue;
    SIFT_ASSIGN_OR_RETURN(int64_t limit, parse_int_setting(it->second->settings, "index.max_terms_count",
                                                           kDefaultMaxTermsCount));
    if (static_cast<int64_t>(terms) > limit) {
      return invalid_argument("The number of terms [" + std::to_string(terms) +
                              "] used in the Terms Query request has exceeded the allowed maximum of [" +
                              std::to_string(limit) +
                              "]. This maximum can be set by changing the [index.max_terms_count] index level setting.");
    }
  }
  return Status::ok();
}

Status rewrite_search_request(Node& node, const std::vector<SearchTarget>& targets, const IndicesOptions& opts,
                              query::SearchRequest* req) {
  SIFT_RETURN_IF_ERROR(resolve_terms_lookups(node, req->query.get()));
  SIFT_RETURN_IF_ERROR(check_max_terms_count(node, req->query.get(), targets));
  req->index_boosts.clear();
  for (const auto& [expression, boost] : req->indices_boost) {
    SIFT_ASSIGN_OR_RETURN(std::vector<std::string> names, node.resolve(expression, opts));
    for (const auto& name : names) req->index_boosts.emplace(name, boost);
  }
  return Status::ok();
}

}  // namespace sift::cluster
