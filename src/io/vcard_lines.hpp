// vCard content lines, internal to src/io: a line split into name, parameters and value, and a
// value decoded from what its parameters say (2.1's QUOTED-PRINTABLE, a CHARSET) into UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace refnet::io::detail {

// One unfolded content line: [group.]NAME *(;PARAM) : VALUE
struct ContentLine {
  std::string name;                 // upper case, without the group
  std::vector<std::string> params;  // "TYPE=work,pref" as written, upper-cased names
  std::string value;
  bool ok = false;

  // Whether TYPE lists `type` (TYPE=work,fax), or 2.1 gives it bare (;FAX).
  bool has_type(std::string_view type) const;
  std::optional<std::string> param(std::string_view key) const;
  bool preferred() const { return has_type("PREF") || param("PREF").has_value(); }
  // vCard 2.1's QUOTED-PRINTABLE, given as ENCODING=QUOTED-PRINTABLE or bare.
  bool quoted_printable() const;
};

ContentLine split_content_line(std::string_view line);

// Whether a raw line is the start of a QUOTED-PRINTABLE value that goes on to the next line:
// 2.1 breaks those with a '=' at the line's end, not with a leading space.
bool continues_quoted_printable(std::string_view line);

// The value as UTF-8 text, still vCard-escaped: QUOTED-PRINTABLE decoded, and a CHARSET of
// ISO-8859-1, Windows-1252 or US-ASCII turned into UTF-8. In a 2.1 card (`legacy`), a value with
// no CHARSET that is not UTF-8 is read as Windows-1252, the code page desktop Outlook writes in.
// Nothing, with `problem` set, when the encoding or charset is one refnet does not read, or the
// result is not UTF-8.
std::optional<std::string> decoded_value(const ContentLine& line, bool legacy,
                                         std::string& problem);

}  // namespace refnet::io::detail
