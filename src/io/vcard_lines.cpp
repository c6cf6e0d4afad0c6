// vCard content lines split and their values decoded (see vcard_lines.hpp).
#include "vcard_lines.hpp"

#include <algorithm>

#include "io/vcard.hpp"
#include "text/text.hpp"

namespace refnet::io::detail {

using text::ascii_upper;

bool ContentLine::has_type(std::string_view type) const {
  for (const auto& p : params) {
    const auto eq = p.find('=');
    const auto key = ascii_upper(p.substr(0, eq));
    const std::string values = eq == std::string::npos ? key : ascii_upper(p.substr(eq + 1));
    if (eq == std::string::npos && key == type) return true;  // vCard 2.1 style: ;PREF
    if (key == "TYPE") {
      for (auto v : vcard_split(values, ',')) {
        std::string t(v);
        std::erase(t, '"');
        if (t == type) return true;
      }
    }
  }
  return false;
}

std::optional<std::string> ContentLine::param(std::string_view key) const {
  for (const auto& p : params) {
    const auto eq = p.find('=');
    if (eq != std::string::npos && ascii_upper(p.substr(0, eq)) == key) {
      std::string v = p.substr(eq + 1);
      std::erase(v, '"');
      return v;
    }
  }
  return std::nullopt;
}

ContentLine split_content_line(std::string_view line) {
  ContentLine out;
  bool quoted = false;
  std::size_t colon = std::string_view::npos;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon == std::string_view::npos) return out;
  const auto head = line.substr(0, colon);
  out.value = std::string(line.substr(colon + 1));
  std::vector<std::string> parts;
  std::string part;
  quoted = false;
  for (const char c : head) {
    if (c == '"') quoted = !quoted;
    if (c == ';' && !quoted) {
      parts.push_back(part);
      part.clear();
    } else {
      part.push_back(c);
    }
  }
  parts.push_back(part);
  std::string name = parts.front();
  if (const auto dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
  out.name = ascii_upper(name);
  out.params.assign(parts.begin() + 1, parts.end());
  out.ok = !out.name.empty();
  return out;
}

bool ContentLine::quoted_printable() const {
  if (const auto encoding = param("ENCODING")) return ascii_upper(*encoding) == "QUOTED-PRINTABLE";
  return has_type("QUOTED-PRINTABLE");
}

bool continues_quoted_printable(std::string_view line) {
  if (!line.ends_with('=')) return false;
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  return ascii_upper(line.substr(0, colon)).find("QUOTED-PRINTABLE") != std::string::npos;
}

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// =XX is the byte XX; a '=' that ends the value was a soft line break. A line break encoded in
// the value (=0D=0A, as Outlook writes one in a note) is kept as '\n', the one refnet stores.
std::string from_quoted_printable(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '=' && i + 2 < value.size() && hex(value[i + 1]) >= 0 &&
        hex(value[i + 2]) >= 0) {
      const char byte = static_cast<char>(hex(value[i + 1]) * 16 + hex(value[i + 2]));
      i += 2;
      if (byte == '\r') {
        out.push_back('\n');
        if (value.substr(i + 1, 3) == "=0A" || value.substr(i + 1, 3) == "=0a") i += 3;
      } else {
        out.push_back(byte);
      }
    } else if (value[i] == '=' && i + 1 == value.size()) {
      break;
    } else {
      out.push_back(value[i]);
    }
  }
  return out;
}

// Windows-1252's 0x80-0x9F (ISO-8859-1 has controls there); every other byte is its code point.
constexpr char32_t windows_1252[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

std::string from_windows_1252(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out.push_back(c);
    } else if (b < 0xA0) {
      text::append_utf8(out, windows_1252[b - 0x80]);
    } else {
      text::append_utf8(out, b);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> decoded_value(const ContentLine& line, bool legacy,
                                         std::string& problem) {
  std::string value = line.value;
  if (const auto encoding = line.param("ENCODING")) {
    const auto e = ascii_upper(*encoding);
    if (e == "QUOTED-PRINTABLE") {
      value = from_quoted_printable(value);
    } else if (e != "8BIT" && e != "7BIT") {
      problem = "ENCODING=" + *encoding + " is not supported here";
      return std::nullopt;
    }
  } else if (line.has_type("QUOTED-PRINTABLE")) {
    value = from_quoted_printable(value);
  }
  if (const auto charset = line.param("CHARSET")) {
    const auto c = ascii_upper(*charset);
    if (c == "ISO-8859-1" || c == "LATIN1" || c == "WINDOWS-1252" || c == "CP1252" ||
        c == "US-ASCII") {
      value = from_windows_1252(value);
    } else if (c != "UTF-8") {
      problem = "CHARSET=" + *charset + " is not supported; save the file as UTF-8";
      return std::nullopt;
    }
  } else if (legacy && text::first_invalid_utf8(value)) {
    value = from_windows_1252(value);
  }
  if (text::first_invalid_utf8(value)) {
    problem = "not valid UTF-8; save the file as UTF-8";
    return std::nullopt;
  }
  return value;
}

}  // namespace refnet::io::detail

namespace refnet::io {

std::string vcard_unescape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      const char n = value[++i];
      out.push_back(n == 'n' || n == 'N' ? '\n' : n);
    } else {
      out.push_back(value[i]);
    }
  }
  return out;
}

std::vector<std::string_view> vcard_split(std::string_view value, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\') {
      ++i;
    } else if (value[i] == separator) {
      parts.push_back(value.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(value.substr(start));
  return parts;
}

}  // namespace refnet::io
