// vCard and iCalendar content lines: TEXT escaping, and folding at 75 octets.
#pragma once

// What vCard (RFC 6350) and iCalendar (RFC 5545) share: TEXT escaping and content lines folded at
// 75 octets, ending in CRLF.

#include <string>
#include <string_view>

namespace refnet::output {

// Backslash, comma and semicolon escaped with a backslash; every line break (CRLF, LF, CR) as \n.
std::string escape_content_text(std::string_view text);

// The line with CRLF, folded so no physical line passes 75 octets: each continuation starts
// with one space. A fold never splits a UTF-8 sequence. Invalid UTF-8 is replaced first.
std::string fold_content_line(std::string_view line);

}  // namespace refnet::output
