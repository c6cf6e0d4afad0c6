// vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350) contacts, read for `refnet import contacts`.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/reader.hpp"
#include "io/vcard_property.hpp"

namespace refnet::io {

// One card, with the line each kept property came from.
struct Vcard {
  struct Value {
    std::string text;
    std::size_t line = 0;
  };
  std::size_t line = 0;  // BEGIN:VCARD
  std::string version;
  std::optional<Value> fn;
  std::vector<std::string> n;  // family, given, additional, prefixes, suffixes
  std::size_t n_line = 0;
  std::optional<Value> org;  // the organisation's name: ORG's first component
  std::optional<Value> title;
  std::optional<Value> note;    // several NOTEs joined by a line break
  std::optional<Value> npi;     // X-NPI
  std::optional<Value> role;    // X-REFNET-ROLE (refnet's own export)
  std::optional<Value> source;  // X-REFNET-SOURCE
  std::optional<Value> tel;     // the preferred TEL, else a work or voice one, else the first
  std::optional<Value> fax;     // the preferred TEL typed FAX, else the first
  std::optional<Value> email;   // the preferred EMAIL, else the first
  std::optional<Value> city;    // the preferred ADR's locality, else the first ADR's
  std::vector<std::string> categories;
  std::size_t categories_line = 0;
  std::vector<Problem> problems;

  // FN, else N's parts in reading order (prefix given additional family suffix).
  std::optional<std::string> display_name() const;
  // What the card says for one property, with its line; categories joined by commas.
  std::optional<Value> get(VcardProperty property) const;
};

// A record column a card fills, and the property it comes from.
struct VcardColumn {
  VcardProperty property;
  std::string_view key;
};

// Reads cards one at a time. Folded lines are unfolded (CRLF or LF followed by a space or tab),
// text values unescaped (\\ \, \; \n \N), structured values (N, ADR, ORG) split on unescaped
// semicolons, CATEGORIES on unescaped commas.
class VcardParser {
 public:
  explicit VcardParser(std::istream& in);
  ~VcardParser();
  VcardParser(const VcardParser&) = delete;
  VcardParser& operator=(const VcardParser&) = delete;
  bool next(Vcard& card);
  std::uint64_t position() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::vector<Vcard> parse_vcards(std::string_view text);

// Cards as records with the given columns, each filled from its property.
std::unique_ptr<RecordReader> make_vcard_reader(std::istream& in,
                                                std::span<const VcardColumn> columns);

// Unescapes one vCard text value.
std::string vcard_unescape(std::string_view value);
// Splits on `separator` where it is not escaped; components stay escaped.
std::vector<std::string_view> vcard_split(std::string_view value, char separator);

}  // namespace refnet::io
