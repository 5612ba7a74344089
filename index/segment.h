// Segments: immutable, self-describing index files. SegmentBuilder is the in-memory buffer that
// collects parsed documents between refreshes; `finish` serializes it into one segment file (format
// in docs/formats/segment.md). SegmentReader opens those bytes (mmap) and serves the terms
// dictionary, postings, norms, doc values and stored documents. `merge_segments` combines readers,
// dropping deleted documents, without re-parsing sources.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "index/document.h"
#include "index/live_docs.h"
#include "index/points.h"

namespace sift::index {

class MappedFile;

inline constexpr uint32_t kNoMoreDocs = 0x7fffffff;

enum class FieldIndexKind : uint8_t {
  kText = 1,     // analyzed: freqs, positions, offsets, norms
  kTerm = 2,     // keyword/ip/boolean: docs only, sorted-set doc values
  kNumeric = 3,  // sortable 8-byte terms + numeric doc values
};

struct FieldInfo {
  std::string name;
  FieldIndexKind kind = FieldIndexKind::kTerm;
  NumericKind numeric_kind = NumericKind::kLong;
  bool has_postings = false;
  bool has_positions = false;
  bool has_norms = false;
  bool has_doc_values = false;
  bool has_points = false;          // numeric fields that are indexed: PointValues for ranges
  uint32_t doc_count = 0;           // docs with at least one term for the field
  uint64_t sum_total_term_freq = 0; // for BM25's average field length
  uint64_t sum_doc_freq = 0;
};

struct StoredDocument {
  DocMeta meta;
  std::string source;
};

// A competitive (freq, norm) pair: no doc of the run it describes has a higher freq with a norm at
// most this one. BM25's best score over a run of docs is its best over these pairs.
struct Impact {
  uint32_t freq = 0;
  uint8_t norm = 0;
};

// Postings of one term, doc ids ascending; starts before the first doc (call next()). Decodes the
// v2 format a block of 128 docs at a time; `advance` skips whole blocks through the skip entries.
class PostingsIterator {
 public:
  static constexpr uint32_t kBlock = 128;

  PostingsIterator() = default;
  uint32_t doc() const { return doc_; }
  uint32_t next();                    // returns kNoMoreDocs at the end
  uint32_t advance(uint32_t target);  // first doc >= target
  uint32_t freq() const { return freq_; }
  uint32_t cost() const { return doc_freq_; }
  // Positions of the current doc (text fields with positions); valid until next()/advance().
  const std::vector<uint32_t>& positions();

  // Block-max support, independent of the doc cursor. `shallow_advance` finds the block that may
  // contain `target` (not before the current doc's block) and returns its last doc; past the
  // last block it returns kNoMoreDocs. `block_impacts` then gives that block's impacts.
  uint32_t shallow_advance(uint32_t target);
  void block_impacts(std::vector<Impact>* out);
  // Impacts over all of the term's docs.
  void term_impacts(std::vector<Impact>* out);

  // The rest of the current block, for loops over blocks of doc ids: docs and freqs from the
  // current doc to the end of its block (valid after next()/advance() returned a doc). Callers
  // consume them with `skip_in_block`.
  uint32_t block_remaining() const { return count_ - idx_; }
  const uint32_t* block_docs() const { return docs_ + idx_; }
  const uint32_t* block_freqs() const { return freqs_ + idx_; }
  // Moves the cursor `k` (1 <= k <= block_remaining()) entries ahead, into the next block when
  // that consumes this one; returns the new doc.
  uint32_t skip_in_block(uint32_t k) {
    idx_ += k - 1;
    return next();
  }

 private:
  friend class SegmentReader;
  bool init(const char* start, const char* end);  // parses the term's layout; false when corrupt
  bool load_block(uint32_t b);        // decodes block b into docs_/freqs_; false when corrupt
  uint32_t block_last_doc(uint32_t b) const;
  static void parse_impacts(const char* p, const char* end, std::vector<Impact>* out);

  // Term layout (see docs/formats/segment.md). A term with fewer than 128 docs is a lone tail:
  // no skip entries, one block of varints.
  const char* start_ = nullptr;       // the term's postings
  const char* end_ = nullptr;         // end of the field's postings section
  const char* skip_ = nullptr;        // num_blocks_ entries (none for a lone tail)
  const char* impacts_ = nullptr;     // per-block impacts area
  const char* term_impacts_ = nullptr;
  const char* blocks_ = nullptr;      // packed blocks, then the varint tail
  uint32_t num_blocks_ = 0;           // blocks including a tail; 1 for a lone tail
  uint32_t full_blocks_ = 0;          // bit-packed blocks
  bool lone_tail_ = false;
  const uint8_t* norms_ = nullptr;    // the field's norms (nullptr: no norms, norm 1)

  // Decoding state.
  uint32_t block_ = UINT32_MAX;       // decoded block
  uint32_t count_ = 0;                // docs in the decoded block
  uint32_t idx_ = 0;                  // current doc's index in the block
  uint32_t shallow_ = 0;              // block found by shallow_advance
  uint32_t docs_[kBlock];
  uint32_t freqs_[kBlock];

