// merge_segments: combines segments at the format level. Live docs are renumbered in input order;
// each field's terms are merged k-way from the inputs' sorted dictionaries and their postings are
// re-encoded with the new doc ids; norms, doc values and stored records are copied per live doc.
// Deleted docs contribute nothing (terms left without docs are dropped, stats are recomputed).
// Points are merged k-way from the inputs' sorted leaves with the new doc ids.
#include <algorithm>
#include <map>
#include <memory>

#include "index/segment.h"
#include "index/segment_writer.h"

namespace sift::index {

namespace {

constexpr size_t kTermPage = 1024;

// Walks one input's terms of a field in order, a page at a time.
struct TermCursor {
  const SegmentReader* reader = nullptr;
  size_t input = 0;
  std::vector<std::string> page;
  size_t pos = 0;

  bool done() const { return pos >= page.size(); }
  const std::string& term() const { return page[pos]; }
  void load(std::string_view field, std::string_view from) {
    page = reader->terms_from(field, from, kTermPage);
    pos = 0;
  }
  void advance(std::string_view field) {
    if (++pos < page.size()) return;
    if (page.size() < kTermPage) return;  // that was the last page
    std::string from = page.back();
    from.push_back('\0');  // the smallest term after the last one
    load(field, from);
  }
};

class FieldMerger {
 public:
  FieldMerger(const std::vector<MergeInput>& inputs, const std::vector<std::vector<uint32_t>>& maps,
              uint32_t max_doc, SegmentWriter& w)
      : inputs_(inputs), maps_(maps), max_doc_(max_doc), w_(w), seen_(max_doc, 0) {}

  Status merge(const FieldInfo& info);

 private:
  void mark(uint32_t doc) {
    if (!seen_[doc]) {
      seen_[doc] = 1;
      ++doc_count_;
    }
  }
  void merge_terms(const FieldInfo& info);
  void merge_term(const FieldInfo& info, const std::string& term, const std::vector<TermCursor*>& from);
  void merge_norms(const FieldInfo& info);
  void merge_numeric(const FieldInfo& info);
  void merge_sorted_set(const FieldInfo& info);
  Status merge_points(const FieldInfo& info);

