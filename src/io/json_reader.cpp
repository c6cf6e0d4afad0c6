// A small streaming json reader for the one shape refnet exchanges: an array of flat objects.
#include "json_reader.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "text/text.hpp"

namespace refnet::io {

namespace {

std::string shown(int c) {
  if (c == detail::ByteSource::end) return "the end of the file";
  if (c >= 0x20 && c < 0x7F) return fmt::format("'{}'", static_cast<char>(c));
  return fmt::format("byte 0x{:02X}", c);
}

}  // namespace

JsonReader::JsonReader(std::istream& in) : source_(in) {}

void JsonReader::fail(std::string what) {
  throw SyntaxError{line_, std::move(what)};
}

int JsonReader::skip_space() {
  for (;;) {
    const int c = source_.peek();
    if (c == ' ' || c == '\t' || c == '\r') {
      source_.get();
    } else if (c == '\n') {
      source_.get();
      ++line_;
    } else {
      return c;
    }
  }
}

void JsonReader::expect(char c, const char* where) {
  const int got = skip_space();
  if (got != static_cast<unsigned char>(c)) {
    fail(fmt::format("expected '{}' {}, found {}", c, where, shown(got)));
  }
  source_.get();
}

std::string JsonReader::read_string() {
  std::string out;
  for (;;) {
    const int c = source_.get();
    if (c == detail::ByteSource::end) fail("a string never ends: a closing quote is missing");
    if (c == '"') return out;
    if (c < 0x20) fail("a control character inside a string; write it as an escape like \\n");
    if (c != '\\') {
      out.push_back(static_cast<char>(c));
      continue;
    }
    if (auto wrong = text::append_json_escape(out, [&] { return source_.get(); })) fail(*wrong);
  }
}

void JsonReader::skip_container() {
  int depth = 0;
  for (;;) {
    const int c = source_.get();
    if (c == detail::ByteSource::end) fail("the file ends inside a nested value");
    if (c == '\n') ++line_;
    if (c == '"') {
      read_string();
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (--depth == 0) return;
    }
  }
}

bool JsonReader::read_value(std::string& out, bool& nested) {
  const int c = skip_space();
  if (c == '"') {
    source_.get();
    out = read_string();
    return false;
  }
  if (c == '[' || c == '{') {
    nested = true;
    skip_container();
    return true;
  }
  // A literal or a number: the bytes up to the next delimiter.
  out.clear();
  for (int b = source_.peek(); b != detail::ByteSource::end && b != ',' && b != '}' && b != ']' &&
                               b != ' ' && b != '\t' && b != '\r' && b != '\n';
       b = source_.peek()) {
    out.push_back(static_cast<char>(source_.get()));
  }
  if (out == "null") return true;
  if (out == "true" || out == "false") return false;
  // The json number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < out.size() && out[i] >= '0' && out[i] <= '9') ++i;
    return i > from;
  };
  bool ok = true;
  if (i < out.size() && out[i] == '-') ++i;
  if (i < out.size() && out[i] == '0') {
    ++i;
  } else {
    ok = digits();
  }
  if (ok && i < out.size() && out[i] == '.') {
    ++i;
    ok = digits();
  }
  if (ok && i < out.size() && (out[i] == 'e' || out[i] == 'E')) {
    ++i;
    if (i < out.size() && (out[i] == '+' || out[i] == '-')) ++i;
    ok = digits();
  }
  if (!ok || i != out.size() || out.empty()) {
    fail(out.empty() ? fmt::format("expected a value, found {}", shown(source_.peek()))
                     : fmt::format("'{}' is not a json value", out));
  }
  // A number no double holds is refused as json readers refuse it, not kept as text that no
  // field could take (the program runs in the C locale, so strtod reads '.' as the point).
  if (std::isinf(std::strtod(out.c_str(), nullptr))) {
    fail(fmt::format("the number '{}{}' is too large", out.substr(0, 40),
                     out.size() > 40 ? "..." : ""));
  }
  return false;
}

std::size_t JsonReader::column_index(const std::string& key) {
  auto [it, added] = index_.try_emplace(key, columns_.size());
  if (added) columns_.push_back(key);
  return it->second;
}

bool JsonReader::next(Record& record) {
  record.values.clear();
  record.problems.clear();
  if (finished_) return false;
  try {
    if (!started_) {
      started_ = true;
      if (source_.peek() == 0xEF) {  // a UTF-8 byte order mark, and nothing else starting so
        source_.get();
        if (source_.get() != 0xBB || source_.get() != 0xBF) {
          fail("the file starts with byte 0xEF but not with a UTF-8 byte order mark");
        }
      }
      if (skip_space() == detail::ByteSource::end) {
        finished_ = true;
        return false;
      }
      expect('[', "at the start: the file should hold an array of objects");
      if (skip_space() == ']') {
        source_.get();
        if (skip_space() != detail::ByteSource::end) fail("text after the closing ']'");
        finished_ = true;
        return false;
      }
    } else {
      const int c = skip_space();
      if (c == ']') {
        source_.get();
        if (skip_space() != detail::ByteSource::end) fail("text after the closing ']'");
        finished_ = true;
        return false;
      }
      expect(',', "between objects");
    }
    skip_space();
    record.line = line_;
    expect('{', "for each row");
    std::vector<bool> seen;
    if (skip_space() == '}') {
      source_.get();
      return true;
    }
    std::string value;
    for (;;) {
      expect('"', "before a key");
      const std::string key = read_string();
      if (text::first_invalid_utf8(key)) {
        record.problems.push_back(
            {record.line, "", "a key is not valid UTF-8; save the file as UTF-8"});
      }
      expect(':', "after a key");
      const std::size_t index = column_index(key);
      bool nested = false;
      const bool null = read_value(value, nested);
      if (index >= record.values.size()) record.values.resize(index + 1);
      if (index >= seen.size()) seen.resize(index + 1);
      if (seen[index]) record.problems.push_back({record.line, key, "given twice in one object"});
      seen[index] = true;
      if (nested) {
        record.problems.push_back({record.line, key,
                                   "a nested array or object; expected a "
                                   "string, number, true, false or null"});
      } else if (null) {
        record.values[index].reset();
      } else {
        if (text::first_invalid_utf8(value)) {
          record.problems.push_back({record.line, key, "not valid UTF-8; save the file as UTF-8"});
        } else if (value.find('\0') != std::string::npos) {
          record.problems.push_back({record.line, key, "contains a NUL character"});
        }
        record.values[index] = value;
      }
      const int c = skip_space();
      if (c == ',') {
        source_.get();
        continue;
      }
      if (c == '}') {
        source_.get();
        return true;
      }
      fail(fmt::format("expected ',' or '}}' after a value, found {}", shown(c)));
    }
  } catch (const SyntaxError& e) {
    finished_ = true;
    record.values.clear();
    record.problems.clear();
    record.line = e.line;
    record.problems.push_back({e.line, "", "not valid json: " + e.what});
    return true;
  }
}

}  // namespace refnet::io
