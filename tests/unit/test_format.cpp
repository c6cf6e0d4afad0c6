// Choosing a format, how cells read as text, and write_record in every format.

#include <doctest/doctest.h>

#include <chrono>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "output/json_writer.hpp"
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

const refnet::domain::Timestamp nov27 = std::chrono::sys_days{2026y / 11 / 27} + 9h + 13min;

std::string record(Format format, const std::vector<Field>& fields, Options options = {}) {
  std::ostringstream out;
  write_record(format, out, fields, options);
  return out.str();
}

}  // namespace

TEST_CASE("output: parse_format accepts the four names in any case") {
  CHECK(parse_format("table") == Format::table);
  CHECK(parse_format("CSV") == Format::csv);
  CHECK(parse_format("Tsv") == Format::tsv);
  CHECK(parse_format("json") == Format::json);
  CHECK_FALSE(parse_format("").has_value());
  CHECK_FALSE(parse_format("jsonl").has_value());
  CHECK_FALSE(parse_format("xml").has_value());
  for (const Format f : {Format::table, Format::csv, Format::tsv, Format::json}) {
    CHECK(parse_format(to_string(f)) == f);
  }
}

TEST_CASE("output: cell_text reads every kind of cell") {
  CHECK(cell_text(Cell{}, false) == "");
  CHECK(cell_text(std::int64_t{-42}, false) == "-42");
  CHECK(cell_text(std::numeric_limits<std::int64_t>::max(), false) == "9223372036854775807");
  CHECK(cell_text(0.1, false) == "0.1");
  CHECK(cell_text(2.0, false) == "2");
  CHECK(cell_text(1.0 / 3.0, false) == "0.3333333333333333");
  CHECK(cell_text(true, false) == "true");
  CHECK(cell_text(false, true) == "false");
  CHECK(cell_text("text"s, true) == "text");
  CHECK(cell_text(nov27, false) == "2026-11-27T09:13:00Z");
  CHECK(cell_text(nov27, true) == refnet::domain::format_local(nov27));
  CHECK(cell_text(DateCell{"2026-11-27"}, false) == "2026-11-27");
  CHECK(cell_text(RawJson{"{\"a\":1}"}, false) == "{\"a\":1}");
}

TEST_CASE("output: write_record as json is one object, not an array") {
  const std::vector<Field> fields{{col("id"), std::int64_t{9}},
                                  {col("name"), "Ann"s},
                                  {col("met"), nov27},
                                  {col("notes"), Cell{}}};
  CHECK(record(Format::json, fields) ==
        "{\"id\":9,\"name\":\"Ann\",\"met\":\"2026-11-27T09:13:00Z\",\"notes\":null}\n");
}

TEST_CASE("output: write_record as csv and tsv is a header and one row") {
  const std::vector<Field> fields{
      {col("id"), std::int64_t{9}}, {col("name"), "Lee, Ann"s}, {col("note"), "=1+1"s}};
  CHECK(record(Format::csv, fields) == "id,name,note\n9,\"Lee, Ann\",'=1+1\n");
  CHECK(record(Format::tsv, fields) == "id\tname\tnote\n9\tLee, Ann\t'=1+1\n");
  CHECK(record(Format::csv, fields, without_header()) == "9,\"Lee, Ann\",'=1+1\n");
}

TEST_CASE("output: write_record with no fields") {
  CHECK(record(Format::table, {}) == "");
  CHECK(record(Format::json, {}) == "{}\n");
}

TEST_CASE("output: make_sink gives each format its writer") {
  const std::vector<Column> columns{col("a"), col("b")};
  const std::vector<Cell> row{std::int64_t{1}, "x y"s};
  const auto render = [&](Format f) {
    std::ostringstream out;
    const auto sink = make_sink(f, out, {});
    sink->begin(columns);
    sink->row(row);
    sink->end();
    return out.str();
  };
  CHECK(render(Format::table) == "A  B\n1  x y\n");
  CHECK(render(Format::csv) == "a,b\n1,x y\n");
  CHECK(render(Format::tsv) == "a\tb\n1\tx y\n");
  CHECK(render(Format::json) == "[\n{\"a\":1,\"b\":\"x y\"}\n]\n");
}