  const std::vector<MergeInput>& inputs_;
  const std::vector<std::vector<uint32_t>>& maps_;
  uint32_t max_doc_;
  SegmentWriter& w_;
  std::vector<uint8_t> seen_;
  uint32_t doc_count_ = 0;
  ByteWriter postings_, positions_;
};

Status FieldMerger::merge(const FieldInfo& info) {
  std::fill(seen_.begin(), seen_.end(), 0);
  doc_count_ = 0;
  w_.begin_field(info);
  if (info.has_norms) merge_norms(info);  // before the terms: their block impacts read the norms
  if (info.has_postings) merge_terms(info);
  if (info.has_doc_values && info.kind == FieldIndexKind::kNumeric) merge_numeric(info);
  if (info.has_doc_values && info.kind != FieldIndexKind::kNumeric) merge_sorted_set(info);
  if (info.has_points && info.kind == FieldIndexKind::kNumeric) SIFT_RETURN_IF_ERROR(merge_points(info));
  w_.set_doc_count(doc_count_);
  w_.end_field();
  return Status::ok();
}

void FieldMerger::merge_terms(const FieldInfo& info) {
  std::vector<TermCursor> cursors(inputs_.size());
  for (size_t i = 0; i < inputs_.size(); ++i) {
    cursors[i].reader = inputs_[i].reader;
    cursors[i].input = i;
    cursors[i].load(info.name, "");
  }
  std::vector<TermCursor*> with_term;
  while (true) {
    const std::string* min = nullptr;
    for (TermCursor& c : cursors) {
      if (!c.done() && (min == nullptr || c.term() < *min)) min = &c.term();
    }
    if (min == nullptr) break;
    std::string term = *min;
    with_term.clear();
    for (TermCursor& c : cursors) {
      if (!c.done() && c.term() == term) with_term.push_back(&c);
    }
    merge_term(info, term, with_term);
    for (TermCursor* c : with_term) c->advance(info.name);
  }
}

void FieldMerger::merge_term(const FieldInfo& info, const std::string& term, const std::vector<TermCursor*>& from) {
  const bool freqs = info.kind == FieldIndexKind::kText;
  postings_.clear();
  positions_.clear();
  uint32_t doc_freq = 0;
  uint64_t total_term_freq = 0;
  uint32_t last = 0;
  for (TermCursor* c : from) {
    const std::vector<uint32_t>& map = maps_[c->input];
    PostingsIterator it = c->reader->postings(info.name, term);
    for (uint32_t d = it.next(); d != kNoMoreDocs; d = it.next()) {
      uint32_t nd = d < map.size() ? map[d] : kNoMoreDocs;
      if (nd == kNoMoreDocs) continue;
      uint32_t freq = freqs ? std::max<uint32_t>(it.freq(), 1) : 1;
      segfmt::put_posting(postings_, freqs, doc_freq == 0 ? nd : nd - last - 1, freq);
      if (info.has_positions) {
        // An input without positions (or a short list) still gets `freq` entries.
        const std::vector<uint32_t>& pos = it.positions();
        uint32_t prev = 0;
        for (uint32_t k = 0; k < freq; ++k) {
          uint32_t p = k < pos.size() ? std::max(pos[k], prev) : prev;
          positions_.put_varint(p - prev);
          prev = p;
        }
      }
      ++doc_freq;
      total_term_freq += freq;
      last = nd;
      mark(nd);
    }
  }
  if (doc_freq > 0) w_.add_term(term, doc_freq, total_term_freq, postings_.data(), positions_.data());
}

void FieldMerger::merge_norms(const FieldInfo& info) {
  std::string norms(max_doc_, '\0');
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const std::vector<uint32_t>& map = maps_[i];
    for (uint32_t d = 0; d < map.size(); ++d) {
      if (map[d] != kNoMoreDocs) norms[map[d]] = static_cast<char>(inputs_[i].reader->norm(info.name, d));
    }
  }
  w_.set_norms(norms);
}

void FieldMerger::merge_numeric(const FieldInfo& info) {
  std::vector<uint32_t> ends(max_doc_, 0);
  std::vector<int64_t> values, doc_values;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const std::vector<uint32_t>& map = maps_[i];
    for (uint32_t d = 0; d < map.size(); ++d) {
      if (map[d] == kNoMoreDocs) continue;
      inputs_[i].reader->numeric_values(info.name, d, &doc_values);
      values.insert(values.end(), doc_values.begin(), doc_values.end());
      ends[map[d]] = static_cast<uint32_t>(values.size());
      if (!doc_values.empty()) mark(map[d]);
    }
  }
  w_.set_numeric_doc_values(ends, values);
}

void FieldMerger::merge_sorted_set(const FieldInfo& info) {
  std::vector<uint32_t> ends(max_doc_, 0);
  std::vector<std::string> flat, doc_values;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const std::vector<uint32_t>& map = maps_[i];
    for (uint32_t d = 0; d < map.size(); ++d) {
      if (map[d] == kNoMoreDocs) continue;
      inputs_[i].reader->term_values(info.name, d, &doc_values);
      for (std::string& v : doc_values) flat.push_back(std::move(v));
      ends[map[d]] = static_cast<uint32_t>(flat.size());
      if (!doc_values.empty()) mark(map[d]);
    }
  }
  // Only values of live docs survive; a doc's values are sorted, so its new ordinals are too.
  std::vector<std::string_view> table(flat.begin(), flat.end());
  std::sort(table.begin(), table.end());
  table.erase(std::unique(table.begin(), table.end()), table.end());
  std::vector<uint32_t> ords(flat.size());
  for (size_t k = 0; k < flat.size(); ++k) {
    ords[k] = static_cast<uint32_t>(std::lower_bound(table.begin(), table.end(), flat[k]) - table.begin());
  }
  w_.set_sorted_set_doc_values(table, ends, ords);
}

// One input's points in (value, new doc) order, deleted docs skipped, decoded a leaf at a time.
struct PointCursor {
  PointValues points;
  const std::vector<uint32_t>* map = nullptr;
  std::unique_ptr<PointValues::Leaf> leaf = std::make_unique<PointValues::Leaf>();
  uint32_t next_leaf = 0, pos = 0;
  int64_t value = 0;
  uint32_t doc = 0;
  bool started = false;
  bool done = false;

