// vCard: the reader (io/vcard.cpp) against cards other programs write, and the writer
// (output/vcard.cpp) read back by the reader.

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "io/vcard.hpp"
#include "output/vcard.hpp"
#include "record/records.hpp"

using namespace refnet;

TEST_CASE("vcard: a 3.0 card with folded lines, escapes and the properties refnet keeps") {
  const auto cards = io::parse_vcards(
      "BEGIN:VCARD\r\n"
      "VERSION:3.0\r\n"
      "FN:Dr. Ann Lee\\, MD\r\n"
      "N:Lee;Ann;;Dr.;MD\r\n"
      "ORG:Elm Street Family Medicine;Cardiology Unit\r\n"
      "TITLE:Cardiology\r\n"
      "TEL;TYPE=HOME:555-0199\r\n"
      "TEL;TYPE=WORK,PREF:555-0100\r\n"
      "EMAIL;TYPE=INTERNET:ann@example.org\r\n"
      "item1.ADR;TYPE=WORK:;;1 Elm St;Spring\r\n field;IL;62701;USA\r\n"
      "NOTE:first line\\nsecond\\, with comma\\; and semicolon \\\\ backslash\r\n"
      "X-NPI:1234567893\r\n"
      "CATEGORIES:diabetes,heart\\,lung\r\n"
      "PHOTO;ENCODING=b;TYPE=JPEG:AAAA\r\n"
      "END:VCARD\r\n");
  REQUIRE(cards.size() == 1);
  const auto& c = cards[0];
  CHECK(c.problems.empty());
  CHECK(c.line == 1);
  CHECK(c.version == "3.0");
  CHECK(c.display_name() == "Dr. Ann Lee, MD");
  CHECK(c.org->text == "Elm Street Family Medicine");
  CHECK(c.title->text == "Cardiology");
  CHECK(c.tel->text == "555-0100");  // the preferred one
  CHECK(c.email->text == "ann@example.org");
  CHECK(c.city->text == "Springfield");  // unfolded
  CHECK(c.city->line == 10);
  CHECK(c.note->text == "first line\nsecond, with comma; and semicolon \\ backslash");
  CHECK(c.npi->text == "1234567893");
  CHECK(c.categories == std::vector<std::string>{"diabetes", "heart,lung"});
}

TEST_CASE("vcard: several 4.0 cards, LF line ends, tab folding, N without FN, tel: URIs") {
  const auto cards = io::parse_vcards(
      "BEGIN:VCARD\nVERSION:4.0\nFN:Bob Stone\nTEL;VALUE=uri;PREF=1:tel:+1-555-0101\nEND:VCARD\n"
      "\n"
      "BEGIN:VCARD\nVERSION:4.0\nN:D\xC3\xAD"
      "az;Cara;;;\nNOTE:Z\xC3\xBC\n\trich\nEND:VCARD\n");
  REQUIRE(cards.size() == 2);
  CHECK(cards[0].display_name() == "Bob Stone");
  CHECK(cards[0].tel->text == "+1-555-0101");
  CHECK(cards[1].line == 7);
  CHECK(cards[1].display_name() ==
        "Cara D\xC3\xAD"
        "az");
  CHECK(cards[1].note->text == "Z\xC3\xBCrich");
}

TEST_CASE("vcard: only a tel: URI is unwrapped; a phone given as text keeps its tel:") {
  auto phone = [](const std::string& version, const std::string& tel) {
    return io::parse_vcards("BEGIN:VCARD\nVERSION:" + version + "\nFN:X\n" + tel + "\nEND:VCARD\n")
        .at(0)
        .tel->text;
  };
  CHECK(phone("4.0", "TEL;VALUE=uri:tel:+1-555-0101") == "+1-555-0101");
  CHECK(phone("4.0", "TEL:tel:+1-555-0101") == "+1-555-0101");  // 4.0 writers leave VALUE out
  CHECK(phone("4.0", "TEL;VALUE=text:tel:555") == "tel:555");
  CHECK(phone("3.0", "TEL:tel:555") == "tel:555");
  CHECK(phone("3.0", "TEL;VALUE=URI:tel:555") == "555");

  // Found by the vcard fuzz target: exported, a phone "tel:555" came back as "555".
  for (const auto version : {output::VcardVersion::v4, output::VcardVersion::v3}) {
    output::VcardContact c;
    c.uid = "u";
    c.set(io::VcardProperty::fn, "Ann Lee");
    c.set(io::VcardProperty::tel, "tel:555");
    std::ostringstream out;
    output::VcardWriter(out, version).write(c);
    CHECK(io::parse_vcards(out.str()).at(0).tel->text == "tel:555");
  }
}

