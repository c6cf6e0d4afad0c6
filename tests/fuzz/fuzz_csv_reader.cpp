// libFuzzer target: the csv and tsv readers behind `refnet import` (src/io/csv_reader.cpp), and
// the format guess that picks a reader, on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "refnet/io/reader.hpp"

namespace {

using namespace refnet::io;

// What every import relies on: records come in file order, every problem names a real line, and
// a record without problems has one value per column.
void read_all(std::string_view bytes, InputFormat format) {
  std::istringstream in{std::string(bytes)};
  const auto reader = make_reader(format, in);
  Record record;
  std::size_t last_line = 0;
  while (reader->next(record)) {
    if (record.line == 0 || record.line < last_line) std::abort();
    last_line = record.line;
    for (const auto& p : record.problems) {
      if (p.line == 0) std::abort();
    }
    if (record.problems.empty() && record.values.size() != reader->columns().size()) std::abort();
    for (const auto& value : record.values) {
      if (value) unneutralise_formula(*value);
    }
  }
  for (const auto& p : reader->header_problems()) {
    if (p.line == 0) std::abort();
  }
  if (reader->position() > bytes.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  detect_format("", bytes);
  read_all(bytes, InputFormat::csv);
  read_all(bytes, InputFormat::tsv);
  return 0;
}
