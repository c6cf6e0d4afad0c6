// The json writers: string escaping, the streamed array of rows, single objects, JsonWriter.

#include <doctest/doctest.h>

#include <chrono>
#include <limits>
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

Options single_object() {
  Options options;
  options.single_object = true;
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

std::string render(const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& rows,
                   Options options = {}) {
  std::ostringstream out;
  const auto sink = make_sink(Format::json, out, options);
  sink->begin(columns);
  for (const auto& row : rows) sink->row(row);
  sink->end();
  return out.str();
}

const refnet::domain::Timestamp nov27 = std::chrono::sys_days{2026y / 11 / 27} + 9h + 13min;

}  // namespace

TEST_CASE("output: json_quote escapes quotes, backslashes and control characters") {
  CHECK(json_quote("") == "\"\"");
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(json_quote("C:\\dir") == "\"C:\\\\dir\"");
  CHECK(json_quote("a\nb\rc\td") == "\"a\\nb\\rc\\td\"");
  CHECK(json_quote("\x1b[31m") == "\"\\u001b[31m\"");
  CHECK(json_quote("\b\f\x01") == "\"\\u0008\\u000c\\u0001\"");
  CHECK(json_quote("nul\0"s) == "\"nul\\u0000\"");
  // JSON does not require these escaped, but a terminal could act on them (U+009B is an 8-bit
  // CSI, the bidi controls reorder what is shown): escaped, they keep the same value.
  CHECK(json_quote("del\x7f") == "\"del\\u007f\"");
  CHECK(json_quote("c1 \u009b31m \u0085") == "\"c1 \\u009b31m \\u0085\"");
  CHECK(json_quote("\u202eevil\u202c \u2067x\u2069") == "\"\\u202eevil\\u202c \\u2067x\\u2069\"");
  CHECK(json_quote("a\u2028b\u2029") == "\"a\\u2028b\\u2029\"");
  CHECK(json_quote("/") == "\"/\"");
}

TEST_CASE("output: json_quote passes UTF-8 through and replaces invalid bytes") {
  CHECK(json_quote("Zoë 李小龍 😀") == "\"Zoë 李小龍 😀\"");
  CHECK(json_quote("bad\xff") == "\"bad\uFFFD\"");
  CHECK(json_quote("\xc3") == "\"\uFFFD\"");                      // truncated two-byte sequence
  CHECK(json_quote("\xed\xa0\x80") == "\"\uFFFD\uFFFD\uFFFD\"");  // a surrogate is not UTF-8
}

TEST_CASE("output: json rows stream as an array of one-line objects") {
  const std::vector<Column> columns{col("id"), col("name"), col("due"),  col("score"),
                                    col("ok"), col("day"),  col("tags"), col("note")};
  const std::vector<std::vector<Cell>> rows{
      {std::int64_t{1}, "Ann \"A\" Lee"s, nov27, 0.1, true, DateCell{"2026-11-27"},
       RawJson{"[\"a\",\"b\"]"}, Cell{}},
      {std::int64_t{-2}, ""s, Cell{}, 1e21, false, Cell{}, RawJson{}, "x\ny"s},
  };
  CHECK(render(columns, rows) ==
        "[\n"
        "{\"id\":1,\"name\":\"Ann \\\"A\\\" Lee\",\"due\":\"2026-11-27T09:13:00Z\",\"score\":0.1,"
        "\"ok\":true,\"day\":\"2026-11-27\",\"tags\":[\"a\",\"b\"],\"note\":null},\n"
        "{\"id\":-2,\"name\":\"\",\"due\":null,\"score\":1e+21,\"ok\":false,\"day\":null,"
        "\"tags\":null,\"note\":\"x\\ny\"}\n"
        "]\n");
}

TEST_CASE("output: json made by SQLite gets the same extra escapes as our own strings") {
  // The audit trail's old and new objects come from SQLite's json_object, which leaves DEL, C1
  // and bidi controls raw.
  CHECK(render({col("new")}, {{RawJson{"{\"name\":\"a\x7f\u009b\u202e\",\"n\":1}"}}}) ==
        "[\n{\"new\":{\"name\":\"a\\u007f\\u009b\\u202e\",\"n\":1}}\n]\n");
}

TEST_CASE("output: json writes NaN and infinity as null") {
  const std::vector<Column> columns{col("a"), col("b"), col("c")};
  CHECK(render(columns, {{std::numeric_limits<double>::quiet_NaN(),
                          std::numeric_limits<double>::infinity(), -0.5}}) ==
        "[\n{\"a\":null,\"b\":null,\"c\":-0.5}\n]\n");
}

TEST_CASE("output: json with no rows is an empty array") {
  CHECK(render({col("id")}, {}) == "[]\n");
}

