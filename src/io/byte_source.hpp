// Internal to src/io: buffered bytes from a stream, read one at a time, with the count consumed.
#pragma once

#include <cstdint>
#include <istream>
#include <string_view>
#include <vector>

namespace refnet::io::detail {

class ByteSource {
 public:
  static constexpr int end = -1;

  explicit ByteSource(std::istream& in) : in_(in), buffer_(1 << 16) {}

  int peek() {
    if (pos_ == size_ && !fill()) return end;
    return static_cast<unsigned char>(buffer_[pos_]);
  }

  int get() {
    if (pos_ == size_ && !fill()) return end;
    ++consumed_;
    return static_cast<unsigned char>(buffer_[pos_++]);
  }

  // The bytes from the current position up to the end of the buffer, refilled when empty: lets a
  // reader copy a run of ordinary bytes at once. Empty at the end of input.
  std::string_view window() {
    if (pos_ == size_ && !fill()) return {};
    return {buffer_.data() + pos_, size_ - pos_};
  }
  void skip(std::size_t n) {
    pos_ += n;
    consumed_ += n;
  }

  std::uint64_t consumed() const { return consumed_; }

 private:
  bool fill() {
    if (!in_) return false;
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    size_ = static_cast<std::size_t>(in_.gcount());
    pos_ = 0;
    return size_ > 0;
  }

  std::istream& in_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t size_ = 0;
  std::uint64_t consumed_ = 0;
};

}  // namespace refnet::io::detail
