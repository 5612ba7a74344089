#include "cluster/search_service.h"

#include <algorithm>
#include <mutex>
#include <map>
#include <set>

#include "cluster/hit_fields.h"
#include "cluster/hit_highlight.h"
#include "cluster/hit_inner_hits.h"
#include "cluster/source_filter.h"
#include "cluster/index_names.h"
#include "cluster/search_pool.h"
#include "cluster/search_rewrite.h"
#include "cluster/settings.h"
#include "common/time_util.h"
#include "index/date_format.h"
#include "query/dsl_parser.h"
#include "query/explain.h"
#include "query/searcher.h"
#include "query/sort_numeric.h"

namespace sift::cluster {
namespace {

struct Candidate {
  int target;        // index into the shard targets
  query::ShardHit hit;
  uint64_t global_doc;
};

struct ShardTarget {
  std::shared_ptr<IndexService> service;
  IndexMetadataPtr meta;
  int shard;
  std::shared_ptr<const index::ShardSnapshot> snapshot;
  const query::Query* filter;
};

}  // namespace

Result<std::vector<SearchTarget>> resolve_search_targets(const Node& node, const std::string& expression,
                                                         const IndicesOptions& opts) {
  SIFT_ASSIGN_OR_RETURN(std::vector<std::string> names, node.resolve(expression, opts));
  auto state = node.state();
  std::map<std::string, std::vector<std::string>> filters;  // index -> filters of filtered aliases
  std::set<std::string> unfiltered;
  std::set<std::string> parts;
  size_t start = 0;
  while (start <= expression.size()) {
    size_t comma = expression.find(',', start);
    parts.insert(expression.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (const auto& name : names) {
    auto it = state->indices.find(name);
    bool through_alias_only = it != state->indices.end() && !parts.count(name) && !parts.count("_all") &&
                              !parts.count("*") && !parts.count("");
    if (through_alias_only) {
      for (const auto& p : parts) {
        if (p.find('*') != std::string::npos && wildcard_match(p, name)) through_alias_only = false;
      }
    }
    if (!through_alias_only || it == state->indices.end()) {
      unfiltered.insert(name);
      continue;
    }
    bool any_unfiltered_alias = false;
    for (const auto& [alias, a] : it->second->aliases) {
      bool named = parts.count(alias) > 0;
      for (const auto& p : parts) named |= p.find('*') != std::string::npos && wildcard_match(p, alias);
      if (!named) continue;
      if (a.filter_json.empty()) any_unfiltered_alias = true;
      else filters[name].push_back(a.filter_json);
    }
    if (any_unfiltered_alias) unfiltered.insert(name);
  }
  std::vector<SearchTarget> out;
  for (const auto& name : names) {
    SearchTarget t{name, {}};
    if (!unfiltered.count(name)) t.alias_filters_json = filters[name];
    out.push_back(std::move(t));
  }
  return out;
}

struct PointInTime {
  std::vector<ShardTarget> targets;
  std::vector<ShardFailure> failures;      // failed indices, reported in every page
  int failed_shards = 0;
  std::map<std::string, std::unique_ptr<query::Query>> alias_filters;
};

Result<std::unique_ptr<query::Query>> alias_filter_query(const SearchTarget& target) {
  if (target.alias_filters_json.empty()) return std::unique_ptr<query::Query>();
  auto any = std::make_unique<query::BoolQuery>();
  for (const auto& f : target.alias_filters_json) {
    SIFT_ASSIGN_OR_RETURN(auto q, query::parse_query(f));
    any->should.push_back(std::move(q));
  }
  any->minimum_should_match = "1";
  return std::unique_ptr<query::Query>(std::move(any));
}

Result<std::shared_ptr<PointInTime>> capture_point_in_time(Node& node, const std::vector<SearchTarget>& search_targets) {
  auto pit = std::make_shared<PointInTime>();
  // Alias filters, parsed once per index.
  for (const auto& t : search_targets) {
    SIFT_ASSIGN_OR_RETURN(auto filter, alias_filter_query(t));
    SIFT_RETURN_IF_ERROR(resolve_terms_lookups(node, filter.get()));
    if (filter) pit->alias_filters[t.index] = std::move(filter);
  }
  for (const auto& target : search_targets) {
    const std::string& name = target.index;
    auto svc = node.index(name);
    if (!svc) {
      SIFT_RETURN_IF_ERROR(node.check_not_closed(name));
      continue;
    }
    IndexMetadataPtr meta = svc->metadata();
    if (svc->failed()) {
      for (int s = 0; s < meta->number_of_shards; ++s) pit->failures.push_back({name, s, svc->failure()});
      pit->failed_shards += meta->number_of_shards;
      continue;
    }
    const query::Query* filter = pit->alias_filters.count(name) ? pit->alias_filters[name].get() : nullptr;
    for (int s = 0; s < svc->num_shards(); ++s) pit->targets.push_back({svc, meta, s, svc->shard(s).snapshot(), filter});
  }
  return pit;
}

void point_in_time_shards(const PointInTime& pit, int* total, std::vector<ShardFailure>* failures) {
  *total = static_cast<int>(pit.targets.size()) + pit.failed_shards;
  *failures = pit.failures;
}

Result<SearchResult> run_search(Node& node, const std::vector<SearchTarget>& search_targets,
                                const query::SearchRequest& req) {
  SIFT_ASSIGN_OR_RETURN(auto pit, capture_point_in_time(node, search_targets));
  return run_search_on(*pit, req, true);
}

namespace {

// Spreads a slice over the shards as OpenSearch does: with fewer slices than shards each slice
// takes whole shards (shard % max == id); otherwise every shard serves max / shards slices (one
// more for the first max % shards), split by _id hash.
Status assign_slice(const query::SliceSpec& slice, const std::vector<ShardTarget>& targets,
                    std::vector<query::ShardSearchOptions>* opts, std::vector<char>* skip) {
  for (size_t t = 0; t < targets.size(); ++t) {
    const IndexMetadata& meta = *targets[t].meta;
    auto limit = parse_int_setting(meta.settings, "index.max_slices_per_scroll", 1024);
    if (limit.is_ok() && slice.max > *limit) {
      return invalid_argument("The number of slices [" + std::to_string(slice.max) +
                              "] is too large. It must be less than [" + std::to_string(*limit) +
                              "]. This limit can be set by changing the [index.max_slices_per_scroll] index level setting.");
    }
    const int shards = meta.number_of_shards, shard = targets[t].shard;
    if (slice.max < shards) {
      (*skip)[t] = shard % slice.max != slice.id;
      continue;
    }
    const int target_shard = slice.id % shards;
    if (shard != target_shard) {
      (*skip)[t] = 1;
      continue;
    }
    int in_shard = slice.max / shards + (slice.max % shards > target_shard ? 1 : 0);
    if (in_shard == 1) continue;
    (*opts)[t].slice_id = static_cast<uint32_t>(slice.id / shards);
    (*opts)[t].slice_max = static_cast<uint32_t>(in_shard);
  }
  return Status::ok();
}

}  // namespace

Result<SearchResult> run_search_on(const PointInTime& pit, const query::SearchRequest& req, bool enforce_window) {
  int64_t start = monotonic_nanos();
  SearchResult result;
  const std::vector<ShardTarget>& targets = pit.targets;
  result.failures = pit.failures;
  result.total_shards = pit.failed_shards;
  if (enforce_window) {
    for (const auto& t : targets) {
      if (req.from + req.size > t.meta->max_result_window) {
        return invalid_argument("Result window is too large, from + size must be less than or equal to: [" +
                                std::to_string(t.meta->max_result_window) + "] but was [" +
                                std::to_string(req.from + req.size) +
                                "]. See the scroll api for a more efficient way to request large data sets. This "
                                "limit can be set by changing the [index.max_result_window] index level setting.");
      }
    }
  }
  // Sorting: by score (default), by index order (`_doc` first), or by field values.
  bool by_doc = req.sort.size() == 1 && req.sort[0].field == "_doc";
  bool by_fields = !req.sort.empty() && !by_doc && !(req.sort.size() == 1 && req.sort[0].field == "_score" &&
                                                     req.sort[0].descending);
  std::vector<std::vector<query::SortKey>> keys_per_target(targets.size());
  if (by_fields) {
    for (size_t t = 0; t < targets.size(); ++t) {
      SIFT_ASSIGN_OR_RETURN(keys_per_target[t], query::resolve_sort(req.sort, *targets[t].meta->mapping));
    }
  }
  if (!req.search_after.empty()) {
    if (!by_fields && !by_doc) {
      return invalid_argument("Sort must contain at least one field.");
    }
    if (req.search_after.size() != req.sort.size()) {
      return invalid_argument("search_after has " + std::to_string(req.search_after.size()) +
                              " value(s) but sort has " + std::to_string(req.sort.size()) + ".");
    }
  }
  query::ShardSearchOptions opts;
  opts.top_n = static_cast<size_t>(req.from + req.size);
  opts.by_doc = by_doc;
  opts.track_total_hits = req.track_total_hits;
  if (req.min_score) {
    opts.has_min_score = true;
    opts.min_score = *req.min_score;
  }
  opts.terminate_after = req.terminate_after;

  if (!req.timeout.empty() && req.timeout != "-1") {
    SIFT_ASSIGN_OR_RETURN(int64_t timeout_ms, parse_time_millis(req.timeout, "timeout"));
    opts.deadline_nanos = start + std::max<int64_t>(timeout_ms, 0) * 1'000'000;
  }

  // Per-shard options first (search_after values are bound to each shard's mapping), then the
  // query phase of every shard in parallel, then the merge.
  std::vector<query::ShardSearchOptions> shard_opts;
  shard_opts.reserve(targets.size());
  for (size_t t = 0; t < targets.size(); ++t) {
    opts.filter = targets[t].filter;
    opts.sort = keys_per_target[t];
    auto index_boost = req.index_boosts.find(targets[t].service->name());
    opts.score_boost = index_boost == req.index_boosts.end() ? 1.0f : index_boost->second;
    auto max_regex = parse_int_setting(targets[t].meta->settings, "index.max_regex_length", 1000);
    opts.max_regex_length = max_regex.is_ok() ? *max_regex : 1000;
    opts.search_after.clear();
    if (by_doc && !req.search_after.empty()) {
      // Index order: resume after the given shard doc number (as a field sort on _doc).
      query::SortKey doc_key;
      doc_key.type = query::SortKey::Type::kDoc;
      doc_key.descending = req.sort[0].descending;
      opts.sort = {doc_key};
    }
    for (size_t i = 0; i < req.search_after.size() && i < opts.sort.size(); ++i) {
      // Numbers as the sort values were rendered, formatted dates in the field's format (and
      // resolution), unsigned_long exactly (query/sort_numeric.h).
      const auto* rf = targets[t].meta->mapping->find(opts.sort[i].field);
      SIFT_ASSIGN_OR_RETURN(query::SortValue v, query::bind_search_after_value(req.search_after[i], opts.sort[i], rf));
      opts.search_after.push_back(std::move(v));
    }
    shard_opts.push_back(opts);
  }
  std::vector<char> skip(targets.size(), 0);  // shards outside the request's slice
  if (req.slice) SIFT_RETURN_IF_ERROR(assign_slice(*req.slice, targets, &shard_opts, &skip));
  std::vector<Result<query::ShardSearchResult>> shard_results(targets.size(), Result<query::ShardSearchResult>(query::ShardSearchResult{}));
  parallel_for(targets.size(), [&](size_t t) {
    if (skip[t]) return;
    shard_results[t] = query::search_shard(*targets[t].snapshot, *targets[t].meta->mapping, req.query.get(), shard_opts[t]);
  });

  std::vector<Candidate> all;
  result.total_shards += static_cast<int>(targets.size());
  for (size_t t = 0; t < targets.size(); ++t) {
    auto& r = shard_results[t];
    if (!r.is_ok()) {
      // Query-construction errors are the request's fault: fail the whole search with them.
      if (r.status().code() == Code::kInvalidArgument || r.status().code() == Code::kParseError) {
        return std::move(r).take_status();
      }
      result.failures.push_back({targets[t].service->name(), targets[t].shard, r.status()});
      continue;
    }
    ++result.successful_shards;
    result.total_hits += r->total_hits;
    result.terminated_early |= r->terminated_early;
    result.timed_out |= r->timed_out;
    if (r->has_max_score && (!result.has_max_score || r->max_score > result.max_score)) {
      result.max_score = r->max_score;
      result.has_max_score = true;
    }
    for (const auto& h : r->top) {
      const auto& seg = targets[t].snapshot->segments[h.segment];
      all.push_back({static_cast<int>(t), h, seg.base + static_cast<uint64_t>(h.doc)});
    }
  }
  if (by_fields) {
    const auto& keys = keys_per_target.empty() ? std::vector<query::SortKey>{} : keys_per_target[0];
    std::stable_sort(all.begin(), all.end(), [&](const Candidate& a, const Candidate& b) {
      int c = query::compare_sort_values(a.hit.sort_values, b.hit.sort_values, keys);
      if (c != 0) return c < 0;
      if (a.target != b.target) return a.target < b.target;
      return a.global_doc < b.global_doc;
    });
  } else if (by_doc) {
    bool desc = req.sort[0].descending;
    std::stable_sort(all.begin(), all.end(), [&](const Candidate& a, const Candidate& b) {
      if (a.global_doc != b.global_doc) return desc ? a.global_doc > b.global_doc : a.global_doc < b.global_doc;
      return a.target < b.target;
    });
  } else {
    std::stable_sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
      if (a.hit.score != b.hit.score) return a.hit.score > b.hit.score;
      if (a.target != b.target) return a.target < b.target;
      return a.global_doc < b.global_doc;
    });
  }
  if (req.track_total_hits < 0) {
    result.track_total = false;
  } else if (result.total_hits > static_cast<uint64_t>(req.track_total_hits)) {
    result.total_hits = static_cast<uint64_t>(req.track_total_hits);
    result.total_is_lower_bound = true;
  }
  // Fetch phase: only the page's winners.
  size_t from = static_cast<size_t>(req.from);
  size_t end = std::min(all.size(), from + static_cast<size_t>(req.size));
  std::map<const IndexMetadata*, std::unique_ptr<HitHighlighter>> highlighters;  // per index
  std::vector<const query::NestedQuery*> inner_hits;
  if (req.query) {
    SIFT_ASSIGN_OR_RETURN(inner_hits, query::inner_hits_queries(*req.query));
  }
  std::map<int, std::unique_ptr<query::InnerHitsFinder>> inner_finders;  // per target
  for (size_t i = from; i < end; ++i) {
    const Candidate& c = all[i];
    const ShardTarget& target = targets[static_cast<size_t>(c.target)];
    const auto& seg = target.snapshot->segments[c.hit.segment];
    index::StoredDocument stored;
    Status st = seg.reader->stored(c.hit.doc, &stored);
    if (!st.is_ok()) {
      result.failures.push_back({target.service->name(), target.shard, st});
      continue;
    }
    SearchHit hit;
    hit.index = target.service->name();
    hit.id = stored.meta.id;
    hit.routing = stored.meta.routing;
    hit.score = c.hit.score;
    hit.has_score = !by_doc && !by_fields;
    hit.version = stored.meta.version;
    hit.seq_no = stored.meta.seq_no;
    hit.primary_term = stored.meta.primary_term;
    if (by_doc) {
      query::SortValue v;
      v.kind = query::SortValue::Kind::kLong;
      v.l = static_cast<int64_t>(c.global_doc);
      hit.sort_values.push_back(v);
    } else if (by_fields) {
      hit.sort_values = c.hit.sort_values;
    }
    if (hit_includes_source(req)) {
      SIFT_ASSIGN_OR_RETURN(std::string filtered, filter_source(stored.source, req.source.includes, req.source.excludes));
      hit.source = std::move(filtered);
    }
    hit.fields_json = render_hit_fields(req, *target.meta->mapping, seg, c.hit.doc, stored.source);
    if (req.highlight) {
      auto& h = highlighters[target.meta.get()];
      if (!h) h = std::make_unique<HitHighlighter>(req, *target.meta);
      SIFT_ASSIGN_OR_RETURN(hit.highlight_json, h->render(hit.id, stored.source));
    }
    if (req.explain) {
      SIFT_ASSIGN_OR_RETURN(query::Explanation e,
                            query::explain_document(*target.snapshot, *target.meta->mapping, req.query.get(),
                                                    target.filter, c.hit.segment, c.hit.doc,
                                                    shard_opts[static_cast<size_t>(c.target)].score_boost));
      JsonWriter ew;
      query::write_explanation(ew, e);
      hit.explanation_json = ew.take();
    }
    if (!inner_hits.empty()) {
      auto& finder = inner_finders[c.target];
      if (!finder) finder = std::make_unique<query::InnerHitsFinder>(*target.snapshot, *target.meta->mapping);
      SIFT_ASSIGN_OR_RETURN(hit.inner_hits_json, render_inner_hits(inner_hits, *finder, c.hit.segment, c.hit.doc,
                                                                   hit.index, hit.id, stored.source));
    }
    hit.shard = target.shard;
    result.hits.push_back(std::move(hit));
  }
  if (by_doc || by_fields) result.has_max_score = false;
  result.took_ms = (monotonic_nanos() - start) / 1'000'000;
  return result;
}

namespace {

struct ScrollContext {
  std::shared_ptr<PointInTime> pit;
  query::SearchRequest req;
  int64_t next_from = 0;
  int64_t keep_alive_ms = 60000;
  int64_t expires_ms = 0;
};

// Process-wide: one node per process. Expired contexts are dropped whenever the registry is used.
struct ScrollRegistry {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<ScrollContext>> contexts;
  uint64_t counter = 0;

