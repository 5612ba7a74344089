// SegmentBuilder: the in-memory buffer between refreshes. Every term owns a growing byte buffer
// already in the on-disk postings encoding, so `finish` only sorts terms and copies bytes.
// A term's entry for the current doc stays pending (doc + freq) until the term is seen in a later
// doc or the segment is finished, so a field repeated within one doc still yields one entry.
#include <algorithm>
#include <cstring>
#include <deque>
#include <numeric>
#include <unordered_map>

#include "index/numeric_codec.h"
#include "index/points.h"
#include "index/segment.h"
#include "index/segment_format.h"
#include "index/segment_writer.h"

namespace sift::index {

namespace {

constexpr uint32_t kNoDoc = 0xffffffffu;
constexpr size_t kTermOverhead = 160;  // table slots, arena offset, postings entry with two buffers

struct TermPostings {
  ByteWriter postings;
  ByteWriter positions;
  uint32_t doc_freq = 0;
  uint64_t total_term_freq = 0;
  uint32_t last_doc = 0;        // last flushed doc
  uint32_t cur_doc = kNoDoc;    // pending doc
  uint32_t cur_freq = 0;
  uint32_t last_pos = 0;
};

// A field's terms: an open-addressing table of term ids over one byte arena, postings in a vector
// indexed by id. A lookup touches one slot (hash and id together) and the arena bytes it compares,
// instead of a node-based map's bucket, node and string.
class TermTable {
 public:
  // The id of `term`, added (with empty postings) when new; `*added` says which.
  uint32_t find_or_add(std::string_view term, bool* added) {
    if ((postings_.size() + 1) * 4 > slots_.size() * 3) grow();
    const uint64_t h = hash(term);
    const uint32_t tag = static_cast<uint32_t>(h >> 32) | 1u;  // never 0: 0 marks an empty slot
    size_t mask = slots_.size() - 1;
    for (size_t i = static_cast<size_t>(h) & mask;; i = (i + 1) & mask) {
      const uint64_t slot = slots_[i];
      if (slot == 0) {
        uint32_t id = static_cast<uint32_t>(postings_.size());
        slots_[i] = (static_cast<uint64_t>(tag) << 32) | id;
        starts_.push_back(static_cast<uint32_t>(arena_.size()));
        arena_.append(term);
        SIFT_ASSERT(arena_.size() < UINT32_MAX);
        postings_.emplace_back();
        *added = true;
        return id;
      }
      if (static_cast<uint32_t>(slot >> 32) == tag) {
        uint32_t id = static_cast<uint32_t>(slot);
        if (term_of(id) == term) {
          *added = false;
          return id;
        }
      }
    }
  }
  std::string_view term_of(uint32_t id) const {
    uint32_t start = starts_[id];
    uint32_t end = id + 1 < starts_.size() ? starts_[id + 1] : static_cast<uint32_t>(arena_.size());
    return std::string_view(arena_).substr(start, end - start);
  }
  TermPostings& postings(uint32_t id) { return postings_[id]; }
  size_t size() const { return postings_.size(); }
  void clear() {
    std::vector<uint64_t>().swap(slots_);
    std::vector<uint32_t>().swap(starts_);
    std::string().swap(arena_);
    std::vector<TermPostings>().swap(postings_);
  }

 private:
  static uint64_t hash(std::string_view s) {
    // 8 bytes at a time, multiply-xorshift mixing; good enough spread for short terms.
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t v;
      std::memcpy(&v, s.data() + i, 8);
      h = (h ^ v) * 0xff51afd7ed558ccdULL;
      h ^= h >> 32;
    }
    uint64_t tail = 0;
    if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 32);
  }
  void grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
    size_t mask = slots_.size() - 1;
    for (uint64_t slot : old) {
      if (slot == 0) continue;
      uint64_t h = hash(term_of(static_cast<uint32_t>(slot)));
      size_t i = static_cast<size_t>(h) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<uint64_t> slots_;  // (tag << 32) | id; 0 = empty
  std::vector<uint32_t> starts_; // term id -> offset in arena_
  std::string arena_;
  std::vector<TermPostings> postings_;
};

struct FieldState {
  FieldIndexKind kind = FieldIndexKind::kTerm;
  NumericKind numeric_kind = NumericKind::kLong;
  bool has_postings = false;
  bool has_positions = false;
  bool has_norms = false;
  bool has_doc_values = false;
  uint32_t doc_count = 0;
  uint32_t last_counted_doc = kNoDoc;
  TermTable terms;
  std::vector<uint8_t> norms;          // grows to the last doc with a norm
  // Doc values, dense ends per doc up to the last doc with values.
  std::vector<uint32_t> dv_ends;
  std::vector<int64_t> dv_longs;
  std::vector<uint32_t> dv_ords;       // temporary ordinals into dv_table
  std::unordered_map<std::string, uint32_t> dv_table;
  // Points (indexed numeric values): read from the doc values at finish while every doc's indexed
  // values are exactly its doc values (the usual mapping), else kept here.
  bool has_points = false;
  bool points_in_dv = true;
  PointPairs points;
};

}  // namespace

