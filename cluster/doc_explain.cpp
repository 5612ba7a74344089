#include "cluster/doc_explain.h"

#include "cluster/index_service.h"
#include "cluster/search_service.h"

namespace sift::cluster {

Result<DocExplanation> explain_document(Node& node, const std::string& expression, const std::string& id,
                                        const std::string& routing, const query::Query& q) {
  IndicesOptions opts;
  opts.allow_no_indices = false;
  SIFT_ASSIGN_OR_RETURN(std::vector<SearchTarget> targets, resolve_search_targets(node, expression, opts));
  if (targets.size() != 1) {
    return invalid_argument("alias [" + expression +
                            "] has more than one index associated with it, can't execute a single index op");
  }
  const SearchTarget& target = targets[0];
  auto svc = node.index(target.index);
  if (!svc) {
    SIFT_RETURN_IF_ERROR(node.check_not_closed(target.index));
    return Status(Code::kNotFound, "index_not_found_exception", "no such index [" + expression + "]")
        .with_index(expression);
  }
  if (svc->failed()) return svc->failure();
  SIFT_ASSIGN_OR_RETURN(auto filter, alias_filter_query(target));
  DocExplanation out;
  out.index = target.index;
  int shard = svc->shard_for(id, routing);
  auto snapshot = svc->shard(shard).snapshot();
  auto meta = svc->metadata();
  for (uint32_t s = 0; s < snapshot->segments.size() && !out.found; ++s) {
    const auto& seg = snapshot->segments[s];
    auto it = seg.reader->postings("_id", id);
    for (uint32_t d = it.next(); d != index::kNoMoreDocs; d = it.next()) {
      if (seg.live && !seg.live->is_live(d)) continue;
      SIFT_ASSIGN_OR_RETURN(out.explanation, query::explain_document(*snapshot, *meta->mapping, &q, filter.get(), s, d));
      SIFT_RETURN_IF_ERROR(seg.reader->stored(d, &out.stored));
      out.found = true;
      break;
    }
  }
  return out;
}

}  // namespace sift::cluster
