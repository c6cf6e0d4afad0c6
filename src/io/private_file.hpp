// PrivateFile: an output file written whole or not at all, with mode 0600.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

namespace refnet::io {

// An output file written whole or not at all, and private (0600) whatever the umask, because it
// holds what the database holds. The text goes to a new temporary file in the same folder, and
// commit() renames it over `path`: until then an existing file keeps its old content, and a
// PrivateFile dropped without commit() (an error half way) leaves nothing behind.
class PrivateFile {
 public:
  // Throws Error(cant_create) when the temporary file cannot be created (no such folder, no
  // permission).
  explicit PrivateFile(std::filesystem::path path);
  PrivateFile(const PrivateFile&) = delete;
  PrivateFile& operator=(const PrivateFile&) = delete;
  ~PrivateFile();

  std::ostream& stream() { return *stream_; }
  const std::filesystem::path& path() const { return path_; }

  // Writes out what is buffered, syncs it to disk and puts the file in place. Throws Error(io)
  // when the data cannot be written, Error(cant_create) when the file cannot be put in place.
  void commit();

 private:
  class Buffer;

  std::filesystem::path path_;
  std::string temporary_;
  std::unique_ptr<Buffer> buffer_;
  std::unique_ptr<std::ostream> stream_;
  bool committed_ = false;
};

// Creates `path` as a new, empty file, 0600 whatever the umask, for a backup that will hold what
// the database holds: an existing file is never overwritten. Throws Error(cant_create).
void create_new_private(const std::filesystem::path& path);

}  // namespace refnet::io