TEST_CASE("output: json single_object prints the record alone") {
  const Options single = single_object();
  CHECK(render({col("id"), col("name")}, {{std::int64_t{5}, "Bo"s}}, single) ==
        "{\"id\":5,\"name\":\"Bo\"}\n");
  CHECK(render({col("id")}, {}, single) == "null\n");
  std::ostringstream out;
  const auto sink = make_sink(Format::json, out, single);
  const std::vector<Column> columns{col("id")};
  sink->begin(columns);
  sink->row(std::vector<Cell>{std::int64_t{1}});
  CHECK_THROWS_AS(sink->row(std::vector<Cell>{std::int64_t{2}}), std::logic_error);
}

TEST_CASE("output: json ignores row highlighting") {
  std::ostringstream out;
  const auto sink = make_sink(Format::json, out, {});
  const std::vector<Column> columns{col("id")};
  sink->begin(columns);
  sink->row(std::vector<Cell>{std::int64_t{1}}, Tone::alert);
  sink->end();
  CHECK(out.str() == "[\n{\"id\":1}\n]\n");
}

TEST_CASE("output: JsonWriter nests with commas and two-space indentation") {
  std::ostringstream out;
  JsonWriter w(out);
  w.begin_object();
  w.key("id");
  w.value(std::int64_t{1});
  w.key("name");
  w.value("Ann\tLee"s);
  w.key("met");
  w.value(nov27);
  w.key("tags");
  w.begin_array();
  w.value("a"s);
  w.value(DateCell{"2026-01-02"});
  w.end_array();
  w.key("empty");
  w.begin_array();
  w.end_array();
  w.key("card");
  w.begin_object();
  w.key("x");
  w.value(Cell{});
  w.key("list");
  w.begin_array();
  w.begin_object();
  w.key("ok");
  w.value(true);
  w.end_object();
  w.begin_object();
  w.end_object();
  w.end_array();
  w.end_object();
  w.end_object();
  w.finish();
  CHECK(out.str() ==
        "{\n"
        "  \"id\": 1,\n"
        "  \"name\": \"Ann\\tLee\",\n"
        "  \"met\": \"2026-11-27T09:13:00Z\",\n"
        "  \"tags\": [\n"
        "    \"a\",\n"
        "    \"2026-01-02\"\n"
        "  ],\n"
        "  \"empty\": [],\n"
        "  \"card\": {\n"
        "    \"x\": null,\n"
        "    \"list\": [\n"
        "      {\n"
        "        \"ok\": true\n"
        "      },\n"
        "      {}\n"
        "    ]\n"
        "  }\n"
        "}\n");
}

TEST_CASE("output: JsonWriter top-level arrays and scalars") {
  std::ostringstream out;
  JsonWriter w(out);
  w.begin_array();
  w.value(std::int64_t{1});
  w.value(RawJson{"{\"k\":2}"});
  w.end_array();
  w.finish();
  CHECK(out.str() == "[\n  1,\n  {\"k\":2}\n]\n");

  std::ostringstream scalar;
  JsonWriter s(scalar);
  s.value("only\x01"s);
  s.finish();
  CHECK(scalar.str() == "\"only\\u0001\"\n");
}

TEST_CASE("output: JsonWriter refuses a key outside an object and an unmatched end") {
  std::ostringstream out;
  JsonWriter w(out);
  CHECK_THROWS_AS(w.key("k"), std::logic_error);
  CHECK_THROWS_AS(w.end_object(), std::logic_error);
  CHECK_THROWS_AS(w.end_array(), std::logic_error);
}

TEST_CASE("output: with_member_replaced rewrites one string member of a flat object") {
  const auto upper = [](std::string_view v) {
    std::string s(v);
    for (auto& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    return "P-" + s;
  };
  CHECK(with_member_replaced(R"({"id":1,"patient":"mrn-1","note":"patient"})", "patient", upper) ==
        R"({"id":1,"patient":"P-MRN-1","note":"patient"})");
  // Escapes are read before the value is replaced, and the new value is quoted again.
  CHECK(with_member_replaced(R"({ "patient" : "a\"b\u00e9" , "x": null })", "patient", upper) ==
        "{ \"patient\" : \"P-A\\\"B\xC3\xA9\" , \"x\": null }");
  // A key inside another string, a null value and an empty object are left as they are.
  CHECK(with_member_replaced(R"({"note":"\"patient\":\"x\"","patient":null})", "patient", upper) ==
        R"({"note":"\"patient\":\"x\"","patient":null})");
  CHECK(with_member_replaced("{}", "patient", upper) == "{}");
  // What is not one flat object is refused, so a caller never shows it unredacted by mistake.
  for (const char* bad : {"", "[]", R"({"patient":{"a":"b"}})", R"({"patient":["x"]})",
                          R"({"patient":"x")", R"({"patient":"x"} extra)", R"({"patient" "x"})",
                          R"({"a":1,})", R"({"patient":"unterminated})"}) {
    CAPTURE(bad);
    CHECK_FALSE(with_member_replaced(bad, "patient", upper).has_value());
  }
}