struct SegmentBuilder::Impl {
  std::unordered_map<std::string, FieldState> fields;
  std::deque<DocMeta> metas;       // deque: references stay valid while docs are added
  std::deque<std::string> sources;
  std::unordered_map<uint32_t, uint32_t> block_starts;  // roots with nested documents: first doc of the block
  size_t ram = 0;
  std::vector<uint32_t> order;     // scratch for out-of-order token positions

  FieldState& field(const std::string& name, FieldIndexKind kind) {
    auto it = fields.find(name);
    if (it == fields.end()) {
      it = fields.emplace(name, FieldState{}).first;
      it->second.kind = kind;
      ram += name.size() + 256;
    }
    return it->second;
  }

  TermPostings& term(FieldState& f, std::string_view t) {
    bool added = false;
    uint32_t id = f.terms.find_or_add(t, &added);
    if (added) ram += t.size() + kTermOverhead;
    return f.terms.postings(id);
  }

  static void flush(TermPostings& tp, bool freqs) {
    uint32_t gap = tp.doc_freq == 0 ? tp.cur_doc : tp.cur_doc - tp.last_doc - 1;
    segfmt::put_posting(tp.postings, freqs, gap, tp.cur_freq);
    tp.doc_freq++;
    tp.total_term_freq += tp.cur_freq;
    tp.last_doc = tp.cur_doc;
    tp.cur_doc = kNoDoc;
  }

  // Makes `doc` the pending doc of `tp`, flushing the previous one.
  void touch(FieldState& f, TermPostings& tp, uint32_t doc) {
    if (tp.cur_doc == doc) return;
    if (tp.cur_doc != kNoDoc) {
      size_t before = tp.postings.size();
      flush(tp, f.kind == FieldIndexKind::kText);
      ram += tp.postings.size() - before;
    }
    tp.cur_doc = doc;
    tp.cur_freq = 0;
    tp.last_pos = 0;
  }

  void count_doc(FieldState& f, uint32_t doc) {
    if (f.last_counted_doc == doc) return;
    f.last_counted_doc = doc;
    f.doc_count++;
  }

  void add_text(const ParsedDocument::TextField& tf, uint32_t doc) {
    FieldState& f = field(tf.name, FieldIndexKind::kText);
    f.has_postings = true;
    f.has_positions |= tf.positions;
    if (tf.norms) {
      f.has_norms = true;
      if (f.norms.size() <= doc) f.norms.resize(doc + 1, 0);
      f.norms[doc] = encode_norm(tf.length);
    }
    if (tf.tokens.empty()) return;
    count_doc(f, doc);
    bool sorted = true;
    for (size_t i = 1; i < tf.tokens.size() && sorted; ++i) sorted = tf.tokens[i - 1].position <= tf.tokens[i].position;
    if (!sorted) {
      order.resize(tf.tokens.size());
      std::iota(order.begin(), order.end(), 0u);
      std::stable_sort(order.begin(), order.end(),
                       [&](uint32_t a, uint32_t b) { return tf.tokens[a].position < tf.tokens[b].position; });
    }
    for (size_t i = 0; i < tf.tokens.size(); ++i) {
      const analysis::Token& tok = tf.tokens[sorted ? i : order[i]];
      TermPostings& tp = term(f, tok.term);
      touch(f, tp, doc);
      // A field repeated within one doc may step back; clamp so the stream stays valid.
      uint32_t pos = std::max(tok.position, tp.last_pos);
      size_t before = tp.positions.size();
      tp.positions.put_varint(pos - tp.last_pos);
      ram += tp.positions.size() - before;
      tp.last_pos = pos;
      tp.cur_freq++;
    }
  }

  void add_docs_only_term(FieldState& f, const std::string& t, uint32_t doc) {
    TermPostings& tp = term(f, t);
    touch(f, tp, doc);
    tp.cur_freq = 1;
  }

  // Extends the dense ends to `doc`; returns where the doc's values start.
  static uint32_t dv_begin(FieldState& f, uint32_t doc) {
    if (f.dv_ends.size() <= doc) f.dv_ends.resize(doc + 1, f.dv_ends.empty() ? 0 : f.dv_ends.back());
    return doc == 0 ? 0 : f.dv_ends[doc - 1];
  }

