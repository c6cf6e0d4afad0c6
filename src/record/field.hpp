// Field and Description: a record type's fields described once, and the helpers that build them.
#pragma once

// A record type described once: each field's key, title, where it shows, its audit key, how it
// reads from text, the headers an import accepts for it and the vCard property it maps to.
// Listings, show, exports, imports, vCards and the audit trail all work from these tables.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "domain/referral_status.hpp"
#include "domain/time.hpp"
#include "domain/vocabulary.hpp"
#include "io/vcard.hpp"
#include "output/json_writer.hpp"
#include "output/sink.hpp"

namespace refnet::record {

using output::Cell;

// Where a field appears; a field may be in several.
enum View : unsigned {
  listed = 1u << 0,    // list, show, and the record a mutating command prints with --format json
  in_table = 1u << 1,  // also in the terminal table of `list` (others only in csv/tsv/json)
  exported = 1u << 2,  // export, and what import reads back
  audited = 1u << 3,   // the audit trail's snapshot of the record
  roomy = 1u << 4,     // in the terminal table only when the terminal has room for it
};
// The usual combinations: a record's id; a field everywhere; one left out of the terminal table.
inline constexpr unsigned id_views = listed | in_table | exported;
inline constexpr unsigned all_views = listed | in_table | exported | audited;
inline constexpr unsigned off_table = listed | exported | audited;

// What a field holds, which decides how it reads from text and how a table aligns it.
enum class Kind {
  id,     // a positive whole number: the record's or another's id
  count,  // a number worked out, never read
  text,   // free text, trimmed at both ends; nothing left means none
  raw,    // free text kept exactly as written (reasons and notes of referrals); empty means none
  word,   // one word of a vocabulary, any case
  npi,    // a National Provider Identifier, checked
  email,  // an email address, checked
  phone,  // a phone or fax number, checked
  time,   // an ISO 8601 instant
  date,   // an ISO 8601 calendar date
  list,   // comma-separated words (tags)
  name,   // another record's name (a referral's contact, a contact's event): free text the
          // importer resolves itself
  other,  // read by the importer itself (references to other records), or never read
};

// A problem with a value read from text, in words for a `FILE:LINE: column: problem` line.
using Problem = std::optional<std::string>;

template <class R>
struct Field {
  std::string_view key;    // snake_case: csv header, json key, import header
  std::string_view title;  // table header and card label
  unsigned views = 0;
  Kind kind = Kind::text;
  std::string_view audit_key;  // the key in the audit trail's snapshot (the stored column)
  Cell (*get)(const R&) = nullptr;
  // Sets the field from text a person or a file gave, already known not to be blank; returns
  // what is wrong with it instead when it cannot. Null for fields the importer resolves itself.
  Problem (*read)(R&, std::string_view) = nullptr;
  // The value in the audit snapshot when it is not get's (a list is an array there).
  Cell (*audit_get)(const R&) = nullptr;
  std::span<const std::string_view> aliases = {};  // other headers an import accepts for it
  std::string_view required = {};                  // why it may not be left out, when it may not
  std::optional<io::VcardProperty> vcard;          // the property it is written to and read from
  bool patient = false;                            // a patient reference: pseudonymised by --redact
};

template <class R>
struct Description {
  std::string_view entity;  // contact, referral, touchpoint, event: the audit's entity
  std::span<const Field<R>> fields;

