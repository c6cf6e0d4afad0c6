// Instants and dates: the clock, ISO 8601 and user dates, durations and business days.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace refnet::domain {

// Every instant refnet stores or compares, in whole seconds since the Unix epoch (UTC).
using Timestamp = std::chrono::sys_seconds;
using LocalDate = std::chrono::year_month_day;

// The clock: REFNET_NOW (ISO 8601) when set, otherwise the system clock. Throws Error(usage)
// when REFNET_NOW is set but not a valid instant.
Timestamp current_time();

// "2026-11-27T09:13:00Z": how instants are stored and printed in csv/json.
std::string format_utc(Timestamp t);
// The same text in a buffer of its own, NUL-terminated, for callers that write millions of
// instants and must not allocate for each (the store's bulk loads).
class UtcText {
 public:
  explicit UtcText(Timestamp t);
  std::string_view view() const { return {chars_.data(), size_}; }
  const char* c_str() const { return chars_.data(); }

 private:
  std::array<char, 32> chars_{};  // zero-filled: the NUL after the text is already there
  std::size_t size_ = 0;
};
// "2026-11-27 10:13": how instants are shown in tables, in the local time zone (TZ).
std::string format_local(Timestamp t);
// "2026-11-27": the local calendar date of an instant.
std::string format_local_date(Timestamp t);
std::string format_date(LocalDate d);

// Strict ISO 8601 as stored: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]. A date or a time
// without an offset is local time. Returns nullopt on anything else, and on an instant outside
// 0000-01-01T00:00:00Z..9999-12-31T23:59:59Z, which could not be stored and read back.
std::optional<Timestamp> parse_iso(std::string_view text);
// A time as the store holds it: what parse_iso returns, read quickly when the text is in
// format_utc's form.
std::optional<Timestamp> parse_stored(std::string_view text);
// True when `text` is well-formed for parse_iso but names an instant outside the years it keeps.
bool iso_outside_kept_years(std::string_view text);
std::optional<LocalDate> parse_iso_date(std::string_view text);

// Local calendar helpers; the time zone is the process's (TZ).
LocalDate local_date(Timestamp t);
Timestamp local_midnight(LocalDate d);

// Which way a weekday name points: --due "friday" is the coming one, --date/--since the last.
enum class Toward { past, future };

struct ParsedDate {
  Timestamp at;
  bool date_only = false;  // the user named a day, not an instant: callers pick start or end
};

// Dates a user types: ISO 8601 (as parse_iso), now, today, yesterday, tomorrow, +3d, -2w, +4h,
// +30m, and weekday names (monday, mon, ...). Case-insensitive. Throws Error(usage) naming
// `what` (e.g. "--date") and the accepted forms, also when the time, or the whole of a named day,
// falls outside the years parse_iso accepts.
ParsedDate parse_user_date(std::string_view text, Timestamp now, Toward toward,
                           std::string_view what = "date");

// The last second of the day that starts at `midnight`: what a due time on a named day is
// (`--due friday` is not overdue on Friday morning). names_a_day() tells such a due time again,
// for the calendar export's all-day events.
Timestamp day_kept_whole(Timestamp midnight);
bool names_a_day(Timestamp due);

// A duration from config or the command line: Nm, Nh, Nd, Nw, Nbd (business days).
struct Duration {
  enum class Unit { minutes, hours, days, weeks, business_days };
  long long count = 0;
  Unit unit = Unit::days;

  friend bool operator==(const Duration&, const Duration&) = default;
};

// Throws Error(usage) naming `what` on anything that is not a non-negative N + unit.
Duration parse_duration(std::string_view text, std::string_view what = "duration");
std::optional<Duration> try_parse_duration(std::string_view text);
std::string format_duration(Duration d);  // back to "2bd", "24h", ...

// Business days are Monday to Friday, minus these local dates.
struct BusinessCalendar {
  std::vector<LocalDate> holidays;  // kept sorted
  bool is_business_day(LocalDate d) const;
};

// start + d. Business days step over weekends and holidays one local day at a time and keep
// the time of day: Friday 15:00 + 1bd is Monday 15:00, or Tuesday when Monday is a holiday.
// Minutes and hours are exact elapsed time; days and weeks are local calendar days that keep the
// wall-clock time, so 1d across a DST change is 23 or 25 hours. A negative count steps backward.
// The result stays within the years parse_iso accepts: 10000 years from now is 9999-12-31.
Timestamp add_duration(Timestamp start, Duration d, const BusinessCalendar& calendar);

// A readable span for humans: "3d 4h", "45m", "2h".
std::string format_span(std::chrono::seconds span);

}  // namespace refnet::domain
