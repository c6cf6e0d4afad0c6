// Escaping and 75-octet folding shared by the vCard and iCalendar writers.

#include <doctest/doctest.h>

#include <string>

#include "output/content_line.hpp"

using namespace refnet::output;

TEST_CASE("content_line: TEXT escaping") {
  CHECK(escape_content_text("plain") == "plain");
  CHECK(escape_content_text("a,b;c\\d") == "a\\,b\\;c\\\\d");
  CHECK(escape_content_text("one\ntwo\r\nthree\rfour") == "one\\ntwo\\nthree\\nfour");
}

TEST_CASE("content_line: short lines are left alone, with CRLF") {
  CHECK(fold_content_line("FN:Ann") == "FN:Ann\r\n");
  CHECK(fold_content_line(std::string(75, 'a')) == std::string(75, 'a') + "\r\n");
}

TEST_CASE("content_line: long lines fold at 75 octets, continuations start with a space") {
  const std::string line(200, 'x');
  const auto folded = fold_content_line(line);
  CHECK(folded == std::string(75, 'x') + "\r\n " + std::string(74, 'x') + "\r\n " +
                      std::string(51, 'x') + "\r\n");
}

TEST_CASE("content_line: a fold never splits a UTF-8 sequence") {
  // 73 ASCII octets, then a 3-octet euro sign that would straddle octet 75.
  const std::string line = std::string(73, 'a') + "\xE2\x82\xAC" + "tail";
  const auto folded = fold_content_line(line);
  CHECK(folded == std::string(73, 'a') + "\r\n \xE2\x82\xAC" + "tail\r\n");
  // Many 4-octet characters: every physical line stays within 75 octets and valid.
  std::string emoji;
  for (int i = 0; i < 50; ++i) emoji += "\xF0\x9F\x98\x80";
  const auto many = fold_content_line("NOTE:" + emoji);
  std::size_t start = 0;
  std::string unfolded;
  while (start < many.size()) {
    const auto end = many.find("\r\n", start);
    CHECK(end - start <= 75);
    unfolded += many.substr(start == 0 ? start : start + 1, end - (start == 0 ? start : start + 1));
    start = end + 2;
  }
  CHECK(unfolded == "NOTE:" + emoji);
}

TEST_CASE("content_line: invalid UTF-8 is replaced, never written") {
  CHECK(fold_content_line("NOTE:a\xFF"
                          "b") ==
        "NOTE:a\xEF\xBF\xBD"
        "b\r\n");
}
