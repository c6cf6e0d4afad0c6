// vCard output: names split into N's parts, and one card written per contact, v3 or v4.
#include "output/vcard.hpp"

#include <algorithm>
#include <iterator>
#include <ostream>

#include "output/content_line.hpp"
#include "refnet/version.hpp"
#include "text/text.hpp"

namespace refnet::output {

namespace {

using text::trim;

bool is_prefix(std::string_view word) {
  for (std::string_view p : {"Dr.", "Dr", "Prof.", "Prof", "Mr.", "Mrs.", "Ms.", "Mx."}) {
    if (word == p) return true;
  }
  return false;
}

// What follows a comma after a name when it is credentials or a generation, not a given name:
// "Ann Lee, MD", "John Smith, Jr.", "Mary Jones, RN, PhD".
bool is_suffix(std::string_view text) {
  static constexpr std::string_view suffixes[] = {
      "md", "do",     "phd",  "mph",  "mba",  "rn",   "np",   "pa",   "pac",  "dds",  "dmd", "dpm",
      "od", "pharmd", "dc",   "facc", "facp", "facs", "faap", "mbbs", "frcp", "lcsw", "pt",  "dpt",
      "ot", "cnm",    "crna", "aprn", "fnp",  "jr",   "sr",   "ii",   "iii",  "iv",   "esq"};
  // Every comma- or space-separated word must be one: "MD, FACC" is, "Raj" is not.
  bool any = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find_first_of(", ", start), text.size());
    const auto word = text::match_key(text.substr(start, end - start));
    if (!word.empty()) {
      if (std::find(std::begin(suffixes), std::end(suffixes), word) == std::end(suffixes)) {
        return false;
      }
      any = true;
    }
    start = end + 1;
  }
  return any;
}

}  // namespace

NameParts split_name(std::string_view name) {
  NameParts parts;
  std::string_view rest = trim(name);
  // A note in parentheses at the end ("Dr. Li Wei (cardiology)") is no part of the name.
  if (rest.ends_with(')')) {
    if (const auto open = rest.rfind('('); open != std::string_view::npos && open > 0) {
      rest = trim(rest.substr(0, open));
    }
  }
  if (const auto comma = rest.find(','); comma != std::string_view::npos) {
    const auto after = trim(rest.substr(comma + 1));
    if (is_suffix(after)) {
      // "Ann Lee, MD": what follows the comma is the suffix.
      parts.suffix = std::string(after);
      rest = trim(rest.substr(0, comma));
    } else {
      // "Patel, Raj", "Patel, Raj MD" and "Lee, Ann Marie, MD": the family name comes first.
      const auto second = after.find(',');
      const auto given = trim(after.substr(0, second));
      if (second != std::string_view::npos)
        parts.suffix = std::string(trim(after.substr(second + 1)));
      parts.family = std::string(trim(rest.substr(0, comma)));
      std::string_view words = given;
      if (const auto space = words.find_first_of(" \t");
          space != std::string_view::npos && is_prefix(words.substr(0, space))) {
        parts.prefix = std::string(words.substr(0, space));
        words = trim(words.substr(space));
      }
      if (const auto space = words.find_last_of(" \t"); parts.suffix.empty() &&
                                                        space != std::string_view::npos &&
                                                        is_suffix(words.substr(space + 1))) {
        parts.suffix = std::string(words.substr(space + 1));
        words = trim(words.substr(0, space));
      }
      parts.given = std::string(words);
      return parts;
    }
  }
  std::vector<std::string_view> words;
  while (!rest.empty()) {
    const auto space = rest.find_first_of(" \t");
    words.push_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view() : trim(rest.substr(space));
  }
  // "Ann Lee MD": a suffix after the family name, without a comma.
  if (words.size() > 2 && parts.suffix.empty() && is_suffix(words.back())) {
    parts.suffix = std::string(words.back());
    words.pop_back();
  }
  std::size_t first = 0;
  if (words.size() > 1 && is_prefix(words.front())) {
    parts.prefix = std::string(words.front());
    first = 1;
  }
  if (first < words.size()) parts.family = std::string(words.back());
  for (std::size_t i = first; i + 1 < words.size(); ++i) {
    parts.given += (parts.given.empty() ? "" : " ") + std::string(words[i]);
  }
  return parts;
}

VcardWriter::VcardWriter(std::ostream& out, VcardVersion version) : out_(out), version_(version) {}

void VcardContact::set(io::VcardProperty property, std::optional<std::string> value) {
  if (value && !value->empty()) {
    values_[property] = std::move(*value);
  } else {
    values_.erase(property);
  }
}

std::optional<std::string> VcardContact::get(io::VcardProperty property) const {
  const auto it = values_.find(property);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void VcardWriter::write(const VcardContact& c) {
  using P = io::VcardProperty;
  const bool v4 = version_ == VcardVersion::v4;
  auto line = [&](std::string_view text) { out_ << fold_content_line(text); };
  auto text = [&](std::string_view property, P from) {
    if (auto value = c.get(from)) line(std::string(property) + ":" + escape_content_text(*value));
  };
  const auto name = c.get(P::fn).value_or("");
  line("BEGIN:VCARD");
  line(v4 ? "VERSION:4.0" : "VERSION:3.0");
  line(std::string("PRODID:-//refnet//refnet ") + refnet::version + "//EN");
  line("UID:" + escape_content_text(c.uid));
  line("FN:" + escape_content_text(name));
  const auto n = split_name(name);
  line("N:" + escape_content_text(n.family) + ";" + escape_content_text(n.given) + ";" +
       escape_content_text(n.additional) + ";" + escape_content_text(n.prefix) + ";" +
       escape_content_text(n.suffix));
  text("ORG", P::org);
  text("TITLE", P::title);
  if (auto phone = c.get(P::tel)) {
    // vCard 4.0 TEL is a URI unless VALUE=text says otherwise; a number as typed is text.
    line((v4 ? "TEL;VALUE=text;TYPE=work,voice:" : "TEL;TYPE=WORK,VOICE:") +
         escape_content_text(*phone));
  }
  if (auto fax = c.get(P::fax)) {
    line((v4 ? "TEL;VALUE=text;TYPE=work,fax:" : "TEL;TYPE=WORK,FAX:") + escape_content_text(*fax));
  }
  if (auto email = c.get(P::email)) {
    line((v4 ? "EMAIL;TYPE=work:" : "EMAIL;TYPE=INTERNET,WORK:") + escape_content_text(*email));
  }
  if (auto city = c.get(P::city)) {
    line((v4 ? "ADR;TYPE=work:;;;" : "ADR;TYPE=WORK:;;;") + escape_content_text(*city) + ";;;");
  }
  if (auto tags = c.get(P::categories)) {
    // Tags never hold a comma (they are split on commas as they come in): each is escaped alone.
    std::string categories;
    std::size_t start = 0;
    while (start <= tags->size()) {
      const auto end = std::min(tags->find(',', start), tags->size());
      categories += (categories.empty() ? "" : ",") +
                    escape_content_text(std::string_view(*tags).substr(start, end - start));
      start = end + 1;
    }
    line("CATEGORIES:" + categories);
  }
  text("NOTE", P::note);
  text("X-NPI", P::npi);
  text("X-REFNET-ROLE", P::role);
  text("X-REFNET-SOURCE", P::source);
  line("END:VCARD");
}

}  // namespace refnet::output