  uint32_t doc_ = static_cast<uint32_t>(-1);
  uint32_t freq_ = 0;
  uint32_t doc_freq_ = 0;
  uint32_t max_doc_ = 0;
  bool started_ = false;
  bool has_freqs_ = false;
  bool has_positions_ = false;

  // Positions: the term's stream; pos_p_ points at the entries of block doc `pos_idx_`.
  const char* pos_start_ = nullptr;
  const char* pos_end_ = nullptr;
  const char* pos_p_ = nullptr;
  uint32_t pos_idx_ = 0;
  bool positions_loaded_ = false;
  std::vector<uint32_t> positions_;
};

struct TermStats {
  uint32_t doc_freq = 0;
  uint64_t total_term_freq = 0;
};

class SegmentReader {
 public:
  // Opens a segment from its file bytes; checks header, version and footer checksum.
  static Result<std::shared_ptr<SegmentReader>> open(std::shared_ptr<const MappedFile> file);
  // For tests: from bytes held in memory.
  static Result<std::shared_ptr<SegmentReader>> open_bytes(std::string bytes);
  ~SegmentReader();

  const std::string& segment_id() const;
  uint32_t max_doc() const;
  uint64_t size_bytes() const;
  const std::vector<FieldInfo>& fields() const;
  const FieldInfo* field(std::string_view name) const;

  // Terms dictionary.
  std::optional<TermStats> term_stats(std::string_view field, std::string_view term) const;
  // Postings of an exact term; an empty iterator (first next() = kNoMoreDocs) when absent.
  PostingsIterator postings(std::string_view field, std::string_view term) const;
  // Up to `limit` terms of `field` in sorted order, starting at the first term >= `from`.
  std::vector<std::string> terms_from(std::string_view field, std::string_view from, size_t limit) const;

  // Norms: Lucene's one-byte encoded field length (0 when the doc has no value).
  uint8_t norm(std::string_view field, uint32_t doc) const;
  // All of a field's norms, max_doc bytes; nullptr when the field has none.
  const uint8_t* norms(std::string_view field) const;

  // Doc values. Numeric: sorted values of a doc (empty when none). Sorted-set: the values as strings.
  void numeric_values(std::string_view field, uint32_t doc, std::vector<int64_t>* out) const;
  void term_values(std::string_view field, uint32_t doc, std::vector<std::string>* out) const;

  // Points of a numeric field (validated at open); empty when the field has none.
  PointValues points(std::string_view field) const;

  // Stored fields: id, routing, seq_no, primary_term, version and source.
  Status stored(uint32_t doc, StoredDocument* out) const;
  // Highest doc id whose _id equals `id` (callers check liveness), or nullopt.
  std::optional<uint32_t> find_id(std::string_view id) const;

  // Nested documents (those with a _nested_path), as a bitmap; nullptr when the segment has none.
  const std::shared_ptr<const LiveDocs>& nested_docs() const;
  // The first doc of the block a root document ends: the root itself when it has no nested docs.
  uint32_t block_start(uint32_t root) const;

 private:
  struct Impl;
  explicit SegmentReader(std::unique_ptr<Impl> impl);
  void load_nested();
  std::unique_ptr<Impl> impl_;
};

class SegmentBuilder {
 public:
  SegmentBuilder();
  ~SegmentBuilder();
  SegmentBuilder(const SegmentBuilder&) = delete;
  SegmentBuilder& operator=(const SegmentBuilder&) = delete;

  // Adds one document, after its nested documents (doc.nested) when it has any; returns the root's
  // doc id in this segment (doc ids count nested documents too).
  uint32_t add(const ParsedDocument& doc, const DocMeta& meta, std::string_view source);
  uint32_t num_docs() const;
  // The first doc id of the block a root document ends (the root itself when it has no nested ones).
  uint32_t block_start(uint32_t doc) const;
  size_t ram_bytes() const;
  // Real-time access before the buffer is serialized.
  const DocMeta& meta(uint32_t doc) const;
  std::string_view source(uint32_t doc) const;
  // Serializes the buffer as a segment file (the builder can be discarded afterwards).
  std::string finish(const std::string& segment_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Merges `inputs` (with their deletions) into the bytes of one new segment. `doc_maps[i][old]` is
// the new doc id of input i's doc `old`, or kNoMoreDocs when it was deleted.
struct MergeInput {
  const SegmentReader* reader;
  const LiveDocs* live;
};
Result<std::string> merge_segments(const std::vector<MergeInput>& inputs, const std::string& segment_id,
                                   std::vector<std::vector<uint32_t>>* doc_maps);

// Lucene's SmallFloat.intToByte4 / byte4ToInt: the lossy one-byte field-length norm.
uint8_t encode_norm(uint32_t length);
uint32_t decode_norm(uint8_t norm);

}  // namespace sift::index