  void add_terms(const ParsedDocument::TermField& tf, uint32_t doc) {
    FieldState& f = field(tf.name, FieldIndexKind::kTerm);
    if (tf.values.empty() || (!tf.indexed && !tf.doc_values)) return;
    count_doc(f, doc);
    if (tf.indexed) {
      f.has_postings = true;
      for (const std::string& v : tf.values) add_docs_only_term(f, v, doc);
    }
    if (tf.doc_values) {
      f.has_doc_values = true;
      dv_begin(f, doc);
      for (const std::string& v : tf.values) {
        auto [it, inserted] = f.dv_table.emplace(v, static_cast<uint32_t>(f.dv_table.size()));
        if (inserted) ram += v.size() + 64;
        f.dv_ords.push_back(it->second);
      }
      ram += 4 * tf.values.size() + 4;
      f.dv_ends[doc] = static_cast<uint32_t>(f.dv_ords.size());
    }
  }

  void add_numerics(const ParsedDocument::NumericField& nf, uint32_t doc) {
    FieldState& f = field(nf.name, FieldIndexKind::kNumeric);
    f.numeric_kind = nf.kind;
    if (nf.values.empty() || (!nf.indexed && !nf.doc_values)) return;
    count_doc(f, doc);
    if (f.points_in_dv && nf.indexed != nf.doc_values) {  // before this doc's doc values go in
      f.points_in_dv = false;
      append_column_points(f.dv_ends, f.dv_longs, &f.points);
      ram += 16 * f.points.size();
    }
    if (nf.indexed) {
      f.has_postings = true;
      f.has_points = true;
      for (int64_t v : nf.values) add_docs_only_term(f, encode_sortable_term(v), doc);
      for (int64_t v : nf.values) {
        if (!f.points_in_dv) f.points.emplace_back(v, doc);
      }
      if (!f.points_in_dv) ram += 16 * nf.values.size();
    }
    if (nf.doc_values) {
      f.has_doc_values = true;
      uint32_t start = dv_begin(f, doc);
      f.dv_longs.insert(f.dv_longs.end(), nf.values.begin(), nf.values.end());
      std::sort(f.dv_longs.begin() + start, f.dv_longs.end());
      ram += 8 * nf.values.size() + 4;
      f.dv_ends[doc] = static_cast<uint32_t>(f.dv_longs.size());
    }
  }

  // Indexes the fields of one document at the next doc id (nested or root).
  uint32_t add_fields(const ParsedDocument& doc) {
    const uint32_t id = static_cast<uint32_t>(metas.size());
    for (const auto& tf : doc.text) add_text(tf, id);
    for (const auto& tf : doc.terms) add_terms(tf, id);
    for (const auto& nf : doc.numerics) add_numerics(nf, id);
    FieldState& names = fields.find(std::string(segfmt::kFieldNamesField))->second;
    for (const std::string& n : doc.field_names) {
      count_doc(names, id);
      add_docs_only_term(names, n, id);
    }
    return id;
  }

  void finish_field(SegmentWriter& w, const std::string& name, FieldState& f, uint32_t max_doc);
};

SegmentBuilder::SegmentBuilder() : impl_(std::make_unique<Impl>()) {
  impl_->field(std::string(segfmt::kIdField), FieldIndexKind::kTerm).has_postings = true;
  impl_->field(std::string(segfmt::kFieldNamesField), FieldIndexKind::kTerm).has_postings = true;
}

SegmentBuilder::~SegmentBuilder() = default;

uint32_t SegmentBuilder::add(const ParsedDocument& doc, const DocMeta& meta, std::string_view source) {
  Impl& m = *impl_;
  // Nested documents first: no _id, no source, their path in _nested_path.
  const uint32_t first = static_cast<uint32_t>(m.metas.size());
  for (const ParsedDocument& nested : doc.nested) {
    const uint32_t nid = m.add_fields(nested);
    FieldState& paths = m.field(std::string(segfmt::kNestedPathField), FieldIndexKind::kTerm);
    paths.has_postings = true;
    m.count_doc(paths, nid);
    m.add_docs_only_term(paths, nested.nested_path, nid);
    m.metas.emplace_back();
    m.sources.emplace_back();
    m.ram += sizeof(DocMeta) + sizeof(std::string);
  }
  const uint32_t id = m.add_fields(doc);
  if (id != first) m.block_starts.emplace(id, first);
  FieldState& ids = m.fields.find(std::string(segfmt::kIdField))->second;
  m.count_doc(ids, id);
  m.add_docs_only_term(ids, meta.id, id);
  m.metas.push_back(meta);
  m.sources.emplace_back(source);
  m.ram += sizeof(DocMeta) + sizeof(std::string) + meta.id.size() + meta.routing.size() + source.size();
  return id;
}

