// libFuzzer target: the vCard reader behind `refnet import contacts FILE.vcf`
// (src/io/vcard.cpp), on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "refnet/io/vcard.hpp"

namespace {

using namespace refnet::io;

constexpr std::size_t contact_columns = 11;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  for (const auto& card : parse_vcards(bytes)) {
    if (card.line == 0) std::abort();
    card.display_name();
  }

  // The record reader: every record has a value slot per contact column and names real lines.
  std::istringstream in{std::string(bytes)};
  const auto reader = make_vcard_reader(in);
  Record record;
  std::size_t last_line = 0;
  while (reader->next(record)) {
    if (record.values.size() != contact_columns || record.lines.size() != contact_columns) {
      std::abort();
    }
    if (record.line == 0 || record.line < last_line) std::abort();
    last_line = record.line;
    for (const auto& p : record.problems) {
      if (p.line == 0) std::abort();
    }
  }
  if (reader->position() > bytes.size()) std::abort();

  for (const auto part : vcard_split(bytes, ';')) vcard_unescape(part);
  return 0;
}
