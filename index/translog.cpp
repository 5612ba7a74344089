#include "index/translog.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <vector>

#include "common/bytes.h"
#include "common/crc32c.h"
#include "common/log.h"
#include "index/directory.h"

namespace sift::index {
namespace {

// Byte layout: docs/formats/translog.md.
constexpr uint32_t kFileMagic = 0x54464953;    // "SIFT" in file byte order
constexpr uint32_t kRecordMagic = 0x52474f4c;  // "LOGR" in file byte order
constexpr std::string_view kFormatName = "translog";
constexpr uint32_t kVersion = 1;
constexpr size_t kRecordHeaderSize = 12;  // magic, length, crc
// Anything longer cannot be a record: bounds the resync scan and rejects absurd appends.
constexpr uint32_t kMaxPayload = 1u << 30;
// Appends are gathered in user space and written in chunks of about this size.
constexpr size_t kFlushThreshold = 64 * 1024;

Status errno_status(int err, const std::string& what, const std::string& path) {
  std::string reason = what + " [" + path + "]: " + std::strerror(err);
  if (err == ENOSPC) return Status(Code::kResourceExhausted, "translog_exception", reason);
  return Status(Code::kIOError, "translog_exception", reason);
}

Status corrupted(const std::string& path, uint64_t offset, const std::string& why) {
  return Status(Code::kCorruption, "translog_corrupted_exception",
                "translog [" + path + "] is corrupted at offset " + std::to_string(offset) + ": " + why);
}

std::string file_name(uint64_t generation) { return "translog-" + std::to_string(generation) + ".tlog"; }

// Parses `translog-<digits>.tlog`; anything else in the directory is not ours.
bool parse_file_name(const std::string& name, uint64_t* generation) {
  constexpr std::string_view kPrefix = "translog-", kSuffix = ".tlog";
  if (name.size() <= kPrefix.size() + kSuffix.size()) return false;
  if (name.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  if (name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) return false;
  std::string digits = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  if (digits.size() > 19 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  *generation = std::stoull(digits);
  return *generation > 0;
}

Result<std::vector<uint64_t>> list_generations(const std::string& dir) {
  std::vector<uint64_t> gens;
  std::error_code ec;
  // Explicit increment(ec): the range-for form throws on a failed step.
  std::filesystem::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    uint64_t g = 0;
    if (parse_file_name(it->path().filename().string(), &g)) gens.push_back(g);
  }
  if (ec) return io_error("cannot list translog directory [" + dir + "]: " + ec.message());
  std::sort(gens.begin(), gens.end());
  return gens;
}

std::string encode_header(uint64_t generation) {
  ByteWriter w;
  w.put_u32(kFileMagic);
  w.put_bytes(kFormatName);
  w.put_u32(kVersion);
  w.put_u64(generation);
  w.put_u32(crc32c(w.data()));
  return w.take();
}

// magic, varint name length, name, version, generation, crc
constexpr size_t kHeaderSize = 4 + 1 + kFormatName.size() + 4 + 8 + 4;

void encode_payload(ByteWriter& w, const TranslogOp& op) {
  w.put_u8(static_cast<uint8_t>(op.type));
  w.put_svarint(op.seq_no);
  w.put_svarint(op.primary_term);
  w.put_svarint(op.version);
  w.put_bytes(op.id);
  w.put_bytes(op.routing);
  w.put_bytes(op.source);
}

uint32_t load_u32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

uint32_t record_crc(const char* length_field, const char* payload, size_t n) {
  return crc32c_extend(crc32c(length_field, 4), payload, n);
}

// True when a complete record with a good checksum starts at `pos`.
bool valid_record_at(std::string_view data, size_t pos, uint32_t* payload_len) {
  if (data.size() - pos < kRecordHeaderSize) return false;
  const char* p = data.data() + pos;
  if (load_u32(p) != kRecordMagic) return false;
  uint32_t len = load_u32(p + 4);
  if (len > kMaxPayload || len > data.size() - pos - kRecordHeaderSize) return false;
  if (record_crc(p + 4, p + kRecordHeaderSize, len) != load_u32(p + 8)) return false;
  *payload_len = len;
  return true;
}

int retry_fdatasync(int fd) {
  int rc;
  do {
    rc = ::fdatasync(fd);
  } while (rc != 0 && errno == EINTR);
  return rc;
}

Status write_all(int fd, const char* p, size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno_status(errno, "translog write failed", path);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::ok();
}

// Checks the file header of generation `g`; `data` holds at least kHeaderSize bytes.
Status check_header(const std::string& p, uint64_t g, std::string_view data) {
  ByteReader hr(data.substr(0, kHeaderSize));
  uint32_t magic = hr.get_u32();
  std::string_view name = hr.get_bytes();
  uint32_t version = hr.get_u32();
  uint64_t header_gen = hr.get_u64();
  size_t crc_pos = hr.position();
  uint32_t header_crc = hr.get_u32();
  if (!hr.ok() || magic != kFileMagic || name != kFormatName) return corrupted(p, 0, "not a translog file header");
  if (crc32c(data.data(), crc_pos) != header_crc) return corrupted(p, 0, "header checksum mismatch");
  if (version != kVersion) {
    return corrupted(p, 0, "unsupported translog version " + std::to_string(version) + " (supported: 1)");
  }
  if (header_gen != g) {
    return corrupted(p, 0, "header names generation " + std::to_string(header_gen) + ", file name " +
                               std::to_string(g));
  }
  return Status::ok();
}

}  // namespace

std::string encode_translog_op(const TranslogOp& op) {
  ByteWriter w;
  encode_payload(w, op);
  return w.take();
}

Result<TranslogOp> decode_translog_op(std::string_view payload) {
  auto bad = [](const std::string& why) {
    return Status(Code::kCorruption, "translog_corrupted_exception", "translog operation is malformed: " + why);
  };
  ByteReader r(payload);
  TranslogOp op;
  uint8_t type = r.get_u8();
  if (type < 1 || type > 3) return bad("unknown operation type " + std::to_string(type));
  op.type = static_cast<TranslogOp::Type>(type);
  op.seq_no = r.get_svarint();
  op.primary_term = r.get_svarint();
  op.version = r.get_svarint();
  op.id = std::string(r.get_bytes());
  op.routing = std::string(r.get_bytes());
  op.source = std::string(r.get_bytes());
  if (!r.ok()) return bad("truncated payload");
  if (!r.eof()) return bad(std::to_string(r.remaining()) + " trailing bytes");
  return op;
}

struct Translog::Impl {
  std::string dir;
  mutable std::mutex mu;
  std::condition_variable cv;
  uint64_t generation = 0;
  int fd = -1;
  uint64_t written = 0;  // bytes of the current generation handed to write()
  uint64_t synced = 0;   // bytes of the current generation known to be on disk
  ByteWriter buffer;     // appended records not yet written; reused so appends do not allocate
  bool sync_in_flight = false;
  // Set by the first failed write or fsync. What reached the disk is then unknown, so the translog
  // refuses every later write instead of acknowledging ops it may have lost.
  Status failure;
  std::map<uint64_t, uint64_t> closed_sizes;  // generation -> bytes, for size_bytes()
  std::atomic<uint64_t> fsyncs{0};

