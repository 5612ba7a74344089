#include "query/nested_sort.h"

#include <algorithm>

#include "index/segment_format.h"
#include "query/segment_evaluator.h"

namespace sift::query {
namespace {

using index::FieldType;

Status shard_error(const std::string& reason) {
  return Status(Code::kInvalidArgument, "query_shard_exception", reason);
}

// True when `ancestor` is `path` or a nested object above it.
bool nested_within(const index::Mapping& mapping, const std::string& path, const std::string& ancestor) {
  const auto& parents = mapping.nested_parents();
  std::string p = path;
  for (int guard = 0; guard < 64 && !p.empty(); ++guard) {
    if (p == ancestor) return true;
    auto it = parents.find(p);
    if (it == parents.end()) return false;
    p = it->second;
  }
  return false;
}

}  // namespace

Status bind_nested_sort(const SortSpec& spec, const index::ResolvedField& field, const index::Mapping& mapping,
                        SortKey* key) {
  if (spec.nested == nullptr) {
    if (field.nested_path.empty()) return Status::ok();
    const index::FieldMapping* obj = mapping.find_object(field.nested_path);
    auto it = obj != nullptr ? obj->other_params.find("include_in_root") : decltype(obj->other_params.end()){};
    if (obj != nullptr && it != obj->other_params.end() && it->second == "true") return Status::ok();
    return shard_error("it is mandatory to set the [nested] context on the nested sort field: [" + spec.field + "].");
  }
  if (key->reduce == SortKey::Reduce::kMedian) return invalid_argument("Unsupported sort mode: MEDIAN");
  for (const NestedSortSpec* level = spec.nested.get(); level != nullptr; level = level->nested.get()) {
    const index::FieldMapping* obj = mapping.find_object(level->path);
    if (obj == nullptr) return shard_error("[nested] failed to find nested object under path [" + level->path + "]");
    if (obj->type != FieldType::kNested) {
      return shard_error("[nested] nested object under path [" + level->path + "] is not of nested type");
    }
    if (!key->nested.empty() && (level->path == key->nested.back().path ||
                                 !nested_within(mapping, level->path, key->nested.back().path))) {
      return shard_error("[nested] nested object under path [" + level->path + "] is not a child of [" +
                         key->nested.back().path + "]");
    }
    if (level->filter != nullptr) SIFT_RETURN_IF_ERROR(check_nested_queries(*level->filter, mapping));
    key->nested.push_back({level->path, level->filter, level->max_children});
  }
  return Status::ok();
}

Result<std::vector<std::vector<uint32_t>>> nested_sort_docs(SegmentEvaluator& eval, const index::ReaderSegment& seg,
                                                            const std::vector<SortKey>& keys) {
  std::vector<std::vector<uint32_t>> out(keys.size());
  for (size_t k = 0; k < keys.size(); ++k) {
    std::vector<uint32_t> outer;  // the previous level's docs
    for (size_t l = 0; l < keys[k].nested.size(); ++l) {
      const SortKey::NestedLevel& level = keys[k].nested[l];
      SIFT_ASSIGN_OR_RETURN(DocScores matched, eval.nested_path_docs(level.path, level.filter.get(), seg));
      std::vector<uint32_t> docs;
      docs.reserve(matched.docs.size());
      if (l == 0) {
        docs = std::move(matched.docs);
      } else {  // keep those whose enclosing object of the previous level is kept: the first doc of
                // that path after the child (children precede their parents)
        auto parents = seg.reader->postings(index::segfmt::kNestedPathField, keys[k].nested[l - 1].path);
        uint32_t parent = index::kNoMoreDocs;
        bool started = false;
        for (uint32_t child : matched.docs) {
          if (!started || (parent != index::kNoMoreDocs && parent <= child)) {
            parent = parents.advance(child + 1);
            started = true;
          }
          if (parent == index::kNoMoreDocs) break;
          if (std::binary_search(outer.begin(), outer.end(), parent)) docs.push_back(child);
        }
      }
      outer = std::move(docs);
    }
    out[k] = std::move(outer);
  }
  return out;
}

std::span<const uint32_t> nested_sort_children(const index::ReaderSegment& seg, const std::vector<uint32_t>& docs,
                                               uint32_t root) {
  const uint32_t first = seg.reader->block_start(root);
  auto begin = std::lower_bound(docs.begin(), docs.end(), first);
  auto end = std::lower_bound(begin, docs.end(), root);
  return {docs.data() + (begin - docs.begin()), static_cast<size_t>(end - begin)};
}

}  // namespace sift::query
