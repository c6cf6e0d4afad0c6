// csv (RFC 4180 + the OWASP formula guard) and tsv, cell by cell and as whole outputs.

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/sink.hpp"

using namespace refnet::output;
using namespace std::string_literals;
using namespace std::chrono_literals;

namespace {

Options without_header() {
  Options options;
  options.header = false;
  return options;
}

// Column is an aggregate, and GCC 12's -Wmissing-field-initializers wants every member of a braced
// initializer spelled out, designated or not; assigning leaves the rest at their defaults.
Column col(std::string key, std::string title = {}, bool right_align = false,
           Tone tone = Tone::plain) {
  Column column;
  column.key = std::move(key);
  column.title = std::move(title);
  column.right_align = right_align;
  column.tone = tone;
  return column;
}

std::string render(Format format, const std::vector<Column>& columns,
                   const std::vector<std::vector<Cell>>& rows, Options options = {}) {
  std::ostringstream out;
  const auto sink = make_sink(format, out, options);
  sink->begin(columns);
  for (const auto& row : rows) sink->row(row);
  sink->end();
  return out.str();
}

const refnet::domain::Timestamp nov27 = std::chrono::sys_days{2026y / 11 / 27} + 9h + 13min;

}  // namespace

TEST_CASE("output: csv_escape quotes commas, quotes, CR and LF (RFC 4180)") {
  CHECK(csv_escape("plain") == "plain");
  CHECK(csv_escape("") == "");
  CHECK(csv_escape("Lee, Ann") == "\"Lee, Ann\"");
  CHECK(csv_escape("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_escape("\"") == "\"\"\"\"");
  CHECK(csv_escape("line1\r\nline2") == "\"line1\r\nline2\"");
  CHECK(csv_escape("a\nb") == "\"a\nb\"");
  CHECK(csv_escape("a\rb") == "\"a\rb\"");
  CHECK(csv_escape("tab\tinside") == "tab\tinside");
  CHECK(csv_escape("Zoë 李") == "Zoë 李");
}

TEST_CASE("output: csv_escape neutralises a leading = + - @ tab or CR") {
  CHECK(csv_escape("=SUM(A1:A9)") == "'=SUM(A1:A9)");
  CHECK(csv_escape("+1 555") == "'+1 555");
  CHECK(csv_escape("-2") == "'-2");
  CHECK(csv_escape("@cmd") == "'@cmd");
  CHECK(csv_escape("\tx") == "'\tx");
  CHECK(csv_escape("\rx") == "\"'\rx\"");  // guarded, then quoted for the CR
  CHECK(csv_escape("=HYPERLINK(\"http://x\",\"y\")") ==
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(csv_escape("a=b") == "a=b");  // only the first character matters
  // A value that already starts with an apostrophe before a formula character gets one more, so
  // the guard stays reversible: an import removes exactly one and gets "'=already" back.
  CHECK(csv_escape("'=already") == "''=already");
  CHECK(csv_escape("'twas") == "'twas");
}

TEST_CASE("output: tsv_escape writes tab, newline, CR and backslash as escapes") {
  CHECK(tsv_escape("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e");
  CHECK(tsv_escape("Lee, \"Ann\"") == "Lee, \"Ann\"");
  CHECK(tsv_escape("") == "");
}

TEST_CASE("output: csv writes a header and one line per row, LF endings") {
  const std::vector<Column> columns{col("id"),   col("name"),   col("note"), col("amount"),
                                    col("when"), col("active"), col("day")};
  const std::vector<std::vector<Cell>> rows{
      {std::int64_t{1}, "Lee, Ann"s, "=HYPERLINK(\"x\")"s, std::int64_t{-3}, nov27, true,
       DateCell{"2026-11-27"}},
      {std::int64_t{2}, ""s, Cell{}, 2.5, Cell{}, false, Cell{}},
  };
  CHECK(render(Format::csv, columns, rows) ==
        "id,name,note,amount,when,active,day\n"
        "1,\"Lee, Ann\",\"'=HYPERLINK(\"\"x\"\")\",-3,2026-11-27T09:13:00Z,true,2026-11-27\n"
        "2,,,2.5,,false,\n");
}

TEST_CASE("output: csv never neutralises numbers, only text") {
  const std::vector<Column> columns{col("n"), col("d"), col("text")};
  CHECK(render(Format::csv, columns, {{std::int64_t{-3}, -1.5, "-3"s}}) ==
        "n,d,text\n-3,-1.5,'-3\n");
}

TEST_CASE("output: csv --no-header and empty results") {
  const std::vector<Column> columns{col("id"), col("name")};
  CHECK(render(Format::csv, columns, {{std::int64_t{7}, "Bo"s}}, without_header()) == "7,Bo\n");
  CHECK(render(Format::csv, columns, {}) == "id,name\n");
  CHECK(render(Format::csv, columns, {}, without_header()) == "");
}

TEST_CASE("output: csv keeps an empty single-column row from becoming a blank line") {
  const std::vector<Column> columns{col("name")};
  CHECK(render(Format::csv, columns, {{"Ann"s}, {""s}, {Cell{}}}) == "name\nAnn\n\"\"\n\"\"\n");
}

TEST_CASE("output: csv replaces invalid UTF-8 and ignores row highlighting") {
  const std::vector<Column> columns{col("name"), col("n")};
  std::ostringstream out;
  const auto sink = make_sink(Format::csv, out, {});
  sink->begin(columns);
  sink->row(std::vector<Cell>{"bad\xff"s, std::int64_t{1}}, Tone::alert);
  sink->end();
  CHECK(out.str() == "name,n\nbad\uFFFD,1\n");
}

TEST_CASE("output: a row of the wrong width is a programming error") {
  std::ostringstream out;
  const auto sink = make_sink(Format::csv, out, {});
  const std::vector<Column> columns{col("a"), col("b")};
  sink->begin(columns);
  CHECK_THROWS_AS(sink->row(std::vector<Cell>{std::int64_t{1}}), std::logic_error);
}

TEST_CASE("output: tsv escapes instead of quoting, and guards formulas too") {
  const std::vector<Column> columns{col("id"), col("name"), col("note"), col("when"), col("n")};
  const std::vector<std::vector<Cell>> rows{
      {std::int64_t{1}, "Lee, \"Ann\""s, "two\tcells\nand\\lines"s, nov27, std::int64_t{-4}},
      {std::int64_t{2}, "@evil"s, Cell{}, Cell{}, 0.25},
      {std::int64_t{3}, "\tlead"s, ""s, Cell{}, Cell{}},
  };
  CHECK(render(Format::tsv, columns, rows) ==
        "id\tname\tnote\twhen\tn\n"
        "1\tLee, \"Ann\"\ttwo\\tcells\\nand\\\\lines\t2026-11-27T09:13:00Z\t-4\n"
        "2\t'@evil\t\t\t0.25\n"
        "3\t'\\tlead\t\t\t\n");
  CHECK(render(Format::tsv, columns, {}, without_header()) == "");
}
