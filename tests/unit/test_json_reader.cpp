// The json reader: arrays of flat objects, streamed, with line numbers for every problem.

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
  std::vector<std::string> problems;
};

Read read(const std::string& text) {
  std::istringstream in(text);
  auto reader = make_reader(InputFormat::json, in);
  Read out;
  Record record;
  while (reader->next(record)) {
    out.records.push_back(record);
    for (const auto& p : record.problems) {
      out.problems.push_back(std::to_string(p.line) + ":" + p.column + ":" + p.what);
    }
  }
  out.columns = reader->columns();
  return out;
}

}  // namespace

TEST_CASE("json_reader: objects, keys in any order, null, numbers and booleans kept as text") {
  const auto r = read(
      "[\n{\"id\":1,\"name\":\"Ann\",\"note\":null},\n{\"name\":\"Bob\",\"id\":-2.5e3,\"vip\":true}"
      "\n]\n");
  CHECK(r.columns == std::vector<std::string>{"id", "name", "note", "vip"});
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[0].line == 2);
  CHECK(r.records[0].values[0] == "1");
  CHECK(r.records[0].values[1] == "Ann");
  CHECK_FALSE(r.records[0].values[2].has_value());
  CHECK(r.records[1].line == 3);
  CHECK(r.records[1].values[0] == "-2.5e3");
  CHECK(r.records[1].values[1] == "Bob");
  CHECK(r.records[1].values[3] == "true");
  CHECK(r.problems.empty());
}

TEST_CASE("json_reader: string escapes, \\u with surrogate pairs, a byte order mark") {
  const auto r = read("\xEF\xBB\xBF[{\"n\":\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\"}]");
  REQUIRE(r.records.size() == 1);
  CHECK(r.records[0].values[0] == "a\"b\\c/d\n\t\xC3\xA9\xF0\x9F\x98\x80");
}

TEST_CASE("json_reader: a byte 0xEF that starts no byte order mark is not swallowed") {
  // Found by the json fuzz target against nlohmann::json: the reader skipped three bytes for any
  // leading 0xEF, so a file of that byte alone read as empty.
  for (const char* text : {"\xEF", "\xEF[]", "\xEF\xBB[]", "\xEF\xBB\xBE[]"}) {
    CAPTURE(text);
    const auto r = read(text);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].find("not valid json") != std::string::npos);
  }
}

TEST_CASE("json_reader: a key that is not UTF-8 is a problem of the record") {
  // Found by the json fuzz target: such a key became a column name with stray bytes in it.
  const auto r = read("[{\"a\x8b\":1}]");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] == "1::a key is not valid UTF-8; save the file as UTF-8");
}

TEST_CASE("json_reader: an empty array has no records; an empty file neither") {
  CHECK(read("[]").records.empty());
  CHECK(read(" [ ]\n").records.empty());
  CHECK(read("").records.empty());
}

TEST_CASE("json_reader: nested values and repeated keys are problems of the record") {
  const auto r = read("[{\"a\":[1,{\"b\":2}],\"c\":\"x\",\"c\":\"y\"},{\"a\":\"ok\"}]");
  REQUIRE(r.records.size() == 2);
  CHECK(r.problems.size() == 2);
  CHECK(r.records[1].values[0] == "ok");
}

TEST_CASE("json_reader: broken json is one problem with its line, and ends the file") {
  auto r = read("[\n{\"a\":1},\n{\"a\" 2}\n]");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] == "3::not valid json: expected ':' after a key, found '2'");
  r = read("{\"a\":1}");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].starts_with("1::not valid json: expected '[' at the start"));
  r = read("[{\"a\":\"open}]");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].find("never ends") != std::string::npos);
  r = read("[{\"a\":tru}]");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].find("'tru' is not a json value") != std::string::npos);
  r = read("[{\"a\":1}] x");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].find("text after the closing ']'") != std::string::npos);
  // A number beyond any double is refused, as json parsers refuse it; one that underflows is 0.
  r = read("[{\"a\":1e400}]");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].find("the number '1e400' is too large") != std::string::npos);
  r = read("[{\"a\":-0.5e4444444444444444444444444444444444444444444444444}]");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].find("'-0.5e44444444444444444444444444444444444...' is too large") !=
        std::string::npos);
  CHECK(read("[{\"a\":1e-400}]").problems.empty());
}

TEST_CASE("json_reader: invalid UTF-8 inside a string is a problem of its key") {
  const auto r = read("[{\"city\":\"M\xFCnchen\"}]");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].starts_with("1:city:not valid UTF-8"));
}
