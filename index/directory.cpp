#include "index/directory.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace sift::index {
namespace {

Status errno_status(const std::string& what, const std::string& path) {
  int e = errno;
  if (e == ENOSPC) {
    return Status(Code::kResourceExhausted, "io_exception", what + " [" + path + "]: no space left on device");
  }
  return io_error(what + " [" + path + "]: " + std::strerror(e));
}

Status write_fd_all(int fd, std::string_view data, const std::string& path) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("write failed", path);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::ok();
}

}  // namespace

MappedFile::~MappedFile() {
  if (addr_ != nullptr && size_ > 0) ::munmap(addr_, size_);
}

Result<std::unique_ptr<Directory>> Directory::open(const std::string& path, bool create) {
  std::error_code ec;
  if (create) {
    std::filesystem::create_directories(path, ec);
    if (ec) return io_error("cannot create directory [" + path + "]: " + ec.message());
  }
  if (!std::filesystem::is_directory(path, ec)) {
    return Status(Code::kNotFound, "no_such_file_exception", "directory [" + path + "] does not exist");
  }
  return std::unique_ptr<Directory>(new Directory(path));
}

std::string Directory::file_path(std::string_view name) const { return path_ + "/" + std::string(name); }

Result<std::shared_ptr<const MappedFile>> Directory::map(std::string_view name) const {
  std::string p = file_path(name);
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open", p);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = errno_status("cannot stat", p);
    ::close(fd);
    return s;
  }
  std::shared_ptr<MappedFile> f(new MappedFile());
  f->name_ = std::string(name);
  f->size_ = static_cast<size_t>(st.st_size);
  if (f->size_ > 0) {
    void* a = ::mmap(nullptr, f->size_, PROT_READ, MAP_SHARED, fd, 0);
    if (a == MAP_FAILED) {
      Status s = errno_status("cannot mmap", p);
      ::close(fd);
      f->size_ = 0;
      return s;
    }
    f->addr_ = a;
  }
  ::close(fd);
  return std::shared_ptr<const MappedFile>(std::move(f));
}

Result<std::string> Directory::read_all(std::string_view name) const {
  std::string p = file_path(name);
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open", p);
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = errno_status("read failed", p);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status Directory::write_file(std::string_view name, std::string_view data, bool sync) const {
  std::string p = file_path(name);
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status("cannot create", p);
  Status s = write_fd_all(fd, data, p);
  if (s.is_ok() && sync && ::fsync(fd) != 0) s = errno_status("fsync failed", p);
  if (::close(fd) != 0 && s.is_ok()) s = errno_status("close failed", p);
  if (!s.is_ok()) ::unlink(p.c_str());
  return s;
}

Status Directory::write_atomic(std::string_view name, std::string_view data) const {
  std::string tmp = std::string(name) + ".tmp";
  SIFT_RETURN_IF_ERROR(write_file(tmp, data, true));
  std::string from = file_path(tmp), to = file_path(name);
  if (::rename(from.c_str(), to.c_str()) != 0) return errno_status("rename failed", to);
  return sync_dir();
}

Status Directory::sync_file(std::string_view name) const {
  std::string p = file_path(name);
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open", p);
  Status s;
  if (::fsync(fd) != 0) s = errno_status("fsync failed", p);
  ::close(fd);
  return s;
}

Status Directory::sync_dir() const { return sync_directory(path_); }

Status Directory::remove(std::string_view name) const {
  std::string p = file_path(name);
  if (::unlink(p.c_str()) != 0 && errno != ENOENT) return errno_status("cannot delete", p);
  return Status::ok();
}

bool Directory::exists(std::string_view name) const {
  struct stat st {};
  return ::stat(file_path(name).c_str(), &st) == 0;
}

Result<std::vector<std::string>> Directory::list() const {
  DIR* d = ::opendir(path_.c_str());
  if (d == nullptr) return errno_status("cannot list", path_);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    names.push_back(std::move(n));
  }
  ::closedir(d);
  return names;
}

Result<uint64_t> Directory::file_size(std::string_view name) const {
  struct stat st {};
  std::string p = file_path(name);
  if (::stat(p.c_str(), &st) != 0) return errno_status("cannot stat", p);
  return static_cast<uint64_t>(st.st_size);
}

uint64_t Directory::total_bytes() const {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(path_, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

Status remove_tree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return io_error("cannot delete [" + path + "]: " + ec.message());
  return Status::ok();
}

Status sync_directory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open directory", path);
  Status s;
  if (::fsync(fd) != 0) s = errno_status("fsync failed", path);
  ::close(fd);
  return s;
}

}  // namespace sift::index