TEST_CASE("vcard: what cannot be read is a problem with its line") {
  auto cards = io::parse_vcards("BEGIN:VCARD\nVERSION:5.0\nFN:New\nEND:VCARD\n");
  REQUIRE(cards.size() == 1);
  REQUIRE(cards[0].problems.size() == 1);
  CHECK(cards[0].problems[0].line == 2);
  CHECK(cards[0].problems[0].what == "vCard 5.0 is not supported; use vCard 2.1, 3.0 or 4.0");

  cards = io::parse_vcards("BEGIN:VCARD\nVERSION:3.0\nFN:Cut\n");
  REQUIRE(cards.size() == 1);
  CHECK(cards[0].problems.at(0).what == "the card that starts on line 1 has no END:VCARD");

  cards = io::parse_vcards(
      "hello\nBEGIN:VCARD\nVERSION:3.0\nFN;CHARSET=SHIFT_JIS:X\nNOTE:\xFF\nEND:VCARD\n");
  REQUIRE(cards.size() == 1);
  REQUIRE(cards[0].problems.size() == 3);
  CHECK(cards[0].problems[0].line == 1);  // text outside a card
  CHECK(cards[0].problems[1].line == 4);
  CHECK(cards[0].problems[2].line == 5);
}

TEST_CASE("vcard: 2.1 as desktop Outlook writes it, QUOTED-PRINTABLE and Windows-1252") {
  const auto cards = io::parse_vcards(
      "BEGIN:VCARD\r\n"
      "VERSION:2.1\r\n"
      "N:Wei;Li;;Dr.\r\n"
      "FN:Dr. Li Wei\r\n"
      "ORG:Lakeside Orthop\xE4"
      "die\r\n"
      "TEL;WORK;FAX:555-0311\r\n"
      "TEL;WORK;VOICE:555-0300\r\n"
      "TEL;CELL;VOICE:555-0399\r\n"
      "ADR;WORK;ENCODING=QUOTED-PRINTABLE:;;1 Lake Rd=0D=0A=\r\n"
      "Suite 4;Evanston;IL;60201\r\n"
      "LABEL;WORK;ENCODING=QUOTED-PRINTABLE:1 Lake Rd=0D=0A=\r\n"
      "Evanston, IL\r\n"
      "NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Caf=E9 =93quote=94=\r\n"
      " and more\r\n"
      "EMAIL;PREF;INTERNET:li.wei@lakeside.example\r\n"
      "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2\r\n"
      "END:VCARD\r\n");
  REQUIRE(cards.size() == 1);
  const auto& c = cards[0];
  CHECK(c.problems.empty());
  CHECK(c.version == "2.1");
  CHECK(c.display_name() == "Dr. Li Wei");
  CHECK(c.tel->text == "555-0300");  // the work voice number, not the fax before it
  REQUIRE(c.fax);
  CHECK(c.fax->text == "555-0311");
  CHECK(c.city->text == "Evanston");  // a soft line break inside a QUOTED-PRINTABLE value
  CHECK(c.note->text == "Caf\xC3\xA9 \xE2\x80\x9Cquote\xE2\x80\x9D and more");
  CHECK(c.email->text == "li.wei@lakeside.example");
  // Without a CHARSET, a 2.1 value that is not UTF-8 is Windows-1252, as Outlook writes it.
  CHECK(c.org->text ==
        "Lakeside Orthop\xC3\xA4"
        "die");
}

TEST_CASE("vcard: a line break in a QUOTED-PRINTABLE value is a newline, as export writes one") {
  const auto cards = io::parse_vcards(
      "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann Lee\r\n"
      "NOTE;ENCODING=QUOTED-PRINTABLE:one=0D=0Atwo=0dthree=0Afour\r\nEND:VCARD\r\n");
  REQUIRE(cards.size() == 1);
  CHECK(cards[0].problems.empty());
  CHECK(cards[0].note->text == "one\ntwo\nthree\nfour");
}

TEST_CASE("vcard: a fax first and nothing preferred: the fax is the fax, the voice the phone") {
  const auto cards = io::parse_vcards(
      "BEGIN:VCARD\nVERSION:3.0\nFN:Raj Patel\nTEL;TYPE=WORK,FAX:555-0211\n"
      "TEL;TYPE=HOME:555-0298\nTEL;TYPE=VOICE:555-0200\n"
      "LABEL;ENCODING=QUOTED-PRINTABLE;TYPE=WORK:1 Heart Way=0D=0AChicago\nEND:VCARD\n");
  REQUIRE(cards.size() == 1);
  CHECK(cards[0].problems.empty());  // LABEL is skipped, whatever its parameters
  CHECK(cards[0].tel->text == "555-0200");
  CHECK(cards[0].fax->text == "555-0211");
}