  std::string path(uint64_t g) const { return dir + "/" + file_name(g); }

  Status fail(Status s) {
    if (failure.is_ok()) {
      failure = s;
      log::error("translog [" + dir + "] failed, refusing further writes: " + s.reason());
    }
    return s;
  }

  Status flush_locked() {
    if (buffer.size() == 0) return Status::ok();
    Status s = write_all(fd, buffer.data().data(), buffer.size(), path(generation));
    if (!s.is_ok()) return fail(std::move(s));
    written += buffer.size();
    buffer.clear();
    return Status::ok();
  }

  // Creates generation `g` with its header, durable in both the file and the directory.
  Status create_generation_locked(uint64_t g) {
    std::string p = path(g);
    int f = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (f < 0) return errno_status(errno, "cannot create translog file", p);
    std::string header = encode_header(g);
    Status s = write_all(f, header.data(), header.size(), p);
    if (s.is_ok()) {
      if (retry_fdatasync(f) != 0) s = errno_status(errno, "translog fsync failed", p);
      fsyncs.fetch_add(1, std::memory_order_relaxed);
    }
    if (s.is_ok()) s = sync_directory(dir);
    if (!s.is_ok()) {
      ::close(f);
      ::unlink(p.c_str());
      return s;
    }
    fd = f;
    generation = g;
    written = synced = header.size();
    return Status::ok();
  }

