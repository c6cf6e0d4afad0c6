// Input decoded to UTF-8 from UTF-16, and files that are not Unicode named once.

#include <doctest/doctest.h>

#include <istream>
#include <iterator>
#include <sstream>
#include <string>

#include "io/encoding.hpp"

using refnet::io::Utf8Input;

namespace {

struct Decoded {
  std::string text;
  std::string encoding;
  std::optional<refnet::io::EncodingProblem> problem;
};

Decoded decode(const std::string& bytes) {
  std::istringstream raw(bytes);
  Utf8Input input(raw);
  std::istream in(&input);
  Decoded out;
  out.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  out.encoding = std::string(input.encoding());
  out.problem = input.problem();
  return out;
}

std::string utf16le(const std::u16string& text, bool bom = true) {
  std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
  for (const char16_t u : text) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  }
  return out;
}

std::string utf16be(const std::u16string& text) {
  std::string out("\xFE\xFF", 2);
  for (const char16_t u : text) {
    out += static_cast<char>(u >> 8);
    out += static_cast<char>(u & 0xFF);
  }
  return out;
}

}  // namespace

TEST_CASE("UTF-8 passes through byte for byte, its byte order mark included") {
  const std::string text = "\xEF\xBB\xBFname,city\r\nAnn,K\xC3\xB6ln\r\n";
  const auto d = decode(text);
  CHECK(d.text == text);
  CHECK(d.encoding == "UTF-8");
  CHECK_FALSE(d.problem);
  CHECK(decode("").text.empty());
  CHECK(decode("ab").text == "ab");
}

TEST_CASE("UTF-16 with a byte order mark is decoded, surrogate pairs included") {
  const auto le = decode(utf16le(u"name\tcity\r\nAnn\tK\u00f6ln \U0001F600\r\n"));
  CHECK(le.encoding == "UTF-16LE");
  CHECK(le.text == "name\tcity\r\nAnn\tK\xC3\xB6ln \xF0\x9F\x98\x80\r\n");
  CHECK_FALSE(le.problem);
  const auto be = decode(utf16be(u"Z\u00fcrich"));
  CHECK(be.encoding == "UTF-16BE");
  CHECK(be.text == "Z\xC3\xBCrich");
}

TEST_CASE("broken UTF-16 gives replacement characters, not a stop") {
  // A lone low surrogate, a lone high surrogate at the end, and an odd byte.
  CHECK(decode(utf16le(u"a") + std::string("\x00\xDC", 2)).text == "a\xEF\xBF\xBD");
  CHECK(decode(utf16le(u"a") + std::string("\x00\xD8", 2)).text == "a\xEF\xBF\xBD");
  CHECK(decode(utf16le(u"ab") + "c").text == "ab\xEF\xBF\xBD");
}

TEST_CASE("a file that runs past one buffer decodes the same") {
  std::u16string long_text(200'000, u'x');
  long_text[99'999] = u'\u00e9';
  const auto d = decode(utf16le(long_text));
  CHECK(d.text.size() == 200'001);
  CHECK(d.text.substr(99'999, 2) == "\xC3\xA9");
  // A UTF-8 sequence cut at a buffer's end is still valid.
  std::string utf8(65'535, 'a');
  utf8 += "\xC3\xA9\n";
  CHECK_FALSE(decode(utf8).problem);
}

TEST_CASE("the first byte that is not UTF-8 is named with its line and what it looks like") {
  const auto d = decode("name,city\nAnn,K\xF6ln\nRaj,Z\xFCrich\n");
  REQUIRE(d.problem);
  CHECK(d.problem->line == 2);
  CHECK(d.problem->byte == 0xF6);
  CHECK(d.problem->looks_like == "Windows-1252");
  CHECK(d.problem->iconv_name == "WINDOWS-1252");
  CHECK(d.text == "name,city\nAnn,K\xF6ln\nRaj,Z\xFCrich\n");  // still passed through

  const auto at_end = decode("name\nAnn\xC3");  // a sequence the file cuts short
  REQUIRE(at_end.problem);
  CHECK(at_end.problem->line == 2);
  CHECK(at_end.problem->byte == 0xC3);
}

TEST_CASE("UTF-16 without a byte order mark is recognised by its NUL bytes") {
  const auto d = decode(utf16le(u"name,city\n", false));
  REQUIRE(d.problem);
  CHECK(d.problem->looks_like == "UTF-16LE without a byte order mark");
  CHECK(d.problem->iconv_name == "UTF-16LE");
}
