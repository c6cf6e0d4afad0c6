// What every import reader shares: guessing the format, UTF-8 checks, the formula guard undone.

#include <doctest/doctest.h>

#include <string>

#include "io/reader.hpp"

using namespace refnet::io;

TEST_CASE("reader: the format comes from the extension, else from the first bytes") {
  CHECK(detect_format("a.csv", "[") == InputFormat::csv);
  CHECK(detect_format("A.JSON", "") == InputFormat::json);
  CHECK(detect_format("x.tsv", "") == InputFormat::tsv);
  CHECK(detect_format("book.vcf", "") == InputFormat::vcf);
  CHECK(detect_format("", "  \n[{\"a\":1}]") == InputFormat::json);
  CHECK(detect_format("",
                      "\xEF\xBB\xBF"
                      "BEGIN:VCARD\r\n") == InputFormat::vcf);
  CHECK(detect_format("data", "begin:vcard\n") == InputFormat::vcf);
  CHECK(detect_format("", "name\tnote\nAnn\tx, y\n") == InputFormat::tsv);
  CHECK(detect_format("", "name,note\tx\n") == InputFormat::csv);
  CHECK(detect_format("dir.v1/file", "a,b\n") == InputFormat::csv);
}

TEST_CASE("reader: invalid_utf8_at finds the first bad byte") {
  CHECK(invalid_utf8_at("plain ascii") == std::string::npos);
  CHECK(invalid_utf8_at("Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x98\x80") == std::string::npos);
  CHECK(invalid_utf8_at("ab\xFF") == 2);
  CHECK(invalid_utf8_at("\xC0\xAF") == 0);          // overlong
  CHECK(invalid_utf8_at("\xE0\x80\xAF") == 0);      // overlong
  CHECK(invalid_utf8_at("x\xED\xA0\x80") == 1);     // surrogate
  CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0);  // past U+10FFFF
  CHECK(invalid_utf8_at("ok\xE2\x82") == 2);        // truncated
}

TEST_CASE("reader: the spreadsheet formula guard is undone exactly once") {
  CHECK(unneutralise_formula("'=SUM(A1)") == "=SUM(A1)");
  CHECK(unneutralise_formula("'+1 555 0100") == "+1 555 0100");
  CHECK(unneutralise_formula("'-") == "-");
  CHECK(unneutralise_formula("'@home") == "@home");
  CHECK(unneutralise_formula("''=x") == "'=x");  // the writer guarded a value that began '=
  CHECK(unneutralise_formula("'twas") == "'twas");
  CHECK(unneutralise_formula("'") == "'");
  CHECK(unneutralise_formula("=x") == "=x");
  CHECK(unneutralise_formula("") == "");
}