  Status replay_file(uint64_t g, const std::function<Status(const TranslogOp&)>& fn);
};

Translog::Translog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Translog::~Translog() {
  Impl& m = *impl_;
  std::unique_lock<std::mutex> lk(m.mu);
  m.cv.wait(lk, [&] { return !m.sync_in_flight; });
  if (m.fd < 0) return;
  // A clean close leaves nothing for replay to tear; errors have nowhere to go but the log.
  if (m.failure.is_ok() && m.flush_locked().is_ok() && retry_fdatasync(m.fd) != 0) {
    int err = errno;
    log::warn("translog fsync on close failed [" + m.path(m.generation) + "]: " + std::strerror(err));
  }
  ::close(m.fd);
}

Result<std::unique_ptr<Translog>> Translog::open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io_error("cannot create translog directory [" + dir + "]: " + ec.message());
  SIFT_ASSIGN_OR_RETURN(std::vector<uint64_t> gens, list_generations(dir));

  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  for (uint64_t g : gens) {
    struct stat st {};
    if (::stat(impl->path(g).c_str(), &st) != 0) return errno_status(errno, "cannot stat", impl->path(g));
    impl->closed_sizes[g] = static_cast<uint64_t>(st.st_size);
  }
  impl->buffer.mutable_data().reserve(2 * kFlushThreshold);
  {
    std::lock_guard<std::mutex> lk(impl->mu);
    SIFT_RETURN_IF_ERROR(impl->create_generation_locked(gens.empty() ? 1 : gens.back() + 1));
  }
  return std::unique_ptr<Translog>(new Translog(std::move(impl)));
}

Result<TranslogLocation> Translog::append(const TranslogOp& op) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lk(m.mu);
  if (!m.failure.is_ok()) {
    return Status(Code::kUnavailable, "already_closed_exception",
                  "translog is closed after an earlier failure: " + m.failure.reason());
  }
  ByteWriter& w = m.buffer;
  size_t start = w.size();
  w.put_u32(kRecordMagic);
  w.put_u32(0);  // length and crc are patched once the payload is in place
  w.put_u32(0);
  encode_payload(w, op);
  size_t len = w.size() - start - kRecordHeaderSize;
  if (len > kMaxPayload) {
    w.mutable_data().resize(start);
    return Status(Code::kTooLarge, "translog_exception",
                  "translog operation of " + std::to_string(len) + " bytes exceeds the limit");
  }
  w.patch_u32(start + 4, static_cast<uint32_t>(len));
  const char* rec = w.data().data() + start;
  w.patch_u32(start + 8, record_crc(rec + 4, rec + kRecordHeaderSize, len));
  TranslogLocation loc{m.generation, m.written + w.size()};
  if (w.size() >= kFlushThreshold) SIFT_RETURN_IF_ERROR(m.flush_locked());
  return loc;
}

Status Translog::sync(const TranslogLocation& loc) {
  Impl& m = *impl_;
  std::unique_lock<std::mutex> lk(m.mu);
  if (loc.generation == 0 || loc.generation > m.generation ||
      (loc.generation == m.generation && loc.end_offset > m.written + m.buffer.size())) {
    return invalid_argument("translog location [" + std::to_string(loc.generation) + ":" +
                            std::to_string(loc.end_offset) + "] is beyond the end of the translog");
  }
  while (true) {
    // roll_generation fsyncs a generation before closing it, so older locations are durable.
    if (loc.generation < m.generation || m.synced >= loc.end_offset) return Status::ok();
    if (!m.failure.is_ok()) return m.failure;
    if (m.sync_in_flight) {
      // The fsync in flight may have started before our record was written: wait, then re-check.
      m.cv.wait(lk);
      continue;
    }
    // Leader: write out everything buffered, then fsync without the lock so appends continue and
    // every caller that arrives meanwhile is covered by the next single fsync.
    SIFT_RETURN_IF_ERROR(m.flush_locked());
    uint64_t target = m.written;
    int fd = m.fd;
    m.sync_in_flight = true;
    lk.unlock();
    int rc = retry_fdatasync(fd);
    int err = errno;
    lk.lock();
    m.sync_in_flight = false;
    m.fsyncs.fetch_add(1, std::memory_order_relaxed);
    if (rc != 0) {
      // After a failed fsync the kernel may have dropped the dirty pages: never retry into success.
      Status s = m.fail(errno_status(err, "translog fsync failed", m.path(m.generation)));
      m.cv.notify_all();
      return s;
    }
    m.synced = std::max(m.synced, target);
    m.cv.notify_all();
  }
}

Status Translog::sync_all() {
  TranslogLocation loc;
  {
    std::lock_guard<std::mutex> lk(impl_->mu);
    loc = {impl_->generation, impl_->written + impl_->buffer.size()};
  }
  return sync(loc);
}

Result<uint64_t> Translog::roll_generation() {
  Impl& m = *impl_;
  std::unique_lock<std::mutex> lk(m.mu);
  m.cv.wait(lk, [&] { return !m.sync_in_flight; });
  if (!m.failure.is_ok()) return m.failure;
  SIFT_RETURN_IF_ERROR(m.flush_locked());
  std::string old_path = m.path(m.generation);
  if (m.synced < m.written) {
    m.fsyncs.fetch_add(1, std::memory_order_relaxed);
    if (retry_fdatasync(m.fd) != 0) return m.fail(errno_status(errno, "translog fsync failed", old_path));
    m.synced = m.written;
  }
  uint64_t old_gen = m.generation;
  uint64_t old_size = m.written;
  int old_fd = m.fd;
  Status s = m.create_generation_locked(old_gen + 1);
  if (!s.is_ok()) return m.fail(std::move(s));
  ::close(old_fd);  // fully synced above, so a close error cannot lose anything
  m.closed_sizes[old_gen] = old_size;
  m.cv.notify_all();
  return m.generation;
}

