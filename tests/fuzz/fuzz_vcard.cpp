// libFuzzer target: the vCard reader behind `refnet import contacts FILE.vcf` (src/io/vcard.cpp)
// on arbitrary bytes, and the vCard writer of `refnet export contacts --format vcf`, whose cards
// the reader must read back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "io/vcard.hpp"
#include "output/vcard.hpp"

namespace {

using namespace refnet;

constexpr std::size_t contact_columns = 11;

std::optional<std::string> text(const std::optional<io::Vcard::Value>& value) {
  if (!value) return std::nullopt;
  return value->text;
}

// What the reader found in a card, as the exporter would write it for a contact.
output::VcardContact as_contact(const io::Vcard& card, std::string name) {
  output::VcardContact c;
  c.uid = "fuzz";
  c.name = std::move(name);
  c.role = text(card.role);
  c.specialty = text(card.title);
  c.practice = text(card.org);
  c.npi = text(card.npi);
  c.phone = text(card.tel);
  c.email = text(card.email);
  c.city = text(card.city);
  c.source = text(card.source);
  c.note = text(card.note);
  c.tags = card.categories;
  return c;
}

// The writer leaves out an empty value, so it reads back as none.
std::optional<std::string> written(const std::optional<std::string>& value) {
  if (!value || value->empty()) return std::nullopt;
  return value;
}

// Export then import gives back what the card said.
void round_trip(const output::VcardContact& c, output::VcardVersion version) {
  std::ostringstream out;
  output::VcardWriter(out, version).write(c);
  const auto cards = io::parse_vcards(out.str());
  if (cards.size() != 1 || !cards[0].problems.empty()) std::abort();
  const io::Vcard& back = cards[0];
  const output::VcardContact again = as_contact(back, back.display_name().value_or(""));
  if (again.name != c.name || again.role != written(c.role) ||
      again.specialty != written(c.specialty) || again.practice != written(c.practice) ||
      again.npi != written(c.npi) || again.phone != written(c.phone) ||
      again.email != written(c.email) || again.city != written(c.city) ||
      again.source != written(c.source) || again.note != written(c.note) || again.tags != c.tags) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  for (const auto& card : io::parse_vcards(bytes)) {
    if (card.line == 0) std::abort();
    const auto name = card.display_name();
    if (!card.problems.empty() || !name) continue;
    const auto contact = as_contact(card, *name);
    round_trip(contact, output::VcardVersion::v4);
    round_trip(contact, output::VcardVersion::v3);
  }

  // The record reader: every record has a value slot per contact column and names real lines.
  std::istringstream in{std::string(bytes)};
  const auto reader = io::make_vcard_reader(in);
  io::Record record;
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

  for (const auto part : io::vcard_split(bytes, ';')) io::vcard_unescape(part);
  return 0;
}
