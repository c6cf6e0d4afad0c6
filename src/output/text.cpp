#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "detail.hpp"
#include "output/sink.hpp"

namespace refnet::output {
namespace {

struct Interval {
  char32_t first;
  char32_t last;
};

#include "unicode_width.inc"

template <std::size_t N>
bool in_table(const Interval (&table)[N], char32_t cp) {
  const auto* it = std::upper_bound(std::begin(table), std::end(table), cp,
                                    [](char32_t c, const Interval& i) { return c < i.first; });
  return it != std::begin(table) && cp <= std::prev(it)->last;
}

bool is_continuation(unsigned char byte, unsigned char low = 0x80, unsigned char high = 0xBF) {
  return byte >= low && byte <= high;
}

}  // namespace

namespace detail {

bool is_bidi_control(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

char32_t next_code_point(std::string_view text, std::size_t& pos, bool* valid) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const std::size_t left = text.size() - pos;
  const unsigned char b0 = byte(0);
  std::size_t length = 0;
  char32_t cp = 0;
  unsigned char low = 0x80;  // the range the second byte must fall in, per RFC 3629's table
  unsigned char high = 0xBF;
  if (b0 < 0x80) {
    length = 1;
    cp = b0;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) low = 0xA0;   // no overlong forms
    if (b0 == 0xED) high = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) low = 0x90;   // no overlong forms
    if (b0 == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  }
  bool ok = length != 0 && length <= left;
  for (std::size_t i = 1; ok && i < length; ++i) {
    ok = i == 1 ? is_continuation(byte(i), low, high) : is_continuation(byte(i));
    cp = (cp << 6) | (byte(i) & 0x3Fu);
  }
  if (valid != nullptr) *valid = ok;
  if (!ok) {
    ++pos;
    return replacement_character;
  }
  pos += length;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  const auto put = [&](std::uint32_t bits) { out.push_back(static_cast<char>(bits)); };
  const auto c = static_cast<std::uint32_t>(cp);
  if (c < 0x80) {
    put(c);
  } else if (c < 0x800) {
    put(0xC0 | (c >> 6));
    put(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    put(0xE0 | (c >> 12));
    put(0x80 | ((c >> 6) & 0x3F));
    put(0x80 | (c & 0x3F));
  } else {
    put(0xF0 | (c >> 18));
    put(0x80 | ((c >> 12) & 0x3F));
    put(0x80 | ((c >> 6) & 0x3F));
    put(0x80 | (c & 0x3F));
  }
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    bool valid = true;
    next_code_point(text, pos, &valid);
    if (valid) {
      out.append(text.substr(start, pos - start));
    } else {
      append_utf8(out, replacement_character);
    }
  }
  return out;
}

}  // namespace detail

std::string sanitize_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    bool valid = true;
    const char32_t cp = detail::next_code_point(text, pos, &valid);
    const auto code = static_cast<std::uint32_t>(cp);
    if (!valid) {
      detail::append_utf8(out, detail::replacement_character);
    } else if (cp == U'\t') {
      out += "\\t";
    } else if (cp == U'\n') {
      out += "\\n";
    } else if (cp == U'\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      out += fmt::format("\\x{:02x}", code);
    } else if ((cp >= 0x80 && cp <= 0x9F) || detail::is_bidi_control(cp)) {
      out += fmt::format("\\u{:04x}", code);
    } else {
      out.append(text.substr(start, pos - start));
    }
  }
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    bool valid = true;
    const char32_t cp = detail::next_code_point(text, pos, &valid);
    if (!valid) {
      width += 1;  // shown as U+FFFD
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || in_table(zero_width, cp)) {
      continue;
    } else if (in_table(double_width, cp)) {
      width += 2;
    } else {
      width += 1;
    }
  }
  return width;
}

}  // namespace refnet::output
