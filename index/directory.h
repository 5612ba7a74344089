// Directory: the only way Sift touches files. One directory per shard (and one for node state).
// Immutable files are written whole and read through mmap; commit points are replaced atomically
// (write temp, fsync, rename, fsync the directory). Nothing above index/ opens files itself.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sift::index {

// A read-only memory map of a whole file; the bytes stay valid while the object lives, even if the
// file is deleted meanwhile.
class MappedFile {
 public:
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }
  const std::string& name() const { return name_; }

 private:
  friend class Directory;
  MappedFile() = default;
  void* addr_ = nullptr;
  size_t size_ = 0;
  std::string name_;
};

class Directory {
 public:
  // Opens `path`, creating it (and parents) when `create` is set.
  static Result<std::unique_ptr<Directory>> open(const std::string& path, bool create);

  const std::string& path() const { return path_; }
  std::string file_path(std::string_view name) const;

  Result<std::shared_ptr<const MappedFile>> map(std::string_view name) const;
  Result<std::string> read_all(std::string_view name) const;
  // Writes a new file (replacing any old one with that name); fsyncs it when `sync`.
  Status write_file(std::string_view name, std::string_view data, bool sync) const;
  // Replaces `name` atomically and durably: temp file, fsync, rename, fsync of the directory.
  Status write_atomic(std::string_view name, std::string_view data) const;
  Status sync_file(std::string_view name) const;
  Status sync_dir() const;
  Status remove(std::string_view name) const;
  bool exists(std::string_view name) const;
  Result<std::vector<std::string>> list() const;
  Result<uint64_t> file_size(std::string_view name) const;
  // Total bytes of regular files in the directory.
  uint64_t total_bytes() const;

 private:
  explicit Directory(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Removes a directory tree (used to delete an index). Missing is fine.
Status remove_tree(const std::string& path);
// fsyncs a directory by path (after creating or removing entries in it).
Status sync_directory(const std::string& path);

}  // namespace sift::index
