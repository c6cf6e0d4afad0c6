// Terminal safety: what stored text may do to a terminal.

#include <doctest/doctest.h>

#include <string>

#include "output/sink.hpp"
#include "text/text.hpp"

using refnet::output::sanitize_for_terminal;
using namespace std::string_literals;

TEST_CASE("output: sanitize_for_terminal shows escape sequences instead of obeying them") {
  CHECK(sanitize_for_terminal("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(sanitize_for_terminal("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
  CHECK(sanitize_for_terminal("a\tb\nc\rd") == "a\\tb\\nc\\rd");
  CHECK(sanitize_for_terminal("nul\0here"s) == "nul\\x00here");
  CHECK(sanitize_for_terminal("del\x7f") == "del\\x7f");
}

TEST_CASE("output: sanitize_for_terminal shows C1 controls and bidi overrides") {
  CHECK(sanitize_for_terminal("\xc2\x9b"
                              "31m") == "\\u009b31m");  // U+009B, the 8-bit CSI
  CHECK(sanitize_for_terminal("\xc2\x85") == "\\u0085");
  CHECK(sanitize_for_terminal("abc\u202edef") == "abc\\u202edef");
  CHECK(sanitize_for_terminal("\u2066x\u2069") == "\\u2066x\\u2069");
}

TEST_CASE("output: sanitize_for_terminal replaces invalid UTF-8 byte by byte") {
  CHECK(sanitize_for_terminal("\x9b"
                              "31m") == "\uFFFD31m");                    // a lone 8-bit CSI byte
  CHECK(sanitize_for_terminal("\xc0\xaf") == "\uFFFD\uFFFD");            // overlong '/'
  CHECK(sanitize_for_terminal("\xed\xa0\x80") == "\uFFFD\uFFFD\uFFFD");  // a surrogate
  CHECK(sanitize_for_terminal("ok\xe6\x9d") == "ok\uFFFD\uFFFD");        // cut short
  CHECK(sanitize_for_terminal("\xf4\x90\x80\x80") == "\uFFFD\uFFFD\uFFFD\uFFFD");  // > U+10FFFF
}

TEST_CASE("output: sanitize_for_terminal keeps ordinary text byte for byte") {
  CHECK(sanitize_for_terminal("") == "");
  CHECK(sanitize_for_terminal("Dr. Müller-Lüdenscheidt") == "Dr. Müller-Lüdenscheidt");
  CHECK(sanitize_for_terminal("李小龍 😀 𝄞") == "李小龍 😀 𝄞");
  CHECK(sanitize_for_terminal("C:\\path") == "C:\\path");
  CHECK(sanitize_for_terminal("Jose\u0301") == "Jose\u0301");
}

TEST_CASE("output: sanitized text is as wide as it is printed") {
  CHECK(refnet::text::display_width(sanitize_for_terminal("\x1b[1m")) == 7);  // \x1b[1m
  CHECK(refnet::text::display_width(sanitize_for_terminal("a\tb")) == 4);
}
