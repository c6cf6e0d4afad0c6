// csv (RFC 4180) and tsv readers. Written here rather than taken from libcsv because an import
// must name the physical line of every problem (a quoted field may span lines), tell an
// unterminated quote from a stray one, and check UTF-8 per field; libcsv reports a bare parse
// error without a position.
#include "csv_reader.hpp"

#include <fmt/format.h>

#include <string>

#include "text/text.hpp"

namespace refnet::io {

namespace {

constexpr char bom[] = "\xEF\xBB\xBF";

// Problems a value can have whatever the format: bytes that are not UTF-8, NUL bytes.
void check_text(const std::string& value, std::size_t line, const std::string& column,
                std::vector<Problem>& problems) {
  if (const auto at = text::first_invalid_utf8(value)) {
    problems.push_back({line, column,
                        fmt::format("not valid UTF-8 (byte 0x{:02X} at offset {}); save the file "
                                    "as UTF-8",
                                    static_cast<unsigned char>(value[*at]), *at)});
  } else if (value.find('\0') != std::string::npos) {
    problems.push_back({line, column, "contains a NUL byte"});
  }
}

std::string column_name(const std::vector<std::string>& columns, std::size_t index) {
  if (index < columns.size() && !columns[index].empty()) return columns[index];
  return fmt::format("field {}", index + 1);
}

}  // namespace

DelimitedReader::DelimitedReader(std::istream& in, char separator)
    : source_(in), separator_(separator) {}

void DelimitedReader::skip_bom() {
  auto window = source_.window();
  // The buffer holds 64 KiB, so the three bytes of a BOM are always in the first window.
  if (window.substr(0, 3) == std::string_view(bom, 3)) source_.skip(3);
}

void DelimitedReader::end_line(int c) {
  // CRLF is one line end; so is a lone LF or a lone CR (old Mac files).
  if (c == '\r' && source_.peek() == '\n') source_.get();
  ++line_;
}

bool DelimitedReader::read_row(std::vector<std::string>& fields, std::size_t& count,
                               std::size_t& start_line, std::vector<Problem>& problems) {
  count = 0;
  // Blank lines separate nothing: skip them (the csv writer quotes a lone empty field as "").
  for (int c = source_.peek(); c == '\n' || c == '\r'; c = source_.peek()) end_line(source_.get());
  if (source_.peek() == detail::ByteSource::end) return false;
  start_line = line_;
  auto next_field = [&]() -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    std::string& field = fields[count++];
    field.clear();
    return field;
  };
  std::string* field = &next_field();
  bool at_field_start = true;
  for (;;) {
    // Copy a run of ordinary bytes at once: most of a file is those.
    const auto window = source_.window();
    std::size_t run = 0;
    while (run < window.size()) {
      const char b = window[run];
      if (b == separator_ || b == '\n' || b == '\r' || b == '"') break;
      ++run;
    }
    if (run > 0) {
      field->append(window.data(), run);
      source_.skip(run);
      at_field_start = false;
      continue;
    }
    const int c = source_.get();
    if (c == detail::ByteSource::end) return true;
    if (c == separator_) {
      field = &next_field();
      at_field_start = true;
    } else if (c == '\n' || c == '\r') {
      end_line(c);
      return true;
    } else if (c == '"' && at_field_start && quoting_) {
      if (!read_quoted(*field, problems)) return true;
      at_field_start = false;
      const int after = source_.peek();
      if (after != separator_ && after != '\n' && after != '\r' &&
          after != detail::ByteSource::end) {
        problems.push_back({line_, fmt::format("field {}", count),
                            "text after the closing quote; quote the whole field"});
      }
    } else if (c == '"' && quoting_) {
      problems.push_back({line_, fmt::format("field {}", count),
                          "a quote inside an unquoted field; quote the whole field and double the "
                          "quote (\"\")"});
      field->push_back('"');
      at_field_start = false;
    } else {
      field->push_back(static_cast<char>(c));
      at_field_start = false;
    }
  }
}

bool DelimitedReader::read_quoted(std::string& field, std::vector<Problem>& problems) {
  const std::size_t opened = line_;
  for (;;) {
    const auto window = source_.window();
    std::size_t run = 0;
    while (run < window.size() && window[run] != '"' && window[run] != '\n' &&
           window[run] != '\r') {
      ++run;
    }
    if (run > 0) {
      field.append(window.data(), run);
      source_.skip(run);
      continue;
    }
    const int c = source_.get();
    if (c == detail::ByteSource::end) {
      problems.push_back({opened, "",
                          fmt::format("a quoted field that starts on line {} never ends: a closing "
                                      "quote is missing",
                                      opened)});
      finished_ = true;
      return false;
    }
    if (c == '"') {
      if (source_.peek() != '"') return true;
      source_.get();
      field.push_back('"');
    } else {
      // A line break inside quotes belongs to the value, kept byte for byte.
      field.push_back(static_cast<char>(c));
      if (c == '\n' || (c == '\r' && source_.peek() != '\n')) ++line_;
    }
  }
}

bool DelimitedReader::next(Record& record) {
  record.values.clear();
  record.problems.clear();
  if (finished_) return false;
  if (!started_) {
    started_ = true;
    skip_bom();
    std::size_t count = 0;
    std::size_t line = 0;
    std::vector<Problem> problems;
    if (!read_row(fields_, count, line, problems)) {
      finished_ = true;
      return false;
    }
    for (std::size_t i = 0; i < count; ++i) {
      columns_.push_back(unescape(fields_[i]));
      check_text(columns_.back(), line, "header", problems);
    }
    for (auto& p : problems) p.column = "header";
    header_problems_ = std::move(problems);
    if (finished_) return false;
  }
  std::size_t count = 0;
  if (!read_row(fields_, count, record.line, record.problems)) {
    finished_ = true;
    return false;
  }
  // A problem of the form "field N" names the header's column instead, when there is one.
  for (auto& p : record.problems) {
    unsigned index = 0;
    if (std::sscanf(p.column.c_str(), "field %u", &index) == 1 && index > 0) {
      p.column = column_name(columns_, index - 1);
    }
  }
  // An unterminated quote swallowed the rest of the file: its problem is all there is to say.
  if (finished_) return true;
  if (count != columns_.size()) {
    record.problems.push_back(
        {record.line, "",
         fmt::format("{} field{} but the header has {} column{}", count, count == 1 ? "" : "s",
                     columns_.size(), columns_.size() == 1 ? "" : "s")});
  }
  record.values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::string value = unescape(fields_[i]);
    check_text(value, record.line, column_name(columns_, i), record.problems);
    record.values.emplace_back(std::move(value));
  }
  return true;
}

std::string DelimitedReader::unescape(std::string& field) const {
  if (quoting_) return std::move(field);
  // tsv: \t \n \r \\ as the tsv writer escapes them; any other backslash is kept as written.
  if (field.find('\\') == std::string::npos) return std::move(field);
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 1 < field.size()) {
      const char n = field[i + 1];
      const char decoded = n == 't'    ? '\t'
                           : n == 'n'  ? '\n'
                           : n == 'r'  ? '\r'
                           : n == '\\' ? '\\'
                                       : 0;
      if (decoded != 0) {
        out.push_back(decoded);
        ++i;
        continue;
      }
    }
    out.push_back(field[i]);
  }
  return out;
}

}  // namespace refnet::io
