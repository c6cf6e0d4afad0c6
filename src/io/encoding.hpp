// Input as UTF-8 whatever Unicode encoding a file came in, and what a file that is not Unicode
// looks like, for one clear refusal instead of a problem on every line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>

namespace refnet::io {

// The first place a file stops being UTF-8: its line, the byte, and what the bytes look like.
struct EncodingProblem {
  std::size_t line = 0;
  unsigned char byte = 0;
  std::string looks_like;  // "Windows-1252", "ISO-8859-1", "UTF-16LE without a byte order mark"
  std::string iconv_name;  // what to convert it from with iconv, e.g. WINDOWS-1252
};

// A stream buffer over `raw` that gives UTF-8: a file starting with a UTF-16 byte order mark
// (LE or BE, as Excel's "Unicode Text" writes) is decoded to UTF-8; any other is passed through
// byte for byte, a UTF-8 byte order mark included, for the readers to drop. Bytes that are not
// UTF-8 are passed through too (a vCard may declare another CHARSET), and the first of them is
// kept in problem() for the caller to judge.
class Utf8Input final : public std::streambuf {
 public:
  explicit Utf8Input(std::istream& raw);
  Utf8Input(const Utf8Input&) = delete;
  Utf8Input& operator=(const Utf8Input&) = delete;

  // "UTF-8", "UTF-16LE" or "UTF-16BE", once reading has begun.
  std::string_view encoding() const { return encoding_; }
  const std::optional<EncodingProblem>& problem() const { return problem_; }

 protected:
  int_type underflow() override;

 private:
  void start();
  bool fill_utf16();
  void check(std::string_view bytes);

  std::istream& raw_;
  std::string encoding_;
  bool started_ = false;
  bool little_endian_ = true;
  std::string in_;   // raw bytes read and not yet decoded
  std::string out_;  // what underflow hands out
  char32_t high_surrogate_ = 0;
  // The UTF-8 check's state across buffers: the line, and a sequence cut at a buffer's end.
  std::size_t line_ = 1;
  std::string pending_;
  std::optional<EncodingProblem> problem_;
};

}  // namespace refnet::io
