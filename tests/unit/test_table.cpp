// The table writer: alignment by display width, terminal safety, colour, and the record card.

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/json_writer.hpp"
#include "output/sink.hpp"

using namespace refnet::output;
using namespace std::string_literals;
using namespace std::chrono_literals;

namespace {

Options in_colour() {
  Options options;
  options.color = true;
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

struct TonedRow {
  std::vector<Cell> cells;
  Tone tone = Tone::plain;
};

std::string render(const std::vector<Column>& columns, const std::vector<TonedRow>& rows,
                   Options options = {}) {
  std::ostringstream out;
  const auto sink = make_sink(Format::table, out, options);
  sink->begin(columns);
  for (const auto& row : rows) {
    if (row.tone == Tone::plain) {
      sink->row(row.cells);
    } else {
      sink->row(row.cells, row.tone);
    }
  }
  sink->end();
  return out.str();
}

const refnet::domain::Timestamp nov27 = std::chrono::sys_days{2026y / 11 / 27} + 9h + 13min;

}  // namespace

TEST_CASE("output: table aligns columns two spaces apart, numbers on the right") {
  const std::vector<Column> columns{col("id", "", true), col("name"), col("specialty")};
  CHECK(render(columns, {{{std::int64_t{1}, "Ann Lee"s, "Cardiology"s}},
                         {{std::int64_t{12}, "Bo"s, Cell{}}}}) ==
        "ID  NAME     SPECIALTY\n"
        " 1  Ann Lee  Cardiology\n"
        "12  Bo\n");
}

TEST_CASE("output: table titles come from Column::title or the key") {
  const std::vector<Column> columns{col("next_due"), col("npi", "NPI"), col("last_touch_at")};
  CHECK(render(columns, {{{"soon"s, "1234567893"s, "x"s}}}) ==
        "NEXT DUE  NPI         LAST TOUCH AT\n"
        "soon      1234567893  x\n");
}

TEST_CASE("output: table never ends a line in whitespace") {
  const std::vector<Column> columns{col("a"), col("b"), col("c")};
  CHECK(render(columns, {{{"long value"s, Cell{}, ""s}}, {{Cell{}, "b"s, Cell{}}}}) ==
        "A           B  C\n"
        "long value\n"
        "            b\n");
}

TEST_CASE("output: table prints nothing at all for no rows") {
  CHECK(render({col("id"), col("name")}, {}) == "");
  CHECK(render({col("id"), col("name")}, {}, in_colour()) == "");
}

TEST_CASE("output: table widths count East Asian wide and combining characters") {
  const std::vector<Column> columns{col("name"), col("city")};
  CHECK(render(columns, {{{"李小龍"s, "HK"s}},
                         {{"Bob"s, "NY"s}},
                         {{"Jose\u0301"s, "MX"s}},
                         {{"한국"s, "KR"s}}}) ==
        "NAME    CITY\n"
        "李小龍  HK\n"
        "Bob     NY\n"
        "Jose\u0301    MX\n"
        "한국    KR\n");
}

TEST_CASE("output: table shows control characters instead of sending them") {
  const std::vector<Column> columns{col("name"), col("n")};
  const std::string out = render(columns, {{{"\x1b[31mEvil\x1b[0m"s, std::int64_t{1}}},
                                           {{"two\nlines"s, std::int64_t{2}}},
                                           {{"bad\xff"s, std::int64_t{3}}}});
  CHECK(out ==
        "NAME                 N\n"
        "\\x1b[31mEvil\\x1b[0m  1\n"
        "two\\nlines           2\n"
        "bad\uFFFD                 3\n");
  CHECK(out.find('\x1b') == std::string::npos);
}

TEST_CASE("output: table sanitises titles too") {
  CHECK(render({col("x", "T\x1b")}, {{{"v"s}}}) == "T\\x1b\nv\n");
}

TEST_CASE("output: table shows timestamps in local time, other cells as text") {
  const std::vector<Column> columns{col("due"), col("day"), col("ok"), col("score"), col("raw")};
  const std::string local = refnet::domain::format_local(nov27);
  REQUIRE(local.size() == 16);
  CHECK(render(columns, {{{nov27, DateCell{"2026-11-28"}, true, 2.5, RawJson{"[1]"}}}}) ==
        "DUE               DAY         OK    SCORE  RAW\n" + local +
            "  2026-11-28  true  2.5    [1]\n");
}

TEST_CASE("output: table colour: bold header, column tones, whole-row tones, uncoloured padding") {
  const std::vector<Column> columns{col("name"), col("status", "", false, Tone::warn),
                                    col("n", "", true, Tone::dim)};
  const std::vector<TonedRow> rows{{{"Ann"s, "late"s, std::int64_t{3}}},
                                   {{"Bo"s, "ok"s, std::int64_t{10}}, Tone::alert},
                                   {{"Cy"s, ""s, Cell{}}, Tone::good}};
  CHECK(render(columns, rows, in_colour()) ==
        "\x1b[1mNAME\x1b[0m  \x1b[1mSTATUS\x1b[0m   \x1b[1mN\x1b[0m\n"
        "Ann   \x1b[33mlate\x1b[0m     \x1b[2m3\x1b[0m\n"
        "\x1b[31mBo\x1b[0m    \x1b[31mok\x1b[0m      \x1b[31m10\x1b[0m\n"
        "\x1b[32mCy\x1b[0m\n");
  CHECK(render(columns, rows, Options{}) ==
        "NAME  STATUS   N\n"
        "Ann   late     3\n"
        "Bo    ok      10\n"
        "Cy\n");
}

TEST_CASE("output: table bold tone") {
  CHECK(render({col("a")}, {{{"x"s}, Tone::bold}}, in_colour()) ==
        "\x1b[1mA\x1b[0m\n\x1b[1mx\x1b[0m\n");
}

TEST_CASE("output: write_record as a table is an aligned card") {
  const std::vector<Field> fields{
      {col("name"), "Ann Lee"s}, {col("next_due"), nov27},     {col("npi", "NPI"), "1234567893"s},
      {col("notes"), Cell{}},    {col("bio"), "line\x1b[2J"s},
  };
  std::ostringstream out;
  write_record(Format::table, out, fields, {});
  CHECK(out.str() ==
        "Name:      Ann Lee\n"
        "Next due:  " +
            refnet::domain::format_local(nov27) +
            "\n"
            "NPI:       1234567893\n"
            "Notes:\n"
            "Bio:       line\\x1b[2J\n");
}

TEST_CASE("output: write_record card in colour: bold labels, toned values") {
  const std::vector<Field> fields{{col("name"), "Ann"s},
                                  {col("state", "", false, Tone::alert), "overdue"s}};
  std::ostringstream out;
  write_record(Format::table, out, fields, in_colour());
  CHECK(out.str() ==
        "\x1b[1mName:\x1b[0m   Ann\n"
        "\x1b[1mState:\x1b[0m  \x1b[31moverdue\x1b[0m\n");
}

TEST_CASE("output: columns kept out of tables are left out of tables and cards only") {
  Column email = col("email");
  email.in_table = false;
  const std::vector<Column> columns{col("id", "", true), email, col("name")};
  const std::vector<Cell> row{std::int64_t{3}, "ann@example.org"s, "Ann"s};
  std::ostringstream table;
  const auto sink = make_sink(Format::table, table, {});
  sink->begin(columns);
  sink->row(row, Tone::alert);
  sink->end();
  CHECK(table.str() == "ID  NAME\n 3  Ann\n");

  std::ostringstream csv;
  const auto csv_sink = make_sink(Format::csv, csv, {});
  csv_sink->begin(columns);
  csv_sink->row(row);
  csv_sink->end();
  CHECK(csv.str() == "id,email,name\n3,ann@example.org,Ann\n");

  const std::vector<Field> fields{{col("name"), "Ann"s}, {email, "ann@example.org"s}};
  std::ostringstream card;
  write_record(Format::table, card, fields, {});
  CHECK(card.str() == "Name:  Ann\n");
  std::ostringstream json;
  write_record(Format::json, json, fields, {});
  CHECK(json.str() == "{\"name\":\"Ann\",\"email\":\"ann@example.org\"}\n");
}

TEST_CASE("output: a table row of the wrong width is a programming error") {
  std::ostringstream out;
  const auto sink = make_sink(Format::table, out, {});
  const std::vector<Column> columns{col("a"), col("b")};
  sink->begin(columns);
  CHECK_THROWS_AS(sink->row(std::vector<Cell>{"x"s}), std::logic_error);
}

TEST_CASE("output: table fits a terminal by cutting free text, the widest column first") {
  const std::vector<Column> columns{col("id", "", true), free_text(col("name")),
                                    free_text(col("note")), col("due")};
  const std::vector<TonedRow> rows{
      {{std::int64_t{7}, "Dr. Ann Lee"s, "thank her for the three referrals in May"s, nov27}},
      {{std::int64_t{12}, "Bo"s, "call"s, nov27}}};
  const std::string full = render(columns, rows);
  CHECK(full.find("three referrals in May") != std::string::npos);
  Options narrow;
  narrow.fit_width = 50;
  // id 2 + name 11 + note 40 + due 16 + 3 gaps of 2 = 75: the note, the widest, gives way alone
  // (to 15); the name stays whole.
  CHECK(render(columns, rows, narrow) ==
        "ID  NAME         NOTE             DUE\n"
        " 7  Dr. Ann Lee  thank her for \xE2\x80\xA6  2026-11-27 09:13\n"
        "12  Bo           call             2026-11-27 09:13\n");
  // Narrower still: both free-text columns down to 6 columns, ids and times whole.
  narrow.fit_width = 30;
  CHECK(render(columns, rows, narrow) ==
        "ID  NAME    NOTE    DUE\n"
        " 7  Dr. A\xE2\x80\xA6  thank\xE2\x80\xA6  2026-11-27 09:13\n"
        "12  Bo      call    2026-11-27 09:13\n");
  // Without UTF-8 the ellipsis is three dots; a table with nothing left to cut stays wider.
  narrow.utf8 = false;
  narrow.fit_width = 45;
  CHECK(render(columns, rows, narrow).find(" Dr. Ann...  thank he...  ") != std::string::npos);
  const std::vector<Column> fixed{col("id", "", true), col("due")};
  narrow.fit_width = 5;
  CHECK(render(fixed, {{{std::int64_t{7}, nov27}}}, narrow) == "ID  DUE\n 7  2026-11-27 09:13\n");
  // A column that may go goes when cutting free text is not enough, and only then.
  Column later = col("later");
  later.drops = true;
  const std::vector<Column> roomy{col("id", "", true), col("due"), later};
  const std::vector<TonedRow> row{{{std::int64_t{7}, nov27, nov27}}};
  narrow.fit_width = 40;
  CHECK(render(roomy, row, narrow) ==
        "ID  DUE               LATER\n 7  2026-11-27 09:13  2026-11-27 09:13\n");
  narrow.fit_width = 30;
  CHECK(render(roomy, row, narrow) == "ID  DUE\n 7  2026-11-27 09:13\n");
}

TEST_CASE("output: a table that wraps folds free text onto more lines, words whole") {
  const std::vector<Column> columns{col("id", "", true), free_text(col("note")), col("due")};
  const std::vector<TonedRow> rows{
      {{std::int64_t{7}, "thank her for the three referrals in May"s, nov27}},
      {{std::int64_t{12}, "call"s, nov27}}};
  Options options;
  options.fit_width = 40;
  options.wrap = true;
  // id 2 + due 16 + 2 gaps of 2 = 22: the note gets 18, and goes on to more lines, uncut.
  CHECK(render(columns, rows, options) ==
        "ID  NOTE                DUE\n"
        " 7  thank her for the   2026-11-27 09:13\n"
        "    three referrals in\n"
        "    May\n"
        "12  call                2026-11-27 09:13\n");
  // A column narrows no further than its longest word while the table can still fit...
  options.fit_width = 31;
  const auto narrow = render(columns, rows, options);
  CHECK(narrow.find("referrals") != std::string::npos);
  CHECK(narrow.find("\xE2\x80\xA6") == std::string::npos);
  // ...and a word too long for any room is broken across lines, so the table still fits.
  const std::vector<TonedRow> long_word{
      {{std::int64_t{7}, "Wolfeschlegelsteinhausenbergerdorff"s, nov27}}};
  options.fit_width = 40;
  const auto folded = render(columns, long_word, options);
  CHECK(folded ==
        "ID  NOTE                DUE\n"
        " 7  Wolfeschlegelstein  2026-11-27 09:13\n"
        "    hausenbergerdorff\n");
}

TEST_CASE("output: room a dropped column leaves goes back to the narrowed ones") {
  Column later = col("later");
  later.drops = true;
  const std::vector<Column> columns{free_text(col("name")), col("due"), later};
  const std::vector<TonedRow> rows{{{"Dr. Ann Lee-Harrington"s, nov27, nov27}}};
  Options options;
  options.fit_width = 40;
  // The name cannot shrink enough to keep `later`; once it goes, the name is whole again.
  CHECK(render(columns, rows, options) ==
        "NAME                    DUE\nDr. Ann Lee-Harrington  2026-11-27 09:13\n");
}
