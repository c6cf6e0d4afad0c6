// Resolving a CONTACT argument: id, NPI or name part, with the candidates listed when ambiguous.
#include "domain/contact_ref.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <vector>

#include "error.hpp"
#include "text/text.hpp"

namespace refnet::domain {
namespace {

// One line per candidate: id, name, specialty, practice, like `refnet list contacts`; a column
// nobody has a value in is left out rather than shown as a gap.
std::string candidate_table(const std::vector<ContactCandidate>& candidates) {
  constexpr std::size_t column_count = 5;
  std::vector<std::array<std::string, column_count>> rows;
  for (const auto& c : candidates) {
    rows.push_back(
        {fmt::format("{}", c.id), c.name, c.specialty, c.practice, c.archived ? "(archived)" : ""});
  }
  std::array<std::size_t, column_count> widths{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < column_count; ++i)
      widths[i] = std::max(widths[i], text::display_width(row[i]));
  }
  std::string table;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < column_count; ++i) {
      if (widths[i] == 0) continue;
      const std::size_t padding = widths[i] - text::display_width(row[i]);
      line += "  ";
      if (i == 0) line.append(padding, ' ');  // ids align right, like numbers do
      line += row[i];
      if (i != 0) line.append(padding, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    if (!table.empty()) table += '\n';
    table += line;
  }
  return table;
}

}  // namespace

ContactRefKind classify_contact_ref(std::string_view text) {
  if (!text::all_digits(text)) return ContactRefKind::name_part;
  return text.size() == 10 ? ContactRefKind::npi : ContactRefKind::id;
}

// The narrowing is applied in steps, each only when it leaves someone: exact names first, then
// active contacts. Two exact matches of which one is archived therefore still resolve.
std::int64_t resolve_contact(std::string_view query, const std::vector<ContactCandidate>& matches) {
  if (matches.empty()) {
    throw Error(Exit::data, fmt::format("no contact matches '{}'", query),
                "list them with: refnet list contacts");
  }
  std::vector<ContactCandidate> pool;
  const auto key = text::match_key(query);
  std::copy_if(matches.begin(), matches.end(), std::back_inserter(pool),
               [&](const ContactCandidate& c) { return text::match_key(c.name) == key; });
  if (pool.empty()) pool = matches;

  std::vector<ContactCandidate> active;
  std::copy_if(pool.begin(), pool.end(), std::back_inserter(active),
               [](const ContactCandidate& c) { return !c.archived; });
  if (!active.empty()) pool = std::move(active);

  if (pool.size() == 1) return pool.front().id;
  throw Error(
      Exit::data,
      fmt::format("'{}' matches {} contacts:\n{}", query, pool.size(), candidate_table(pool)),
      "use the id, the NPI or more of the name");
}

NamePartMatcher::NamePartMatcher(std::string_view part)
    : key_(text::match_key(part)), words_(text::match_words(part)) {}

bool NamePartMatcher::matches(std::string_view name) const {
  if (key_.empty()) return false;
  const auto key = text::match_key(name);
  if (key.find(key_) != std::string::npos) return true;
  if (words_.size() < 2) return false;
  // A word in one of the name's words is in its key, which is those words run together: most
  // names fail here, before their words are split out.
  if (!std::all_of(words_.begin(), words_.end(),
                   [&](const std::string& w) { return key.find(w) != std::string::npos; })) {
    return false;
  }
  const auto words = text::match_words(name);
  return std::all_of(words_.begin(), words_.end(), [&](const std::string& w) {
    return std::any_of(words.begin(), words.end(),
                       [&](const std::string& n) { return n.find(w) != std::string::npos; });
  });
}

}  // namespace refnet::domain
