// Stored text made safe to print on a terminal: control, C1 and bidi characters shown, not obeyed.
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "detail.hpp"
#include "output/sink.hpp"
#include "text/text.hpp"

namespace refnet::output {

namespace detail {

bool is_bidi_control(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace detail

std::string sanitize_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    bool valid = true;
    const char32_t cp = text::next_code_point(text, pos, &valid);
    const auto code = static_cast<std::uint32_t>(cp);
    if (!valid) {
      text::append_utf8(out, text::replacement_character);
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

}  // namespace refnet::output
