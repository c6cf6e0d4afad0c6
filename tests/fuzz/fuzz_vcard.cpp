// libFuzzer target: the vCard reader behind `refnet import contacts FILE.vcf` (src/io/vcard.cpp)
// on arbitrary bytes, and the vCard writer of `refnet export contacts --format vcf`, whose cards
// the reader must read back.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "io/vcard.hpp"
#include "output/vcard.hpp"

namespace {

using namespace refnet;

using P = io::VcardProperty;
constexpr P properties[] = {P::fn,   P::title, P::org,        P::npi,  P::tel,   P::email,
                            P::city, P::note,  P::categories, P::role, P::source};

// What the reader found in a card, as the exporter would write it for a contact.
output::VcardContact as_contact(const io::Vcard& card) {
  output::VcardContact c;
  c.uid = "fuzz";
  for (const auto p : properties) {
    if (auto value = card.get(p)) c.set(p, value->text);
  }
  return c;
}

// Export then import gives back what the card said. Tags are split on commas as they come in,
// so the exporter never meets one holding a comma: those cards are left out here.
void round_trip(const output::VcardContact& c, output::VcardVersion version) {
  std::ostringstream out;
  output::VcardWriter(out, version).write(c);
  const auto cards = io::parse_vcards(out.str());
  if (cards.size() != 1 || !cards[0].problems.empty()) std::abort();
  const output::VcardContact again = as_contact(cards[0]);
  for (const auto p : properties) {
    if (again.get(p) != c.get(p)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  for (const auto& card : io::parse_vcards(bytes)) {
    if (card.line == 0) std::abort();
    if (!card.problems.empty() || !card.display_name()) continue;
    if (std::any_of(card.categories.begin(), card.categories.end(),
                    [](const std::string& tag) { return tag.find(',') != std::string::npos; })) {
      continue;
    }
    const auto contact = as_contact(card);
    round_trip(contact, output::VcardVersion::v4);
    round_trip(contact, output::VcardVersion::v3);
  }

  // The record reader: every record has a value slot per contact column and names real lines.
  std::istringstream in{std::string(bytes)};
  constexpr io::VcardColumn columns[] = {{P::fn, "name"}, {P::tel, "phone"}, {P::note, "note"}};
  const auto reader = io::make_vcard_reader(in, columns);
  io::Record record;
  std::size_t last_line = 0;
  while (reader->next(record)) {
    if (record.values.size() != std::size(columns) || record.lines.size() != std::size(columns)) {
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
