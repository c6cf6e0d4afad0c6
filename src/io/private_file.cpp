// PrivateFile: a temporary 0600 file beside the target, synced and renamed over it on commit.
#include "io/private_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <streambuf>

#include "error.hpp"

namespace refnet::io {

// An unformatted buffer over a file descriptor that remembers the first write error (errno), so
// commit() can say what went wrong: a full disk is reported, not lost.
class PrivateFile::Buffer final : public std::streambuf {
 public:
  explicit Buffer(int fd) : fd_(fd) { setp(data_.data(), data_.data() + data_.size()); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() override { close(); }

  // Flushes and closes; returns the first error met, 0 if none.
  int finish() {
    sync();
    if (fd_ >= 0 && error_ == 0 && ::fsync(fd_) != 0) error_ = errno;
    if (close() != 0 && error_ == 0) error_ = errno;
    return error_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }

  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* next = pbase();
    while (error_ == 0 && next < pptr()) {
      const auto n = ::write(fd_, next, static_cast<std::size_t>(pptr() - next));
      if (n >= 0) {
        next += n;
      } else if (errno != EINTR) {
        error_ = errno;
      }
    }
    setp(data_.data(), data_.data() + data_.size());
    return error_ == 0;
  }

  int close() {
    if (fd_ < 0) return 0;
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

  int fd_;
  int error_ = 0;
  std::array<char, 64 * 1024> data_{};
};

PrivateFile::PrivateFile(std::filesystem::path path) : path_(std::move(path)) {
  // Hidden and unique beside the target: the rename stays within one file system.
  const auto folder = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  temporary_ = (folder / ("." + path_.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkostemp(temporary_.data(), O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    throw Error(Exit::cant_create,
                fmt::format("cannot create {}: {}", path_.string(), std::strerror(error)),
                "choose a folder that exists and that you can write to");
  }
  // mkostemp makes it 0600 already; said again so no umask or libc can loosen it.
  if (::fchmod(fd, 0600) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary_.c_str());
    throw Error(Exit::cant_create, fmt::format("cannot set mode 0600 on {}: {}", path_.string(),
                                               std::strerror(error)));
  }
  buffer_ = std::make_unique<Buffer>(fd);
  stream_ = std::make_unique<std::ostream>(buffer_.get());
}

PrivateFile::~PrivateFile() {
  if (committed_) return;
  buffer_->finish();
  ::unlink(temporary_.c_str());
}

void PrivateFile::commit() {
  stream_->flush();
  if (const int error = buffer_->finish(); error != 0) {
    throw Error(Exit::io, fmt::format("cannot write {}: {}", path_.string(), std::strerror(error)));
  }
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    throw Error(Exit::cant_create,
                fmt::format("cannot create {}: {}", path_.string(), std::strerror(error)),
                error == EISDIR ? "it is a folder: name a file in it" : "");
  }
  committed_ = true;
}

void create_new_private(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    throw Error(Exit::cant_create,
                fmt::format("cannot create {}: {}", path.string(), std::strerror(error)),
                error == EEXIST ? "refnet never overwrites a file: remove it or choose another name"
                                : "choose another place for the backup");
  }
  const bool private_mode = ::fchmod(fd, 0600) == 0;  // open's mode went through the umask
  ::close(fd);
  if (!private_mode) {
    ::unlink(path.c_str());
    throw Error(Exit::cant_create, fmt::format("cannot set mode 0600 on {}", path.string()));
  }
}

}  // namespace refnet::io
