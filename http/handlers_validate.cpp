// `_validate/query`: is a query valid for the target indices, without returning hits. The body
// (`{"query": ...}`) or `q=` is parsed first: a query that does not parse answers 200
// `{"valid":false}` (with `error` when `explain=true`), as OpenSearch does. Then the query is bound
// to one shard of every index (every shard with `all_shards=true`), where mapping-dependent errors
// (a value a field's type cannot hold) show up; `explain` / `rewrite` add per-index explanations
// with the Lucene-style text of the query (query/query_text.h).
#include <cctype>

#include "cluster/search_rewrite.h"
#include "cluster/search_service.h"
#include "common/json_writer.h"
#include "http/handlers.h"
#include "http/rest_util.h"
#include "http/uri_query.h"
#include "query/dsl_parser.h"
#include "query/query_text.h"
#include "query/searcher.h"

namespace sift::http {
namespace {

// An exception as OpenSearch's detailed messages print it: `QueryShardException[reason]`.
std::string detailed_message(const Status& s) {
  std::string name;
  bool upper = true;
  for (char c : s.type().empty() ? std::string("exception") : s.type()) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name + "[" + s.reason() + "]";
}

struct ShardCheck {
  std::string index;
  int shard = -1;  // reported with all_shards only
  bool valid = true;
  std::string explanation;
  std::string error;
};

// Binds the query (and the alias filters the index was reached through) to one shard.
ShardCheck check_shard(cluster::IndexService& svc, int shard, const query::Query& q, const query::BoolQuery* filter) {
  ShardCheck out;
  out.index = svc.name();
  auto meta = svc.metadata();
  std::string prefix = "[" + svc.name() + "/" + meta->uuid + "] ";
  query::ShardSearchOptions opts;
  opts.top_n = 0;
  opts.track_total_hits = 0;
  opts.filter = filter;
  auto run = query::search_shard(*svc.shard(shard).snapshot(), *meta->mapping, &q, opts);
  auto text = query::query_to_text(q, *meta->mapping);
  const Status& failure = !run.is_ok() ? run.status() : text.status();
  if (!failure.is_ok()) {
    out.valid = false;
    out.error = prefix + detailed_message(failure);
    return out;
  }
  out.explanation = *text;
  if (filter != nullptr) {
    // The alias filter is a FILTER clause next to the query, as OpenSearch adds it.
    const query::Query& shown = filter->should.size() == 1 ? *filter->should[0] : static_cast<const query::Query&>(*filter);
    auto f = query::query_to_text(shown, *meta->mapping);
    auto clause = [](const std::string& s) { return s.find(' ') == std::string::npos ? s : "(" + s + ")"; };
    if (f.is_ok()) out.explanation = "+" + clause(out.explanation) + " #" + clause(*f);
  }
  return out;
}

RestResponse invalid(bool explain, const Status& why) {
  JsonWriter w;
  w.begin_object().field("valid", false);
  if (explain) w.field("error", detailed_message(why));
  w.end_object();
  return json_response(200, w);
}

RestResponse validate_query(cluster::Node& node, RestRequest& req) {
  auto explain = req.param_bool("explain", false);
  if (!explain.is_ok()) return error_response(explain.status());
  auto rewrite = req.param_bool("rewrite", false);
  if (!rewrite.is_ok()) return error_response(rewrite.status());
  auto all_shards = req.param_bool("all_shards", false);
  if (!all_shards.is_ok()) return error_response(all_shards.status());
  auto q = body_or_uri_query(req);
  if (!q.is_ok()) return invalid(*explain, q.status());
  if (!*q) *q = std::make_unique<query::MatchAllQuery>();
  Status lookups = cluster::resolve_terms_lookups(node, q->get());
  if (!lookups.is_ok()) return invalid(*explain, lookups);

  cluster::IndicesOptions defaults;
  auto targets = cluster::resolve_search_targets(node, req.has_param("index") ? req.param("index") : "_all",
                                                 indices_options(req, defaults));
  if (!targets.is_ok()) return error_response(targets.status());
  std::vector<ShardCheck> checks;
  int failed = 0;
  for (const auto& t : *targets) {
    auto svc = node.index(t.index);
    if (!svc) {
      Status closed = node.check_not_closed(t.index);
      if (!closed.is_ok()) return error_response(closed);
      continue;
    }
    if (svc->failed()) {
      failed += *all_shards ? svc->metadata()->number_of_shards : 1;
      continue;
    }
    std::unique_ptr<query::BoolQuery> filter;
    if (!t.alias_filters_json.empty()) {
      filter = std::make_unique<query::BoolQuery>();
      for (const auto& f : t.alias_filters_json) {
        auto parsed = query::parse_query(f);
        if (!parsed.is_ok()) return error_response(parsed.status());
        filter->should.push_back(std::move(parsed).value());
      }
      filter->minimum_should_match = "1";
    }
    int shards = *all_shards ? svc->num_shards() : 1;
    for (int s = 0; s < shards; ++s) {
      checks.push_back(check_shard(*svc, s, **q, filter.get()));
      if (*all_shards) checks.back().shard = s;
    }
  }
  bool valid = failed == 0;
  for (const auto& c : checks) valid &= c.valid;
  JsonWriter w;
  w.begin_object();
  write_shards_header(w, static_cast<int>(checks.size()) + failed, static_cast<int>(checks.size()), failed);
  w.field("valid", valid);
  if ((*explain || *rewrite || *all_shards) && !checks.empty()) {
    w.key("explanations").begin_array();
    for (const auto& c : checks) {
      w.begin_object().field("index", c.index);
      if (c.shard >= 0) w.field("shard", c.shard);
      w.field("valid", c.valid);
      if (!c.valid) w.field("error", c.error);
      else w.field("explanation", c.explanation);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  return json_response(200, w);
}

}  // namespace

void register_validate_handlers(Router& router, cluster::Node& node) {
  for (Method m : {Method::kGet, Method::kPost}) {
    router.add(m, "/_validate/query", [&node](RestRequest& r) { return validate_query(node, r); });
    router.add(m, "/{index}/_validate/query", [&node](RestRequest& r) { return validate_query(node, r); });
  }
}

}  // namespace sift::http
