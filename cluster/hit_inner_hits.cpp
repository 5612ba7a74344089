#include "cluster/hit_inner_hits.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json_writer.h"

namespace sift::cluster {

namespace {

using Value = rapidjson::Value;

// The member at a dotted path: the whole key first, else object by object.
const Value* member(const Value& obj, std::string_view path) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(rapidjson::StringRef(path.data(), path.size()));
  if (it != obj.MemberEnd()) return &it->value;
  for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    auto head = obj.FindMember(rapidjson::StringRef(path.data(), dot));
    if (head == obj.MemberEnd()) continue;
    if (const Value* v = member(head->value, path.substr(dot + 1))) return v;
  }
  return nullptr;
}

// The object of one nested hit, following its levels; nullptr when the source does not have it.
const Value* nested_object(const Value& root, const std::vector<query::NestedLevel>& levels) {
  const Value* cur = &root;
  for (const auto& l : levels) {
    const Value* v = member(*cur, l.field);
    if (v == nullptr) return nullptr;
    if (v->IsArray()) {
      // Offsets count the objects of the array (nulls and other values make no nested doc).
      uint32_t n = 0;
      const Value* found = nullptr;
      for (const Value& e : v->GetArray()) {
        if (!e.IsObject()) continue;
        if (n++ == l.offset) {
          found = &e;
          break;
        }
      }
      v = found;
    } else if (l.offset != 0) {
      v = nullptr;
    }
    if (v == nullptr || !v->IsObject()) return nullptr;
    cur = v;
  }
  return cur;
}

void write_levels(JsonWriter& w, const std::vector<query::NestedLevel>& levels, size_t k) {
  w.begin_object().field("field", levels[k].field).field("offset", levels[k].offset);
  if (k + 1 < levels.size()) {
    w.key("_nested");
    write_levels(w, levels, k + 1);
  }
  w.end_object();
}

}  // namespace

Result<std::string> render_inner_hits(const std::vector<const query::NestedQuery*>& queries,
                                      query::InnerHitsFinder& finder, uint32_t segment, uint32_t doc,
                                      const std::string& index, const std::string& id, std::string_view source) {
  rapidjson::Document root;
  bool need_source = false;
  for (const auto* q : queries) need_source |= q->inner_hits->source;
  if (need_source) root.Parse(source.data(), source.size());
  JsonWriter w;
  w.begin_object();
  for (const auto* q : queries) {
    SIFT_ASSIGN_OR_RETURN(query::NestedInnerHits found, finder.find(*q, segment, doc));
    w.key(q->inner_hits->name).begin_object().key("hits").begin_object();
    w.key("total").begin_object().field("value", found.total).field("relation", "eq").end_object();
    w.key("max_score");
    if (found.total > 0) w.value(found.max_score);
    else w.null();
    w.key("hits").begin_array();
    for (const auto& h : found.hits) {
      w.begin_object().field("_index", index).field("_id", id);
      w.key("_nested");
      write_levels(w, h.levels, 0);
      w.field("_score", h.score);
      if (q->inner_hits->source && !root.HasParseError()) {
        if (const Value* obj = nested_object(root, h.levels)) {
          rapidjson::StringBuffer buf;
          rapidjson::Writer<rapidjson::StringBuffer> jw(buf);
          obj->Accept(jw);
          w.key("_source").raw(std::string_view(buf.GetString(), buf.GetSize()));
        }
      }
      w.end_object();
    }
    w.end_array().end_object().end_object();
  }
  w.end_object();
  return w.take();
}

}  // namespace sift::cluster
