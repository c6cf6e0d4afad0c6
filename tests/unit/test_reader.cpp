// What every import reader shares: guessing the format, the formula guard undone.

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