  std::vector<output::Column> columns(View view) const;
  // The fields of `view` of one record; `redact`, when given, replaces patient references.
  std::vector<Cell> cells(const R& record, View view,
                          const std::function<std::string(std::string_view)>& redact = {}) const;
  const Field<R>* find(std::string_view key) const;
  // The field an import header names: its key or an alias, compared by text::match_key
  // ("Contact NPI", "contact-npi" and "CONTACT_NPI" all name contact_npi).
  const Field<R>* match_header(std::string_view header) const;
  // The audited fields as one compact JSON object, as the audit trail keeps it.
  std::string snapshot(const R& record) const;
  // The columns a vCard's records have: the fields with a vCard property.
  std::vector<io::VcardColumn> vcard_columns() const;
  // Each vCard property's value for one record, as text; nothing for an empty field.
  std::vector<std::pair<io::VcardProperty, std::optional<std::string>>> vcard_values(
      const R& record) const;
};

// --- cells from members ---

inline Cell cell_of(const std::string& v) {
  return v;
}
inline Cell cell_of(const std::optional<std::string>& v) {
  if (v) return *v;
  return std::monostate{};
}
inline Cell cell_of(std::int64_t v) {
  return v;
}
inline Cell cell_of(const std::optional<std::int64_t>& v) {
  if (v) return *v;
  return std::monostate{};
}
inline Cell cell_of(domain::Timestamp v) {
  return v;
}
inline Cell cell_of(const std::optional<domain::Timestamp>& v) {
  if (v) return *v;
  return std::monostate{};
}
// A list as one cell, "a,b"; none when empty.
Cell cell_of(const std::vector<std::string>& v);
Cell cell_of(const std::vector<std::int64_t>& v);
inline Cell cell_of(domain::Direction v) {
  return std::string(domain::to_string(v));
}
inline Cell cell_of(domain::Urgency v) {
  return std::string(domain::to_string(v));
}
inline Cell cell_of(domain::Status v) {
  return std::string(domain::to_string(v));
}

// --- reading members from text ---

Problem read_into(std::string& out, std::string_view text, Kind kind);
Problem read_into(std::optional<std::string>& out, std::string_view text, Kind kind);
Problem read_into(std::optional<std::int64_t>& out, std::string_view text, Kind kind);
Problem read_into(std::int64_t& out, std::string_view text, Kind kind);
Problem read_into(domain::Timestamp& out, std::string_view text, Kind kind);
Problem read_into(std::optional<domain::Timestamp>& out, std::string_view text, Kind kind);
Problem read_into(std::vector<std::string>& out, std::string_view text, Kind kind);
Problem read_into(std::vector<std::int64_t>& out, std::string_view text, Kind kind);
// Kind::word: the canonical word of `words` that `text` names, any case.
Problem read_word(std::string& out, std::string_view text, std::span<const std::string_view> words);
Problem read_word(std::optional<std::string>& out, std::string_view text,
                  std::span<const std::string_view> words);

// A value as a problem quotes it: in quotes, and cut when long.
std::string shown(std::string_view value);

// --- building a field from a member ---

// Whether text gives no value: empty, or for every kind but raw text, only white space.
bool blank(std::string_view text, Kind kind);

// A blank value empties what can be empty; a member that always holds a value keeps it.
template <class T>
void clear(std::optional<T>& member) {
  member.reset();
}
template <class T>
void clear(std::vector<T>& member) {
  member.clear();
}
template <class T>
void clear(T&) {}

// get and read for a plain member of record R (or of a base of R) of the kind given.
template <class R, auto Member, Kind K>
struct Plain {
  static Cell get(const R& r) { return cell_of(r.*Member); }
  static Problem read(R& r, std::string_view text) {
    if (blank(text, K)) {
      clear(r.*Member);
      return {};
    }
    return read_into(r.*Member, text, K);
  }
};

// get and read for a member holding one word of `Words`; blank is the record's default.
template <class R, auto Member, const auto& Words>
struct Word {
  static Cell get(const R& r) { return cell_of(r.*Member); }
  static Problem read(R& r, std::string_view text) {
    if (blank(text, Kind::word)) {
      static const R defaults{};
      r.*Member = defaults.*Member;
      return {};
    }
    return read_word(r.*Member, text, Words);
  }
};

template <class R>
constexpr Field<R> make_field(std::string_view key, std::string_view title, unsigned views,
                              Kind kind, std::string_view audit_key, Cell (*get)(const R&),
                              Problem (*read)(R&, std::string_view)) {
  Field<R> f;
  f.key = key;
  f.title = title;
  f.views = views;
  f.kind = kind;
  f.audit_key = audit_key;
  f.get = get;
  f.read = read;
  return f;
}

template <class R, auto Member, Kind K>
constexpr Field<R> plain(std::string_view key, std::string_view title, unsigned views,
                         std::string_view audit_key = {}) {
  using P = Plain<R, Member, K>;
  return make_field<R>(
      key, title, views, K, audit_key, &P::get,
      K == Kind::count || K == Kind::name || K == Kind::other ? nullptr : &P::read);
}

template <class R, auto Member, const auto& Words>
constexpr Field<R> word(std::string_view key, std::string_view title, unsigned views,
                        std::string_view audit_key = {}) {
  using W = Word<R, Member, Words>;
  return make_field<R>(key, title, views, Kind::word, audit_key, &W::get, &W::read);
}

// A field worked out from the record (a state, a count), shown but never read.
template <class R>
constexpr Field<R> computed(std::string_view key, std::string_view title, unsigned views, Kind kind,
                            Cell (*get)(const R&)) {
  return make_field<R>(key, title, views, kind, {}, get, nullptr);
}

// The headers spreadsheets give a free-text note, for every kind of record.
inline constexpr std::string_view note_aliases[] = {"Notes", "Comments", "Comment", "Remarks"};

template <class R>
constexpr Field<R> with_aliases(Field<R> f, std::span<const std::string_view> aliases) {
  f.aliases = aliases;
  return f;
}

template <class R>
constexpr Field<R> required(Field<R> f, std::string_view why) {
  f.required = why;
  return f;
}

template <class R>
constexpr Field<R> vcard(Field<R> f, io::VcardProperty property) {
  f.vcard = property;
  return f;
}

template <class R>
constexpr Field<R> read_by(Field<R> f, Problem (*read)(R&, std::string_view)) {
  f.read = read;
  return f;
}

template <class R>
constexpr Field<R> audited_as(Field<R> f, std::string_view audit_key) {
  f.views |= audited;
  f.audit_key = audit_key;
  return f;
}

template <class R>
constexpr Field<R> audit_as(Field<R> f, Cell (*audit_get)(const R&)) {
  f.audit_get = audit_get;
  return f;
}

// A list in the audit snapshot: a JSON array of its strings or numbers, in the order stored.
Cell json_array(const std::vector<std::string>& values);
Cell json_array(const std::vector<std::int64_t>& values);

template <class R>
constexpr Field<R> patient(Field<R> f) {
  f.patient = true;
  return f;
}

// --- the parts of Description that do not depend on the record type ---

namespace detail {
bool right_aligned(Kind kind);
bool header_matches(std::string_view header, std::string_view key,
                    std::span<const std::string_view> aliases);
// Appends one value to a compact JSON object as SQLite's json_object writes it.
void append_json_member(std::string& out, std::string_view key, const Cell& value);
}  // namespace detail

template <class R>
std::vector<output::Column> Description<R>::columns(View view) const {
  std::vector<output::Column> out;
  for (const auto& f : fields) {
    if ((f.views & view) == 0) continue;
    output::Column c;
    c.key = std::string(f.key);
    // An export's table is headed by the keys, as its csv is.
    if (view != exported) c.title = std::string(f.title);
    c.right_align = detail::right_aligned(f.kind);
    // Free text narrows to fit a terminal; a patient reference is an identifier and never does.
    c.shrinks = !f.patient && (f.kind == Kind::text || f.kind == Kind::raw ||
                               f.kind == Kind::list || f.kind == Kind::name);
    c.in_table = view != listed || (f.views & in_table) != 0;
    c.drops = (f.views & roomy) != 0;
    out.push_back(std::move(c));
  }
  return out;
}

template <class R>
std::vector<Cell> Description<R>::cells(
    const R& record, View view, const std::function<std::string(std::string_view)>& redact) const {
  std::vector<Cell> out;
  out.reserve(fields.size());
  for (const auto& f : fields) {
    if ((f.views & view) == 0) continue;
    Cell c = f.get(record);
    if (f.patient && redact) {
      if (const auto* s = std::get_if<std::string>(&c)) c = redact(*s);
    }
    out.push_back(std::move(c));
  }
  return out;
}

template <class R>
const Field<R>* Description<R>::find(std::string_view key) const {
  for (const auto& f : fields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

template <class R>
const Field<R>* Description<R>::match_header(std::string_view header) const {
  for (const auto& f : fields) {
    if ((f.views & exported) != 0 && detail::header_matches(header, f.key, f.aliases)) return &f;
  }
  return nullptr;
}

template <class R>
std::string Description<R>::snapshot(const R& record) const {
  std::string out = "{";
  for (const auto& f : fields) {
    if ((f.views & audited) == 0) continue;
    detail::append_json_member(out, f.audit_key, f.audit_get ? f.audit_get(record) : f.get(record));
  }
  out += '}';
  return out;
}

template <class R>
std::vector<io::VcardColumn> Description<R>::vcard_columns() const {
  std::vector<io::VcardColumn> out;
  for (const auto& f : fields) {
    if (f.vcard) out.push_back({*f.vcard, f.key});
  }
  return out;
}

template <class R>
std::vector<std::pair<io::VcardProperty, std::optional<std::string>>> Description<R>::vcard_values(
    const R& record) const {
  std::vector<std::pair<io::VcardProperty, std::optional<std::string>>> out;
  for (const auto& f : fields) {
    if (!f.vcard) continue;
    const Cell c = f.get(record);
    if (std::holds_alternative<std::monostate>(c)) {
      out.emplace_back(*f.vcard, std::nullopt);
    } else {
      out.emplace_back(*f.vcard, output::cell_text(c, false));
    }
  }
  return out;
}

}  // namespace refnet::record
