// A small vCard reader: the properties a referral network keeps, from cards other programs wrote.
#include "io/vcard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "byte_source.hpp"
#include "text/text.hpp"
#include "vcard_lines.hpp"

namespace refnet::io {

namespace {

using detail::ContentLine;
using detail::split_content_line;
using text::ascii_upper;

// The properties a contact is made from; every other one is skipped, whatever its parameters.
bool kept(std::string_view name) {
  for (const std::string_view k :
       {"VERSION", "FN", "N", "ORG", "TITLE", "NOTE", "X-NPI", "X-REFNET-ROLE", "X-REFNET-SOURCE",
        "TEL", "EMAIL", "ADR", "CATEGORIES"}) {
    if (name == k) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> Vcard::display_name() const {
  if (fn && !text::trim(fn->text).empty()) return fn->text;
  // N is family;given;additional;prefixes;suffixes; a name reads prefix given additional family.
  std::string name;
  for (const std::size_t i : {3u, 1u, 2u, 0u, 4u}) {
    if (i < n.size() && !n[i].empty()) name += (name.empty() ? "" : " ") + n[i];
  }
  if (name.empty()) return std::nullopt;
  return name;
}

std::optional<Vcard::Value> Vcard::get(VcardProperty property) const {
  switch (property) {
    case VcardProperty::fn:
      if (auto name = display_name()) return Value{*name, fn ? fn->line : n_line};
      return std::nullopt;
    case VcardProperty::title:
      return title;
    case VcardProperty::org:
      return org;
    case VcardProperty::npi:
      return npi;
    case VcardProperty::tel:
      return tel;
    case VcardProperty::fax:
      return fax;
    case VcardProperty::email:
      return email;
    case VcardProperty::city:
      return city;
    case VcardProperty::note:
      return note;
    case VcardProperty::role:
      return role;
    case VcardProperty::source:
      return source;
    case VcardProperty::categories: {
      if (categories.empty()) return std::nullopt;
      std::string tags;
      for (const auto& t : categories) tags += (tags.empty() ? "" : ",") + t;
      return Value{tags, categories_line};
    }
  }
  return std::nullopt;
}

struct VcardParser::State {
  explicit State(std::istream& in) : source(in) {}
  detail::ByteSource source;
  std::size_t line = 1;
  bool started = false;
  // The physical line read ahead to see whether it continues the one before.
  std::optional<std::string> pending;
  std::size_t pending_line = 0;

  std::optional<std::string> physical_line(std::size_t& number) {
    if (source.peek() == detail::ByteSource::end) return std::nullopt;
    std::string text;
    number = line;
    for (;;) {
      const int c = source.get();
      if (c == detail::ByteSource::end) break;
      if (c == '\n') {
        ++line;
        break;
      }
      if (c == '\r') {
        if (source.peek() == '\n') source.get();
        ++line;
        break;
      }
      text.push_back(static_cast<char>(c));
    }
    return text;
  }

  // The next logical line: a physical line and every following one that begins with a space
  // or a tab, each without its first character (RFC 6350 §3.2).
  std::optional<std::string> logical_line(std::size_t& number) {
    if (!started) {
      started = true;
      pending = physical_line(pending_line);
      if (pending && pending->starts_with("\xEF\xBB\xBF")) pending->erase(0, 3);
    }
    if (!pending) return std::nullopt;
    std::string text = std::move(*pending);
    number = pending_line;
    for (;;) {
      pending = physical_line(pending_line);
      if (!pending) break;
      // vCard 2.1 breaks a QUOTED-PRINTABLE value with '=' at the line's end, not a space.
      if (detail::continues_quoted_printable(text)) {
        text.pop_back();
        text.append(*pending);
        continue;
      }
      if (pending->empty() || (pending->front() != ' ' && pending->front() != '\t')) break;
      text.append(*pending, 1);
    }
    return text;
  }
};

VcardParser::VcardParser(std::istream& in) : state_(std::make_unique<State>(in)) {}
VcardParser::~VcardParser() = default;

std::uint64_t VcardParser::position() const {
  return state_->source.consumed();
}

bool VcardParser::next(Vcard& card) {
  card = Vcard{};
  std::size_t number = 0;
  // Find BEGIN:VCARD; anything else but blank lines outside a card is a problem of the next card.
  std::vector<Problem> stray;
  for (;;) {
    auto text = state_->logical_line(number);
    if (!text) {
      if (stray.empty()) return false;
      card.line = stray.front().line;
      card.problems = std::move(stray);
      return true;
    }
    if (text::trim(*text).empty()) continue;
    const auto content = split_content_line(*text);
    if (content.ok && content.name == "BEGIN" && ascii_upper(content.value) == "VCARD") break;
    if (stray.empty()) {
      stray.push_back({number, "", "text outside BEGIN:VCARD ... END:VCARD"});
    }
  }
  card.line = number;
  card.problems = std::move(stray);
  int depth = 1;  // a 2.1 AGENT may nest a card; its properties are not this contact's
  int tel_rank = -1;
  bool fax_pref = false, email_pref = false, adr_pref = false;
  for (;;) {
    auto text = state_->logical_line(number);
    if (!text) {
      card.problems.push_back(
          {card.line, "",
           fmt::format("the card that starts on line {} has no END:VCARD", card.line)});
      return true;
    }
    if (text::trim(*text).empty()) continue;
    const auto content = split_content_line(*text);
    if (!content.ok) {
      card.problems.push_back({number, "", "not a vCard property (NAME:value)"});
      continue;
    }
    if (content.name == "BEGIN") {
      ++depth;
      continue;
    }
    if (content.name == "END") {
      if (--depth == 0) return true;
      continue;
    }
    if (depth > 1 || !kept(content.name)) continue;
    std::string problem;
    const auto decoded = detail::decoded_value(content, card.version == "2.1", problem);
    if (!decoded) {
      card.problems.push_back({number, content.name, problem});
      continue;
    }
    const std::string& name = content.name;
    const Vcard::Value value{vcard_unescape(*decoded), number};
    if (name == "VERSION") {
      card.version = text::trim(*decoded);
      if (card.version != "2.1" && card.version != "3.0" && card.version != "4.0") {
        card.problems.push_back(
            {number, "VERSION",
             fmt::format("vCard {} is not supported; use vCard 2.1, 3.0 or 4.0", card.version)});
      }
    } else if (name == "FN") {
      if (!card.fn) card.fn = value;
    } else if (name == "N") {
      card.n.clear();
      for (auto part : vcard_split(*decoded, ';')) {
        // A component may list several values separated by commas (two given names): keep them
        // as written, separated by spaces.
        std::string joined;
        for (auto piece : vcard_split(part, ',')) {
          auto text_piece = vcard_unescape(piece);
          if (!text_piece.empty()) joined += (joined.empty() ? "" : " ") + text_piece;
        }
        card.n.push_back(joined);
      }
      card.n_line = number;
    } else if (name == "ORG") {
      if (!card.org)
        card.org = Vcard::Value{vcard_unescape(vcard_split(*decoded, ';').front()), number};
    } else if (name == "TITLE") {
      if (!card.title) card.title = value;
    } else if (name == "NOTE") {
      if (card.note) {
        card.note->text += "\n" + value.text;
      } else {
        card.note = value;
      }
    } else if (name == "X-NPI") {
      card.npi = value;
    } else if (name == "X-REFNET-ROLE") {
      card.role = value;
    } else if (name == "X-REFNET-SOURCE") {
      card.source = value;
    } else if (name == "TEL") {
      auto tel = value;
      // A tel: URI (VALUE=uri, which vCard 4.0 writers may leave out) is unwrapped; text, as
      // VALUE=text or vCard 3.0 says, is kept as written.
      const auto value_type = content.param("VALUE");
      const bool uri = value_type ? ascii_upper(*value_type) == "URI" : card.version == "4.0";
      if (uri && tel.text.starts_with("tel:")) tel.text.erase(0, 4);
      if (content.has_type("FAX")) {
        // The fax: the preferred one, else the first.
        if (!card.fax || (!fax_pref && content.preferred())) {
          card.fax = tel;
          fax_pref = content.preferred();
        }
      } else {
        // The phone: the preferred number, else a work or voice one (or one of no type), else
        // the first; a mobile, home or pager number only when nothing better is there.
        const bool workish =
            content.has_type("WORK") || content.has_type("VOICE") ||
            !(content.has_type("CELL") || content.has_type("HOME") || content.has_type("PAGER"));
        const int rank = (content.preferred() ? 2 : 0) + (workish ? 1 : 0);
        if (!card.tel || rank > tel_rank) {
          card.tel = tel;
          tel_rank = rank;
        }
      }
    } else if (name == "EMAIL") {
      if (!card.email || (!email_pref && content.preferred())) {
        card.email = value;
        email_pref = content.preferred();
      }
    } else if (name == "ADR") {
      if (!card.city || (!adr_pref && content.preferred())) {
        const auto parts = vcard_split(*decoded, ';');
        // post office box; extended address; street; locality; region; postal code; country
        if (parts.size() > 3 && !parts[3].empty()) {
          card.city = Vcard::Value{vcard_unescape(parts[3]), number};
          adr_pref = content.preferred();
        }
      }
    } else if (name == "CATEGORIES") {
      for (auto part : vcard_split(*decoded, ',')) {
        auto tag = vcard_unescape(part);
        // Google puts every card in its own group "myContacts": no tag of the user's.
        if (!tag.empty() && tag != "myContacts") card.categories.push_back(tag);
      }
      card.categories_line = number;
    }
  }
}

std::vector<Vcard> parse_vcards(std::string_view text) {
  std::istringstream in{std::string(text)};
  VcardParser parser(in);
  std::vector<Vcard> cards;
  Vcard card;
  while (parser.next(card)) cards.push_back(card);
  return cards;
}

namespace {

class VcardRecordReader final : public RecordReader {
 public:
  VcardRecordReader(std::istream& in, std::span<const VcardColumn> columns)
      : parser_(in), properties_(columns.size()) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      columns_.emplace_back(columns[i].key);
      properties_[i] = columns[i].property;
    }
  }

  bool next(Record& record) override {
    record.values.assign(columns_.size(), std::nullopt);
    record.lines.assign(columns_.size(), 0);
    record.problems.clear();
    Vcard card;
    if (!parser_.next(card)) return false;
    record.line = card.line;
    record.problems = std::move(card.problems);
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      if (auto value = card.get(properties_[i])) {
        record.values[i] = std::move(value->text);
        record.lines[i] = value->line;
      } else if (properties_[i] == VcardProperty::fn && record.problems.empty()) {
        record.problems.push_back({card.line, columns_[i], "the card has neither FN nor N"});
      }
    }
    return true;
  }

  const std::vector<std::string>& columns() const override { return columns_; }
  std::uint64_t position() const override { return parser_.position(); }

 private:
  VcardParser parser_;
  std::vector<std::string> columns_;
  std::vector<VcardProperty> properties_;
};

}  // namespace

std::unique_ptr<RecordReader> make_vcard_reader(std::istream& in,
                                                std::span<const VcardColumn> columns) {
  return std::make_unique<VcardRecordReader>(in, columns);
}

}  // namespace refnet::io
