// The csv and tsv readers, corner by corner of RFC 4180 and of files people really have.

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "io/reader.hpp"

using namespace refnet::io;

namespace {

struct Read {
  std::vector<std::string> columns;
  std::vector<Record> records;
  std::vector<Problem> header_problems;

  std::vector<std::string> row(std::size_t i) const {
    std::vector<std::string> out;
    for (const auto& v : records.at(i).values) out.push_back(v.value_or("<null>"));
    return out;
  }
  std::vector<std::string> problems() const {
    std::vector<std::string> out;
    for (const auto& p : header_problems)
      out.push_back(std::to_string(p.line) + ":" + p.column + ":" + p.what);
    for (const auto& r : records) {
      for (const auto& p : r.problems)
        out.push_back(std::to_string(p.line) + ":" + p.column + ":" + p.what);
    }
    return out;
  }
};

Read read(const std::string& text, InputFormat format = InputFormat::csv) {
  std::istringstream in(text);
  auto reader = make_reader(format, in);
  Read out;
  Record record;
  while (reader->next(record)) out.records.push_back(record);
  out.columns = reader->columns();
  out.header_problems = reader->header_problems();
  return out;
}

using Row = std::vector<std::string>;

}  // namespace

TEST_CASE("csv_reader: a header and plain rows, LF or CRLF, with or without a last line end") {
  for (const std::string text : {"a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n", "a,b\n1,2\n3,4"}) {
    const auto r = read(text);
    CHECK(r.columns == Row{"a", "b"});
    REQUIRE(r.records.size() == 2);
    CHECK(r.row(0) == Row{"1", "2"});
    CHECK(r.row(1) == Row{"3", "4"});
    CHECK(r.records[0].line == 2);
    CHECK(r.records[1].line == 3);
    CHECK(r.problems().empty());
  }
}

TEST_CASE("csv_reader: quoted fields keep commas, doubled quotes and line breaks") {
  const auto r = read(
      "name,note\n\"Lee, Ann\",\"say "
      "\"\"hi\"\"\"\n\"x\",\"two\r\nlines\"\n\"y\",\"lf\nonly\"\nz,\"\"\n");
  REQUIRE(r.records.size() == 4);
  CHECK(r.row(0) == Row{"Lee, Ann", "say \"hi\""});
  CHECK(r.row(1) == Row{"x", "two\r\nlines"});
  CHECK(r.row(2) == Row{"y", "lf\nonly"});
  CHECK(r.row(3) == Row{"z", ""});
  // Physical lines: a quoted line break moves the next record down.
  CHECK(r.records[1].line == 3);
  CHECK(r.records[2].line == 5);
  CHECK(r.records[3].line == 7);
  CHECK(r.problems().empty());
}

TEST_CASE("csv_reader: a UTF-8 byte order mark is not part of the first column's name") {
  const auto r = read("\xEF\xBB\xBFname,city\nAnn,Z\xC3\xBCrich\n");
  CHECK(r.columns == Row{"name", "city"});
  CHECK(r.row(0) == Row{"Ann", "Z\xC3\xBCrich"});
}

TEST_CASE("csv_reader: blank lines are skipped, empty fields stay") {
  const auto r = read("a,b\n\n1,\n\r\n,2\n\n");
  REQUIRE(r.records.size() == 2);
  CHECK(r.row(0) == Row{"1", ""});
  CHECK(r.row(1) == Row{"", "2"});
  CHECK(r.records[1].line == 5);
}

TEST_CASE("csv_reader: a lone quoted empty field is a row, not a blank line") {
  const auto r = read("note\n\"\"\nx\n");
  REQUIRE(r.records.size() == 2);
  CHECK(r.row(0) == Row{""});
}

TEST_CASE("csv_reader: ragged rows are problems of their line") {
  const auto r = read("a,b,c\n1,2\n1,2,3,4\n1,2,3\n");
  REQUIRE(r.records.size() == 3);
  CHECK(r.problems() == Row{"2::2 fields but the header has 3 columns",
                            "3::4 fields but the header has 3 columns"});
}

TEST_CASE("csv_reader: an unterminated quote names the line it opened on and ends the file") {
  const auto r = read("a,b\n1,2\n3,\"never\nends\n4,5\n");
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[1].values.empty());
  CHECK(r.problems() ==
        Row{"3::a quoted field that starts on line 3 never ends: a closing quote is missing"});
}

TEST_CASE("csv_reader: stray quotes are problems, not guesses") {
  const auto r = read("a,b\n5\" screen,x\n\"ok\"tail,y\n");
  REQUIRE(r.records.size() == 2);
  const auto p = r.problems();
  REQUIRE(p.size() == 2);
  CHECK(p[0].starts_with("2:a:a quote inside an unquoted field"));
  CHECK(p[1].starts_with("3:a:text after the closing quote"));
}

TEST_CASE("csv_reader: invalid UTF-8 and NUL bytes are problems of their column") {
  static constexpr char bytes[] =
      "name,city\nAnn,M\xFCnchen\nBob,\xC3\x28x\nCid,a\0b\nDee,\xED\xA0\x80\n";
  const std::string text(bytes, sizeof bytes - 1);
  const auto r = read(text);
  REQUIRE(r.records.size() == 4);
  const auto p = r.problems();
  REQUIRE(p.size() == 4);
  CHECK(p[0] == "2:city:not valid UTF-8 (byte 0xFC at offset 1); save the file as UTF-8");
  CHECK(p[1].starts_with("3:city:not valid UTF-8 (byte 0xC3"));
  CHECK(p[2] == "4:city:contains a NUL byte");
  CHECK(p[3].starts_with("5:city:not valid UTF-8 (byte 0xED"));  // a UTF-16 surrogate
}

TEST_CASE("csv_reader: an empty file has no columns; a header alone has no records") {
  CHECK(read("").columns.empty());
  CHECK(read("").records.empty());
  CHECK(read("\xEF\xBB\xBF").columns.empty());
  const auto header = read("a,b\r\n");
  CHECK(header.columns == Row{"a", "b"});
  CHECK(header.records.empty());
}

TEST_CASE("csv_reader: lone CR line ends (old Mac files) count as lines") {
  const auto r = read("a\r1\r2\r");
  REQUIRE(r.records.size() == 2);
  CHECK(r.row(1) == Row{"2"});
  CHECK(r.records[1].line == 3);
}

TEST_CASE("csv_reader: a long file streams through the buffer without losing a byte") {
  std::string text = "id,note\n";
  for (int i = 0; i < 20000; ++i)
    text += std::to_string(i) + ",\"line " + std::to_string(i) + ", quoted\"\n";
  const auto r = read(text);
  REQUIRE(r.records.size() == 20000);
  CHECK(r.row(19999) == Row{"19999", "line 19999, quoted"});
  CHECK(r.records[19999].line == 20001);
  CHECK(r.problems().empty());
}

TEST_CASE("csv_reader: tsv splits on tabs and undoes the writer's escapes") {
  const auto r =
      read("name\tnote\nAnn\ta\\tb\\nc\\\\d\\re\nBob\tC:\\x \"quoted\"\n", InputFormat::tsv);
  CHECK(r.columns == Row{"name", "note"});
  REQUIRE(r.records.size() == 2);
  CHECK(r.row(0) == Row{"Ann", "a\tb\nc\\d\re"});
  CHECK(r.row(1) == Row{"Bob", "C:\\x \"quoted\""});  // no quoting in tsv; unknown escapes stay
  CHECK(r.problems().empty());
}