  void expire_locked(int64_t now) {
    for (auto it = contexts.begin(); it != contexts.end();) {
      it = it->second->expires_ms < now ? contexts.erase(it) : std::next(it);
    }
  }
};

ScrollRegistry& registry() {
  static ScrollRegistry r;
  return r;
}

}  // namespace

std::string open_scroll(std::shared_ptr<PointInTime> pit, query::SearchRequest req, int64_t keep_alive_ms,
                        int64_t next_from) {
  auto ctx = std::make_shared<ScrollContext>();
  ctx->pit = std::move(pit);
  ctx->req = std::move(req);
  ctx->next_from = next_from;
  ctx->keep_alive_ms = keep_alive_ms;
  ctx->expires_ms = now_millis() + keep_alive_ms;
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.expire_locked(now_millis());
  // Opaque, unguessable enough for one node: a counter plus random bits.
  std::string id = random_uuid() + std::to_string(++r.counter);
  r.contexts[id] = std::move(ctx);
  return id;
}

Result<SearchResult> scroll_next(const std::string& scroll_id, std::optional<int64_t> keep_alive_ms,
                                 const query::SearchRequest** request) {
  std::shared_ptr<ScrollContext> ctx;
  {
    auto& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    r.expire_locked(now_millis());
    auto it = r.contexts.find(scroll_id);
    if (it == r.contexts.end()) {
      return Status(Code::kNotFound, "search_context_missing_exception",
                    "No search context found for id [" + scroll_id + "]");
    }
    ctx = it->second;
    if (keep_alive_ms) ctx->keep_alive_ms = *keep_alive_ms;
    ctx->expires_ms = now_millis() + ctx->keep_alive_ms;
  }
  query::SearchRequest& req = ctx->req;
  req.from = ctx->next_from;
  SIFT_ASSIGN_OR_RETURN(SearchResult page, run_search_on(*ctx->pit, req, false));
  ctx->next_from += static_cast<int64_t>(page.hits.size());
  *request = &ctx->req;
  return page;
}

size_t clear_scrolls(const std::vector<std::string>& ids) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.expire_locked(now_millis());
  size_t freed = 0;
  for (const auto& id : ids) {
    if (id == "_all") {
      freed += r.contexts.size();
      r.contexts.clear();
    } else {
      freed += r.contexts.erase(id);
    }
  }
  return freed;
}

}  // namespace sift::cluster
