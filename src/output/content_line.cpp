// vCard and iCalendar content lines: TEXT escaped, lines folded at 75 octets on UTF-8 boundaries.
#include "output/content_line.hpp"

#include "detail.hpp"
#include "text/text.hpp"

namespace refnet::output {

std::string escape_content_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ',':
        out += "\\,";
        break;
      case ';':
        out += "\\;";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string fold_content_line(std::string_view line) {
  const std::string text = text::valid_utf8(line);
  constexpr std::size_t limit = 75;
  std::string out;
  out.reserve(text.size() + text.size() / 70 * 3 + 2);
  std::size_t pos = 0;
  bool first = true;
  while (true) {
    // A continuation line's leading space counts toward its 75 octets.
    const std::size_t room = first ? limit : limit - 1;
    if (text.size() - pos <= room) {
      if (!first) out += ' ';
      out.append(text, pos, std::string::npos);
      out += "\r\n";
      return out;
    }
    std::size_t cut = pos + room;
    // Never inside a UTF-8 sequence: back up to the start of the code point.
    while (cut > pos && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    if (!first) out += ' ';
    out.append(text, pos, cut - pos);
    out += "\r\n";
    pos = cut;
    first = false;
  }
}

}  // namespace refnet::output
