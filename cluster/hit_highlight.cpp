#include "cluster/hit_highlight.h"


#include <set>

#include "cluster/index_names.h"
#include "cluster/source_filter.h"
#include "common/json_writer.h"

namespace sift::cluster {
namespace {

// Multi-fields (`title.keyword`) index their parent's value.
std::string source_path(const index::ResolvedField& f) {
  if (!f.is_multi_field) return f.path;
  size_t dot = f.path.rfind('.');
  return dot == std::string::npos ? f.path : f.path.substr(0, dot);
}

}  // namespace

HitHighlighter::HitHighlighter(const query::SearchRequest& req, const IndexMetadata& meta) : req_(req), meta_(meta) {
  doc_.index = meta.name;
  auto limit = parse_int_setting(meta.settings, "index.highlight.max_analyzed_offset", 1000000);
  if (limit.is_ok()) doc_.max_analyzed_offset = *limit;
  const index::Mapping& mapping = *meta.mapping;
  std::set<std::string> seen;
  for (const auto& f : req.highlight->fields) {
    query::ResolvedHighlight options = query::resolve_highlight(req.highlight->global, f.options);
    if (f.name.find('*') == std::string::npos) {
      const index::ResolvedField* rf = mapping.find(f.name);
      if (rf != nullptr && seen.insert(rf->path).second) targets_.push_back({rf, options});
      continue;
    }
    for (const auto& leaf : mapping.leaves()) {
      if (!wildcard_match(f.name, leaf.path) || !query::highlightable_by_pattern(leaf, options)) continue;
      if (seen.insert(leaf.path).second) targets_.push_back({&leaf, options});
    }
  }
}

const std::vector<query::HighlightClause>& HitHighlighter::clauses_for(const query::Query* query) {
  auto it = clauses_.find(query);
  if (it == clauses_.end()) {
    it = clauses_.emplace(query, query::collect_highlight_clauses(query, *meta_.mapping)).first;
  }
  return it->second;
}

Result<std::string> HitHighlighter::render(const std::string& doc_id, const std::string& source) {
  if (targets_.empty()) return std::string();
  SourceValues values_of(source);
  doc_.doc_id = doc_id;
  JsonWriter w;
  bool any = false;
  for (const auto& t : targets_) {
    std::vector<std::string> values = values_of.text(source_path(*t.field));
    SIFT_RETURN_IF_ERROR(query::check_highlight(*t.field, t.options, values, doc_));
    if (values.empty()) continue;
    if (t.field->type != index::FieldType::kText && t.field->type != index::FieldType::kKeyword) continue;
    const query::Query* q = t.options.highlight_query ? t.options.highlight_query : req_.query.get();
    std::vector<std::string> fragments = query::highlight_field(clauses_for(q), *t.field, values, t.options);
    if (fragments.empty()) continue;
    if (!any) w.begin_object();
    any = true;
    w.key(t.field->path).begin_array();
    for (const auto& f : fragments) w.value(f);
    w.end_array();
  }
  if (!any) return std::string();
  w.end_object();
  return w.take();
}

}  // namespace sift::cluster
