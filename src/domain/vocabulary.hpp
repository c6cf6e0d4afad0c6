// The enumerated words refnet(1) lists (roles, sources, vias, ...), urgency and direction.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace refnet::domain {

// The enumerated values refnet(1) lists. The store's CHECK constraints list the same words; a unit
// test keeps the two in step.
inline constexpr std::array<std::string_view, 5> roles{"pcp", "specialist", "allied", "facility",
                                                       "other"};
inline constexpr std::array<std::string_view, 13> sources{
    "visit",       "referral", "conference", "cme",      "seminar", "workshop", "hosted-event",
    "association", "social",   "linkedin",   "doximity", "sermo",   "other"};
inline constexpr std::array<std::string_view, 8> vias{"call",    "email",    "visit",  "video",
                                                      "meeting", "linkedin", "letter", "update"};
inline constexpr std::array<std::string_view, 7> event_kinds{
    "cme", "conference", "seminar", "workshop", "hosted", "association", "social"};
inline constexpr std::array<std::string_view, 3> urgencies{"routine", "urgent", "emergent"};
inline constexpr std::array<std::string_view, 2> directions{"in", "out"};

// "pcp, specialist, allied, facility or other", for error messages.
std::string one_of_text(std::span<const std::string_view> words);

// Returns the canonical word when `value` is one of `words` (case-insensitive); otherwise
// throws Error(usage): "invalid --role 'x': expected pcp, specialist, ... or other".
std::string require_one_of(std::string_view value, std::span<const std::string_view> words,
                           std::string_view option);

// A source channel is "in person" when meeting the contact plans a follow-up (refnet(1) "Service
// levels": after a contact met in person or at an event).
bool met_in_person(std::string_view source);

enum class Urgency { routine, urgent, emergent };
std::string_view to_string(Urgency u);
std::optional<Urgency> parse_urgency(std::string_view text);

enum class Direction { in, out };
std::string_view to_string(Direction d);
std::optional<Direction> parse_direction(std::string_view text);

}  // namespace refnet::domain