uint32_t SegmentBuilder::num_docs() const { return static_cast<uint32_t>(impl_->metas.size()); }
uint32_t SegmentBuilder::block_start(uint32_t doc) const {
  auto it = impl_->block_starts.find(doc);
  return it == impl_->block_starts.end() ? doc : it->second;
}
size_t SegmentBuilder::ram_bytes() const { return impl_->ram; }
const DocMeta& SegmentBuilder::meta(uint32_t doc) const { return impl_->metas.at(doc); }
std::string_view SegmentBuilder::source(uint32_t doc) const { return impl_->sources.at(doc); }

void SegmentBuilder::Impl::finish_field(SegmentWriter& w, const std::string& name, FieldState& f,
                                        uint32_t max_doc) {
  FieldInfo info;
  info.name = name;
  info.kind = f.kind;
  info.numeric_kind = f.numeric_kind;
  info.has_postings = f.has_postings;
  info.has_positions = f.kind == FieldIndexKind::kText && f.has_positions;
  info.has_norms = f.kind == FieldIndexKind::kText && f.has_norms;
  info.has_doc_values = f.kind != FieldIndexKind::kText && f.has_doc_values;
  info.doc_count = f.doc_count;
  w.begin_field(info);
  if (info.has_norms) {  // before the terms: their block impacts read the norms
    f.norms.resize(max_doc, 0);
    w.set_norms(std::string_view(reinterpret_cast<const char*>(f.norms.data()), f.norms.size()));
  }

  const bool freqs = f.kind == FieldIndexKind::kText;
  std::vector<std::pair<std::string_view, TermPostings*>> sorted;
  sorted.reserve(f.terms.size());
  for (uint32_t id = 0; id < f.terms.size(); ++id) sorted.emplace_back(f.terms.term_of(id), &f.terms.postings(id));
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [t, tp] : sorted) {
    if (tp->cur_doc != kNoDoc) flush(*tp, freqs);
    if (tp->doc_freq == 0) continue;
    w.add_term(t, tp->doc_freq, freqs ? tp->total_term_freq : tp->doc_freq, tp->postings.data(),
               info.has_positions ? std::string_view(tp->positions.data()) : std::string_view());
  }
  if (info.has_doc_values) {
    f.dv_ends.resize(max_doc, f.dv_ends.empty() ? 0 : f.dv_ends.back());
    if (f.kind == FieldIndexKind::kNumeric) {
      w.set_numeric_doc_values(f.dv_ends, f.dv_longs);
    } else {
      // Final ordinals follow the sorted value order; each doc's list is sorted and deduplicated.
      std::vector<std::pair<std::string_view, uint32_t>> table;
      table.reserve(f.dv_table.size());
      for (const auto& [v, tmp] : f.dv_table) table.emplace_back(v, tmp);
      std::sort(table.begin(), table.end());
      std::vector<uint32_t> remap(table.size());
      std::vector<std::string_view> values(table.size());
      for (uint32_t i = 0; i < table.size(); ++i) {
        remap[table[i].second] = i;
        values[i] = table[i].first;
      }
      std::vector<uint32_t> ends(max_doc), ords;
      ords.reserve(f.dv_ords.size());
      uint32_t start = 0;
      for (uint32_t d = 0; d < max_doc; ++d) {
        size_t first = ords.size();
        for (uint32_t i = start; i < f.dv_ends[d]; ++i) ords.push_back(remap[f.dv_ords[i]]);
        std::sort(ords.begin() + static_cast<ptrdiff_t>(first), ords.end());
        ords.erase(std::unique(ords.begin() + static_cast<ptrdiff_t>(first), ords.end()), ords.end());
        ends[d] = static_cast<uint32_t>(ords.size());
        start = f.dv_ends[d];
      }
      w.set_sorted_set_doc_values(values, ends, ords);
    }
  }
  if (f.has_points) {
    if (f.points_in_dv) append_column_points(f.dv_ends, f.dv_longs, &f.points);
    PointsWriter points;
    write_points(&f.points, &points);
    w.set_points(points);
    PointPairs().swap(f.points);
  }
  w.end_field();
}

std::string SegmentBuilder::finish(const std::string& segment_id) {
  Impl& m = *impl_;
  const uint32_t max_doc = num_docs();
  SegmentWriter w(segment_id, max_doc);
  std::vector<std::string> names;
  names.reserve(m.fields.size());
  for (const auto& [name, f] : m.fields) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    m.finish_field(w, name, m.fields.find(name)->second, max_doc);
    m.fields.find(name)->second.terms.clear();  // release memory as we go
  }
  for (uint32_t d = 0; d < max_doc; ++d) w.add_stored(m.metas[d], m.sources[d]);
  return w.finish();
}

}  // namespace sift::index