  Status advance() {
    while (true) {
      if (pos >= leaf->count) {
        if (next_leaf >= points.num_leaves()) {
          done = true;
          return Status::ok();
        }
        SIFT_RETURN_IF_ERROR(points.read_leaf(next_leaf++, true, leaf.get()));
        pos = 0;
      }
      const uint32_t old = leaf->docs[pos];
      const int64_t v = leaf->values[pos++];
      const uint32_t d = old < map->size() ? (*map)[old] : kNoMoreDocs;
      if (d == kNoMoreDocs) continue;
      // The writer takes pairs in order only; a tampered input that breaks it fails the merge.
      if (started && (v < value || (v == value && d < doc))) return corruption("points out of order");
      started = true;
      value = v;
      doc = d;
      return Status::ok();
    }
  }
  bool before(const PointCursor& o) const { return value < o.value || (value == o.value && doc < o.doc); }
};

// Doc maps keep each input's order, so every input's pairs stay sorted under the new ids and a
// k-way merge of the inputs is the merged segment's order.
Status FieldMerger::merge_points(const FieldInfo& info) {
  std::vector<PointCursor> cursors;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    PointValues points = inputs_[i].reader->points(info.name);
    if (points.empty()) continue;
    cursors.emplace_back();
    cursors.back().points = points;
    cursors.back().map = &maps_[i];
  }
  for (PointCursor& c : cursors) SIFT_RETURN_IF_ERROR(c.advance());
  PointsWriter out;
  while (true) {
    PointCursor* min = nullptr;
    for (PointCursor& c : cursors) {
      if (!c.done && (min == nullptr || c.before(*min))) min = &c;
    }
    if (min == nullptr) break;
    out.add(min->value, min->doc);
    mark(min->doc);
    SIFT_RETURN_IF_ERROR(min->advance());
  }
  out.finish();
  w_.set_points(out);
  return Status::ok();
}

}  // namespace

Result<std::string> merge_segments(const std::vector<MergeInput>& inputs, const std::string& segment_id,
                                   std::vector<std::vector<uint32_t>>* doc_maps) {
  doc_maps->assign(inputs.size(), {});
  uint64_t next = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    uint32_t n = inputs[i].reader->max_doc();
    std::vector<uint32_t>& map = (*doc_maps)[i];
    map.resize(n);
    for (uint32_t d = 0; d < n; ++d) {
      map[d] = inputs[i].live != nullptr && inputs[i].live->is_deleted(d) ? kNoMoreDocs : static_cast<uint32_t>(next++);
    }
  }
  if (next >= kNoMoreDocs) return invalid_argument("merged segment [" + segment_id + "] would have too many docs");
  const uint32_t max_doc = static_cast<uint32_t>(next);

  // Union of the inputs' fields; flags are OR-ed, the first input decides the kind.
  std::map<std::string, FieldInfo> fields;
  for (const MergeInput& in : inputs) {
    for (const FieldInfo& f : in.reader->fields()) {
      auto [it, inserted] = fields.emplace(f.name, f);
      FieldInfo& m = it->second;
      if (inserted) continue;
      m.has_postings |= f.has_postings;
      m.has_positions |= f.has_positions;
      m.has_norms |= f.has_norms;
      m.has_doc_values |= f.has_doc_values;
      m.has_points |= f.has_points;
    }
  }

  SegmentWriter w(segment_id, max_doc);
  FieldMerger merger(inputs, *doc_maps, max_doc, w);
  for (auto& [name, info] : fields) {
    info.has_positions = info.has_positions && info.kind == FieldIndexKind::kText;
    info.has_norms = info.has_norms && info.kind == FieldIndexKind::kText;
    SIFT_RETURN_IF_ERROR(merger.merge(info));
  }
  StoredDocument doc;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::vector<uint32_t>& map = (*doc_maps)[i];
    for (uint32_t d = 0; d < map.size(); ++d) {
      if (map[d] == kNoMoreDocs) continue;
      SIFT_RETURN_IF_ERROR(inputs[i].reader->stored(d, &doc));
      w.add_stored(doc.meta, doc.source);
    }
  }
  return w.finish();
}

}  // namespace sift::index
