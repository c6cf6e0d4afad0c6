// Checking a word against refnet's enumerations; in-person sources; urgency and direction names.
#include "domain/vocabulary.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "error.hpp"
#include "text/text.hpp"

namespace refnet::domain {
namespace {

// The channels where the physician actually met the contact; the online ones and a referral
// are not a meeting, so they plan no follow-up.
constexpr std::array<std::string_view, 8> in_person_sources{
    "visit", "conference", "cme", "seminar", "workshop", "hosted-event", "association", "social"};

std::optional<std::size_t> index_of(std::string_view value,
                                    std::span<const std::string_view> words) {
  const auto it = std::find_if(words.begin(), words.end(), [&](std::string_view word) {
    return text::iequals_ascii(word, value);
  });
  if (it == words.end()) return std::nullopt;
  return static_cast<std::size_t>(it - words.begin());
}

}  // namespace

std::string one_of_text(std::span<const std::string_view> words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += i + 1 == words.size() ? " or " : ", ";
    text += words[i];
  }
  return text;
}

std::string require_one_of(std::string_view value, std::span<const std::string_view> words,
                           std::string_view option) {
  if (const auto index = index_of(value, words)) return std::string(words[*index]);
  throw Error(Exit::usage, fmt::format("invalid {} '{}': expected one of {}", option, value,
                                       one_of_text(words)));
}

bool met_in_person(std::string_view source) {
  return index_of(source, in_person_sources).has_value();
}

std::string_view to_string(Urgency u) {
  return urgencies[static_cast<std::size_t>(u)];
}

std::optional<Urgency> parse_urgency(std::string_view text) {
  if (const auto index = index_of(text, urgencies)) return static_cast<Urgency>(*index);
  return std::nullopt;
}

std::string_view to_string(Direction d) {
  return directions[static_cast<std::size_t>(d)];
}

std::optional<Direction> parse_direction(std::string_view text) {
  if (const auto index = index_of(text, directions)) return static_cast<Direction>(*index);
  return std::nullopt;
}

}  // namespace refnet::domain
