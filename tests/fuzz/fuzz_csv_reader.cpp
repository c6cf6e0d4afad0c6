// libFuzzer target: the csv and tsv readers behind `refnet import` (src/io/csv_reader.cpp), the
// format guess that picks a reader, the csv/tsv writers of `refnet export` that the readers must
// read back, the decoding of UTF-16 and the check for UTF-8 in front of them (src/io/encoding.cpp),
// and the address books' reader over them (src/io/address_book.cpp), on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <istream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "io/address_book.hpp"
#include "io/encoding.hpp"
#include "io/reader.hpp"
#include "output/sink.hpp"
#include "text/text.hpp"

namespace {

using namespace refnet;
using Rows = std::vector<std::vector<std::string>>;

// What every import relies on: records come in file order, every problem names a real line, and
// a record without problems has one value per column. Returns those records' values.
Rows read_all(std::string_view bytes, io::InputFormat format, std::size_t& columns) {
  std::istringstream in{std::string(bytes)};
  const auto reader = io::make_reader(format, in);
  Rows rows;
  io::Record record;
  std::size_t last_line = 0;
  while (reader->next(record)) {
    if (record.line == 0 || record.line < last_line) std::abort();
    last_line = record.line;
    for (const auto& p : record.problems) {
      if (p.line == 0) std::abort();
    }
    if (!record.problems.empty()) continue;
    if (record.values.size() != reader->columns().size()) std::abort();
    auto& row = rows.emplace_back();
    for (const auto& value : record.values) row.push_back(value.value_or(""));
  }
  for (const auto& p : reader->header_problems()) {
    if (p.line == 0) std::abort();
  }
  if (reader->position() > bytes.size()) std::abort();
  columns = reader->columns().size();
  return rows;
}

// Export then import gives back the stored text: rows written by the csv or tsv writer read back
// value for value once the import undoes the writer's formula guard.
void round_trip(const Rows& rows, std::size_t width, output::Format format, io::InputFormat input) {
  std::vector<output::Column> columns;
  for (std::size_t i = 0; i < width; ++i) columns.push_back({"c" + std::to_string(i)});
  Rows kept;
  std::ostringstream out;
  const auto sink = output::make_sink(format, out, output::Options{});
  sink->begin(columns);
  for (const auto& row : rows) {
    // A tsv line holding one empty field is a blank line, which readers skip (csv quotes it).
    if (format == output::Format::tsv && width == 1 && row[0].empty()) continue;
    const std::vector<output::Cell> cells(row.begin(), row.end());
    sink->row(cells);
    kept.push_back(row);
  }
  sink->end();
  std::size_t read_width = 0;
  Rows back = read_all(out.str(), input, read_width);
  for (auto& row : back) {
    for (auto& value : row) value = std::string(io::unneutralise_formula(value));
  }
  if (read_width != width || back != kept) std::abort();
}

// Utf8Input: UTF-8 input passes through byte for byte, and its problem names a byte that really
// breaks UTF-8; UTF-16 comes out as valid UTF-8.
void decode(std::string_view bytes) {
  std::istringstream raw{std::string(bytes)};
  io::Utf8Input input(raw);
  std::istream in(&input);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const bool valid = !text::first_invalid_utf8(bytes);
  if (input.encoding() == "UTF-8") {
    if (text != bytes) std::abort();
    const auto& problem = input.problem();
    if (problem && problem->byte != 0 && valid) std::abort();  // 0: UTF-16 without its mark
    if (!problem && !valid) std::abort();
  } else if (text::first_invalid_utf8(text)) {
    std::abort();
  }
}

// Each address book's layout forced on the rows: every record has one value per column.
void address_books(std::string_view bytes) {
  for (const auto book :
       {io::AddressBook::google, io::AddressBook::google_legacy, io::AddressBook::outlook}) {
    std::istringstream in{std::string(bytes)};
    io::AddressBookReader reader(io::make_reader(io::InputFormat::csv, in), book);
    io::Record record;
    while (reader.next(record)) {
      if (record.values.size() != reader.columns().size()) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  io::detect_format("", bytes);
  decode(bytes);
  address_books(bytes);
  for (const auto input : {io::InputFormat::csv, io::InputFormat::tsv}) {
    std::size_t width = 0;
    const Rows rows = read_all(bytes, input, width);
    if (width == 0) continue;
    round_trip(rows, width, output::Format::csv, io::InputFormat::csv);
    round_trip(rows, width, output::Format::tsv, io::InputFormat::tsv);
  }
  return 0;
}
