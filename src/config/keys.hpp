// The config keys: their tables, kinds and one-line docs, and lookups and hints over them.
#pragma once

// The one table of config keys: loading, `config show`, did-you-mean and the commented default
// file all read it, so a key cannot be known to one and missing from another.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace refnet::config::detail {

// How a key's value is written and checked.
enum class Kind {
  text,          // any string
  path,          // a string; "" means the default location
  busy_timeout,  // "500ms", "5s", "1m" or an integer number of milliseconds
  duration,      // refnet duration: Nm, Nh, Nd, Nw, Nbd
  holidays,      // array of YYYY-MM-DD strings or TOML local dates
  when,          // auto | always | never
  format,        // table | csv | tsv | json
  percent,       // a TOML integer from 1 to 100
  count,         // a TOML integer from 1 to 1000000
  boolean,       // a TOML true or false
};

struct KeySpec {
  std::string_view table;  // "sla.acknowledge"
  std::string_view name;   // "routine"
  Kind kind;
  std::string_view doc;  // one line for the commented default file
};

// In the order the default file lists them, which is also the order of `config show`.
inline constexpr std::array<KeySpec, 23> keys{{
    {"database", "path", Kind::path,
     "The database file; \"\" means $XDG_DATA_HOME/refnet/refnet.db. A leading ~ is your home "
     "folder."},
    {"database", "busy_timeout", Kind::busy_timeout,
     "How long a command waits while another refnet is writing the database: N ms, s or m."},
    {"practice", "name", Kind::text, "Your practice's name, shown in report headers."},
    {"sla", "followup_after_referral", Kind::duration,
     "When the thank-you follow-up after an inbound referral is due."},
    {"sla", "followup_after_meeting", Kind::duration,
     "When the follow-up after meeting a contact in person or at an event is due."},
    {"sla", "report_back_within", Kind::duration,
     "How soon after a patient is seen the report back (in) or the consultant's (out) is due."},
    {"sla", "keep_in_touch", Kind::duration,
     "A contact with no touchpoint and no referral for this long is losing touch."},
    {"sla.acknowledge", "routine", Kind::duration,
     "How soon a routine referral must be acknowledged (bd = business days)."},
    {"sla.acknowledge", "urgent", Kind::duration,
     "How soon an urgent referral must be acknowledged."},
    {"sla.acknowledge", "emergent", Kind::duration,
     "How soon an emergent referral must be acknowledged."},
    {"calendar", "holidays", Kind::holidays,
     "Holidays, which bd durations skip like weekends: [\"2026-12-25\", \"2027-01-01\"]."},
    {"report", "at_risk_recent", Kind::duration,
     "The recent window of the at-risk report, judged against the earlier baseline."},
    {"report", "at_risk_baseline", Kind::duration,
     "The baseline window of the at-risk report; it must be longer than the recent one."},
    {"report", "at_risk_critical_drop", Kind::percent,
     "At-risk grade critical from this drop in percent against the baseline (100 = silent)."},
    {"report", "at_risk_high_drop", Kind::percent,
     "At-risk grade high from this drop in percent; at most at_risk_critical_drop."},
    {"report", "at_risk_medium_drop", Kind::percent,
     "At-risk grade medium from this drop in percent; at most at_risk_high_drop."},
    {"report", "at_risk_min_baseline", Kind::count,
     "A referrer is judged only after this many referrals in the baseline window."},
    {"report", "closed_loop_target", Kind::percent,
     "The closed-loop rate in percent that report digest holds the practice to."},
    {"output", "color", Kind::when,
     "Colour in tables: auto (on at a terminal unless NO_COLOR is set), always or never."},
    {"output", "format", Kind::format, "The default --format: table, csv, tsv or json."},
    {"output", "redact", Kind::when,
     "Patient references as pseudonyms: auto (when not printing to a terminal), always or never."},
    {"output", "wide", Kind::boolean,
     "true: tables never narrow free-text columns to fit the terminal, as with --wide."},
    {"export", "ics_keep_closed", Kind::duration,
     "How long a done or dismissed follow-up stays in --format ics, cancelled or completed."},
}};

// Every table, parents before children: "sla" comes before "sla.acknowledge".
inline constexpr std::array<std::string_view, 8> tables{
    "database", "practice", "sla", "sla.acknowledge", "calendar", "report", "output", "export"};

inline constexpr std::array<std::string_view, 3> whens{"auto", "always", "never"};
inline constexpr std::array<std::string_view, 4> formats{"table", "csv", "tsv", "json"};

std::string dotted(const KeySpec& key);
const KeySpec* find_key(std::string_view dotted_name);
bool is_table(std::string_view dotted_name);

// The known key or table closest to a mistyped one, when one is close enough to be a typo.
std::optional<std::string> did_you_mean(std::string_view dotted_name);
// "valid keys in [sla.acknowledge]: routine, urgent, emergent", for the deepest known table
// above `dotted_name`, or the list of tables when there is none.
std::string valid_keys_hint(std::string_view dotted_name);

// "5s", "500ms", "1m": the shortest exact way to write a busy timeout.
std::string format_busy_timeout(std::chrono::milliseconds timeout);
// `text` as a TOML basic string, quotes included.
std::string toml_quote(std::string_view text);

}  // namespace refnet::config::detail