TEST_CASE("vcard: the reader gives contact columns, with the line of each value") {
  std::istringstream in("BEGIN:VCARD\nVERSION:4.0\nFN:Ann\nX-NPI:1234567893\nEND:VCARD\n");
  const auto columns = record::contact().vcard_columns();
  auto reader = io::make_vcard_reader(in, columns);
  io::Record r;
  REQUIRE(reader->next(r));
  CHECK(reader->columns()[4] == "npi");
  CHECK(r.values[0] == "Ann");
  CHECK(r.values[4] == "1234567893");
  CHECK(r.lines[4] == 4);
  CHECK_FALSE(r.values[3].has_value());
  CHECK_FALSE(reader->next(r));
}

TEST_CASE("vcard: split_name finds prefix, given, family and suffix") {
  auto n = output::split_name("Dr. Ann Marie Lee, MD");
  CHECK(n.prefix == "Dr.");
  CHECK(n.given == "Ann Marie");
  CHECK(n.family == "Lee");
  CHECK(n.suffix == "MD");
  n = output::split_name("Cher");
  CHECK(n.family == "Cher");
  CHECK(n.given.empty());
  n = output::split_name("Elm Street Clinic");
  CHECK(n.family == "Clinic");
  // "Last, First [Suffix]" as office lists write it.
  n = output::split_name("Patel, Raj");
  CHECK(n.family == "Patel");
  CHECK(n.given == "Raj");
  CHECK(n.suffix.empty());
  n = output::split_name("Patel, Raj MD");
  CHECK(n.family == "Patel");
  CHECK(n.given == "Raj");
  CHECK(n.suffix == "MD");
  n = output::split_name("Lee, Ann, MD");
  CHECK(n.family == "Lee");
  CHECK(n.given == "Ann");
  CHECK(n.suffix == "MD");
  n = output::split_name("Ann Lee MD");
  CHECK(n.given == "Ann");
  CHECK(n.family == "Lee");
  CHECK(n.suffix == "MD");
  // A parenthetical at the end is no part of the name.
  n = output::split_name("Dr. Li Wei (Lakeside)");
  CHECK(n.prefix == "Dr.");
  CHECK(n.given == "Li");
  CHECK(n.family == "Wei");
}

namespace {

using P = io::VcardProperty;

output::VcardContact sample() {
  output::VcardContact c;
  c.uid = "urn:refnet:abc:contact:7";
  c.set(P::fn, "Dr. Ann Lee");
  c.set(P::role, "pcp");
  c.set(P::title, "Family medicine; internal");
  c.set(P::org, "Lee, Stone & Partners");
  c.set(P::npi, "1234567893");
  c.set(P::tel, "555-0100");
  c.set(P::email, "ann@example.org");
  c.set(P::city, "Z\xC3\xBCrich");
  c.set(P::source, "visit");
  c.set(P::note, std::string("line one\nline two \\ with a backslash, and ") +
                     std::string(60, 'x') +
                     " \xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC");
  c.set(P::categories, "diabetes,a;b\\c");  // tags never hold a comma: they are split on commas
  return c;
}

std::string write(output::VcardVersion version) {
  std::ostringstream out;
  output::VcardWriter writer(out, version);
  writer.write(sample());
  return out.str();
}

}  // namespace

TEST_CASE("vcard: the writer's lines end in CRLF and never pass 75 octets") {
  for (const auto version : {output::VcardVersion::v4, output::VcardVersion::v3}) {
    const auto text = write(version);
    std::size_t start = 0;
    while (start < text.size()) {
      const auto end = text.find("\r\n", start);
      REQUIRE(end != std::string::npos);
      CHECK(end - start <= 75);
      CHECK(text.find('\n', start) == end + 1);  // no bare LF inside a line
      start = end + 2;
    }
    CHECK(text.starts_with(version == output::VcardVersion::v4 ? "BEGIN:VCARD\r\nVERSION:4.0\r\n"
                                                               : "BEGIN:VCARD\r\nVERSION:3.0\r\n"));
  }
}

TEST_CASE("vcard: what the writer writes, the reader reads back") {
  for (const auto version : {output::VcardVersion::v4, output::VcardVersion::v3}) {
    const auto cards = io::parse_vcards(write(version));
    REQUIRE(cards.size() == 1);
    const auto& c = cards[0];
    const auto s = sample();
    CHECK(c.problems.empty());
    for (const auto p : {P::fn, P::role, P::title, P::org, P::npi, P::tel, P::email, P::city,
                         P::source, P::note, P::categories}) {
      REQUIRE(c.get(p));
      CHECK(c.get(p)->text == *s.get(p));
    }
    CHECK(c.categories == std::vector<std::string>{"diabetes", "a;b\\c"});
    CHECK(c.n == std::vector<std::string>{"Lee", "Ann", "", "Dr.", ""});
  }
}
