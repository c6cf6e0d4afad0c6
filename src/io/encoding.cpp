// UTF-16 decoded to UTF-8, and the first byte that is not UTF-8 found and named (see encoding.hpp).
#include "io/encoding.hpp"

#include "text/text.hpp"

namespace refnet::io {

namespace {

constexpr std::size_t chunk = 1 << 16;

// What a byte that breaks UTF-8 most likely is. Bytes 0x80-0x9F are printable only in
// Windows-1252 (curly quotes, the euro sign); 0xA0-0xFF read the same in it and in ISO-8859-1,
// and Windows-1252 is what spreadsheets on Windows write.
EncodingProblem guess(std::size_t line, unsigned char byte) {
  return {line, byte, "Windows-1252", "WINDOWS-1252"};
}

}  // namespace

Utf8Input::Utf8Input(std::istream& raw) : raw_(raw) {}

void Utf8Input::start() {
  started_ = true;
  char head[4] = {};
  raw_.read(head, 4);
  const auto n = static_cast<std::size_t>(raw_.gcount());
  const auto b = [&](std::size_t i) {
    return i < n ? static_cast<unsigned char>(head[i]) : 0x100u;
  };
  if (b(0) == 0xFF && b(1) == 0xFE) {
    encoding_ = "UTF-16LE";
    little_endian_ = true;
    in_.assign(head + 2, n - 2);
    return;
  }
  if (b(0) == 0xFE && b(1) == 0xFF) {
    encoding_ = "UTF-16BE";
    little_endian_ = false;
    in_.assign(head + 2, n - 2);
    return;
  }
  encoding_ = "UTF-8";
  // ASCII text in UTF-16 without a byte order mark: every other byte is NUL.
  if (n == 4 && b(0) != 0 && b(1) == 0 && b(2) != 0 && b(3) == 0) {
    problem_ = EncodingProblem{1, 0, "UTF-16LE without a byte order mark", "UTF-16LE"};
  } else if (n == 4 && b(0) == 0 && b(1) != 0 && b(2) == 0 && b(3) != 0) {
    problem_ = EncodingProblem{1, 0, "UTF-16BE without a byte order mark", "UTF-16BE"};
  }
  out_.assign(head, n);
  check(out_);
}

bool Utf8Input::fill_utf16() {
  char buffer[chunk];
  raw_.read(buffer, chunk);
  in_.append(buffer, static_cast<std::size_t>(raw_.gcount()));
  out_.clear();
  std::size_t i = 0;
  for (; i + 1 < in_.size(); i += 2) {
    const auto lo = static_cast<unsigned char>(in_[i + (little_endian_ ? 0 : 1)]);
    const auto hi = static_cast<unsigned char>(in_[i + (little_endian_ ? 1 : 0)]);
    const char32_t unit = static_cast<char32_t>(hi << 8 | lo);
    if (high_surrogate_ != 0) {
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        text::append_utf8(out_, 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (unit - 0xDC00));
        high_surrogate_ = 0;
        continue;
      }
      text::append_utf8(out_, text::replacement_character);  // a lone high surrogate
      high_surrogate_ = 0;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      high_surrogate_ = unit;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      text::append_utf8(out_, text::replacement_character);  // a lone low surrogate
    } else {
      text::append_utf8(out_, unit);
    }
  }
  in_.erase(0, i);
  if (out_.empty() && !raw_) {
    if (high_surrogate_ != 0) {
      high_surrogate_ = 0;
      text::append_utf8(out_, text::replacement_character);
    }
    if (!in_.empty()) {  // an odd byte at the end
      in_.clear();
      text::append_utf8(out_, text::replacement_character);
    }
  }
  return !out_.empty();
}

void Utf8Input::check(std::string_view bytes) {
  if (problem_) return;
  std::string carried;
  if (!pending_.empty()) {
    carried = pending_ + std::string(bytes);
    bytes = carried;
    pending_.clear();
  }
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const auto byte = static_cast<unsigned char>(bytes[pos]);
    if (byte < 0x80) {
      if (byte == '\n') ++line_;
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    bool valid = true;
    text::next_code_point(bytes, pos, &valid);
    if (valid) continue;
    // A sequence cut at the buffer's end may be whole with the next buffer's bytes.
    const std::size_t left = bytes.size() - start;
    if (left < 4) {
      const auto need = byte >= 0xF0 ? 4u : byte >= 0xE0 ? 3u : byte >= 0xC2 ? 2u : 0u;
      if (need > left) {
        pending_ = std::string(bytes.substr(start));
        return;
      }
    }
    problem_ = guess(line_, byte);
    return;
  }
}

std::streambuf::int_type Utf8Input::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  if (!started_) {
    start();
    if (encoding_ != "UTF-8") {
      while (!fill_utf16() && raw_) {
      }
    }
  } else if (encoding_ == "UTF-8") {
    out_.resize(chunk);
    raw_.read(out_.data(), chunk);
    out_.resize(static_cast<std::size_t>(raw_.gcount()));
    check(out_);
    if (out_.empty() && !pending_.empty() && !problem_) {
      problem_ = guess(line_, static_cast<unsigned char>(pending_[0]));  // cut at the very end
      pending_.clear();
    }
  } else {
    while (!fill_utf16() && raw_) {  // a lone high surrogate at a buffer's end gives nothing yet
    }
  }
  if (out_.empty()) return traits_type::eof();
  setg(out_.data(), out_.data(), out_.data() + out_.size());
  return traits_type::to_int_type(*gptr());
}

}  // namespace refnet::io