Status Translog::trim_below(uint64_t generation) {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> lk(m.mu);
  // The generation being written is never trimmed, whatever the caller asks.
  uint64_t limit = std::min(generation, m.generation);
  bool removed = false;
  for (auto it = m.closed_sizes.begin(); it != m.closed_sizes.end() && it->first < limit;) {
    std::string p = m.path(it->first);
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) return errno_status(errno, "cannot delete", p);
    it = m.closed_sizes.erase(it);
    removed = true;
  }
  return removed ? sync_directory(m.dir) : Status::ok();
}

uint64_t Translog::current_generation() const {
  std::lock_guard<std::mutex> lk(impl_->mu);
  return impl_->generation;
}

uint64_t Translog::size_bytes() const {
  std::lock_guard<std::mutex> lk(impl_->mu);
  uint64_t total = impl_->written + impl_->buffer.size();
  for (const auto& [g, size] : impl_->closed_sizes) total += size;
  return total;
}

uint64_t Translog::fsync_count() const { return impl_->fsyncs.load(std::memory_order_relaxed); }

Status Translog::replay(uint64_t from_generation, const std::function<Status(const TranslogOp&)>& fn) {
  Impl& m = *impl_;
  std::vector<uint64_t> gens;
  {
    std::lock_guard<std::mutex> lk(m.mu);
    // Replay reads the files, so whatever is still buffered must be in the current one first.
    if (m.failure.is_ok()) SIFT_RETURN_IF_ERROR(m.flush_locked());
    for (const auto& [g, size] : m.closed_sizes) {
      if (g >= from_generation) gens.push_back(g);
    }
    if (m.generation >= from_generation) gens.push_back(m.generation);
  }
  for (uint64_t g : gens) SIFT_RETURN_IF_ERROR(m.replay_file(g, fn));
  return Status::ok();
}

Status Translog::Impl::replay_file(uint64_t g, const std::function<Status(const TranslogOp&)>& fn) {
  std::string p = path(g);
  bool is_current = false;
  uint64_t limit = 0;
  {
    std::lock_guard<std::mutex> lk(mu);
    is_current = g == generation;
    limit = written;
  }
  SIFT_ASSIGN_OR_RETURN(auto dir_handle, Directory::open(dir, false));
  SIFT_ASSIGN_OR_RETURN(auto file, dir_handle->map(file_name(g)));
  std::string_view data = file->data();
  // Appends after this point are not part of this replay.
  if (is_current && data.size() > limit) data = data.substr(0, limit);

  if (data.size() < kHeaderSize) {
    // Only a crash while the generation was being created leaves a partial header; it holds no ops.
    log::warn("translog [" + p + "] has an incomplete header (" + std::to_string(data.size()) +
              " bytes); skipping it");
    return Status::ok();
  }
  SIFT_RETURN_IF_ERROR(check_header(p, g, data));

  size_t pos = kHeaderSize;
  while (pos < data.size()) {
    uint32_t len = 0;
    if (valid_record_at(data, pos, &len)) {
      auto op = decode_translog_op(data.substr(pos + kRecordHeaderSize, len));
      // The checksum matched, so these bytes are what was written: a decode failure is not a tear.
      if (!op.is_ok()) return corrupted(p, pos, op.status().reason());
      SIFT_RETURN_IF_ERROR(fn(*op));
      pos += kRecordHeaderSize + len;
      continue;
    }
    // A bad record is a torn tail only if nothing valid follows it; otherwise history has a hole.
    for (size_t q = pos + 1; q + kRecordHeaderSize <= data.size(); ++q) {
      uint32_t unused = 0;
      if (valid_record_at(data, q, &unused)) {
        return corrupted(p, pos, "invalid record followed by a valid record at offset " + std::to_string(q));
      }
    }
    log::warn("translog [" + p + "] has a torn tail at offset " + std::to_string(pos) + " (" +
              std::to_string(data.size() - pos) + " bytes dropped)");
    if (is_current) break;
    file.reset();
    int f = ::open(p.c_str(), O_WRONLY | O_CLOEXEC);
    if (f < 0) return errno_status(errno, "cannot open translog to cut its torn tail", p);
    Status s;
    if (::ftruncate(f, static_cast<off_t>(pos)) != 0 || retry_fdatasync(f) != 0) {
      s = errno_status(errno, "cannot cut torn tail of translog", p);
    }
    fsyncs.fetch_add(1, std::memory_order_relaxed);
    ::close(f);
    SIFT_RETURN_IF_ERROR(s);
    std::lock_guard<std::mutex> lk(mu);
    if (closed_sizes.count(g) != 0) closed_sizes[g] = pos;
    break;
  }
  return Status::ok();
}

}  // namespace sift::index
