// Instants and dates: formatting and parsing (ISO, stored, user), durations, business days.
#include "domain/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "error.hpp"
#include "text/text.hpp"

namespace refnet::domain {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// About 10000 years: a longer duration or relative date is a typo, and would overflow the calendar.
constexpr long long max_span_days = 3'652'425;

// The instants refnet can store: format_utc writes a four-digit year, which parse_iso reads back
// and SQL compares as text.
constexpr Timestamp earliest{sys_days{std::chrono::year{0} / 1 / 1}};
constexpr Timestamp latest{sys_days{std::chrono::year{9999} / 12 / 31} + std::chrono::hours(24) -
                           std::chrono::seconds(1)};

bool storable(Timestamp t) {
  return t >= earliest && t <= latest;
}

Timestamp from_time_t(std::time_t t) {
  return Timestamp{std::chrono::seconds(t)};
}
std::time_t to_time_t(Timestamp t) {
  return static_cast<std::time_t>(t.time_since_epoch().count());
}

// A wall-clock reading in the process's time zone.
struct LocalClock {
  LocalDate date;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

LocalClock to_local(Timestamp t) {
  const std::time_t tt = to_time_t(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return {LocalDate{std::chrono::year{tm.tm_year + 1900},
                    std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)},
                    std::chrono::day{static_cast<unsigned>(tm.tm_mday)}},
          tm.tm_hour, tm.tm_min, tm.tm_sec};
}

// tm_isdst = -1 lets mktime decide whether DST applies: a time inside a spring-forward gap moves
// forward by the gap, and an ambiguous fall-back time takes one of its two instants.
Timestamp from_local(const LocalClock& clock) {
  std::tm tm{};
  tm.tm_year = static_cast<int>(clock.date.year()) - 1900;
  tm.tm_mon = static_cast<int>(static_cast<unsigned>(clock.date.month())) - 1;
  tm.tm_mday = static_cast<int>(static_cast<unsigned>(clock.date.day()));
  tm.tm_hour = clock.hour;
  tm.tm_min = clock.minute;
  tm.tm_sec = clock.second;
  tm.tm_isdst = -1;
  return from_time_t(std::mktime(&tm));
}

LocalDate plus_days(LocalDate d, long long n) {
  return LocalDate{sys_days{d} + days(n)};
}

// Exactly `n` ASCII digits at `pos`, as a number.
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!text::is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<long long> read_count(std::string_view digits) {
  if (!text::all_digits(digits)) return std::nullopt;
  long long value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// Calendar days in local time keep the wall-clock time, so 1d across a DST change is 23h or 25h.
Timestamp shift_local_days(Timestamp start, long long n) {
  if (n == 0) return start;
  LocalClock clock = to_local(start);
  clock.date = plus_days(clock.date, n);
  return from_local(clock);
}

// Steps one local day at a time; each day landed on that is a business day counts.
Timestamp shift_business_days(Timestamp start, long long n, const BusinessCalendar& calendar) {
  if (n == 0) return start;
  const long long step = n < 0 ? -1 : 1;
  long long remaining = n < 0 ? -n : n;
  LocalClock clock = to_local(start);
  while (remaining > 0) {
    clock.date = plus_days(clock.date, step);
    if (calendar.is_business_day(clock.date)) --remaining;
  }
  return from_local(clock);
}

// A negative count steps backward; keep_in_touch_cutoff relies on it.
Timestamp shift(Timestamp start, long long count, Duration::Unit unit,
                const BusinessCalendar& calendar) {
  switch (unit) {
    case Duration::Unit::minutes:
      return start + std::chrono::minutes(count);
    case Duration::Unit::hours:
      return start + std::chrono::hours(count);
    case Duration::Unit::days:
      return shift_local_days(start, count);
    case Duration::Unit::weeks:
      return shift_local_days(start, count * 7);
    case Duration::Unit::business_days:
      return shift_business_days(start, count, calendar);
  }
  return start;
}

struct UnitSpec {
  std::string_view suffix;
  Duration::Unit unit;
  long long max_count;
};

// "bd" comes before "d" only for readability; suffixes are matched whole.
constexpr std::array<UnitSpec, 5> unit_specs{{
    {"m", Duration::Unit::minutes, max_span_days * 24 * 60},
    {"h", Duration::Unit::hours, max_span_days * 24},
    {"bd", Duration::Unit::business_days, max_span_days / 7 * 5},
    {"d", Duration::Unit::days, max_span_days},
    {"w", Duration::Unit::weeks, max_span_days / 7},
}};

enum class DurationProblem { none, form, too_long };

std::optional<Duration> read_duration(std::string_view text, DurationProblem& problem) {
  problem = DurationProblem::form;
  const auto digits_end =
      std::find_if(text.begin(), text.end(), [](char c) { return !text::is_digit(c); });
  const auto split = static_cast<std::size_t>(digits_end - text.begin());
  const auto count = read_count(text.substr(0, split));
  if (!count) return std::nullopt;
  const std::string_view suffix = text.substr(split);
  // Units are lowercase only: "1M" could mean a month to the user, and it must not become a minute.
  const auto spec = std::find_if(unit_specs.begin(), unit_specs.end(),
                                 [&](const UnitSpec& s) { return s.suffix == suffix; });
  if (spec == unit_specs.end()) return std::nullopt;
  if (*count > spec->max_count) {
    problem = DurationProblem::too_long;
    return std::nullopt;
  }
  problem = DurationProblem::none;
  return Duration{*count, spec->unit};
}

// "+3d", "-2w", "+4h", "+30m", "+1bd": relative to now, exact for hours and minutes, calendar
// days (same wall-clock time) for days and weeks, Monday to Friday for business days. Without a
// sign ("2w") it points the way `toward` does.
std::optional<Timestamp> parse_relative(std::string_view word, Timestamp now, Toward toward) {
  const bool signed_word = !word.empty() && (word.front() == '+' || word.front() == '-');
  const bool back = signed_word ? word.front() == '-' : toward == Toward::past;
  DurationProblem problem{};
  const auto duration = read_duration(signed_word ? word.substr(1) : word, problem);
  if (!duration) return std::nullopt;
  return shift(now, back ? -duration->count : duration->count, duration->unit, BusinessCalendar{});
}

// "in 3 days", "in 2 weeks", "in 1 business day", "in 90 minutes": the words of a duration.
std::optional<Timestamp> parse_in(std::span<const std::string> words, Timestamp now) {
  if (words.size() < 3 || words[0] != "in") return std::nullopt;
  const auto count = read_count(words[1]);
  if (!count) return std::nullopt;
  std::string unit = words[2];
  if (words.size() == 4 && words[2] == "business") unit = "business " + words[3];
  if (words.size() > (words[2] == "business" ? 4U : 3U)) return std::nullopt;
  if (unit.ends_with('s')) unit.pop_back();
  constexpr std::array<std::pair<std::string_view, std::string_view>, 7> units{
      {{"minute", "m"},
       {"min", "m"},
       {"hour", "h"},
       {"day", "d"},
       {"week", "w"},
       {"business day", "bd"},
       {"weekday", "bd"}}};
  for (const auto& [name, suffix] : units) {
    if (unit == name)
      return parse_relative(fmt::format("+{}{}", *count, suffix), now, Toward::future);
  }
  return std::nullopt;
}

// A time of day: "14:30", "9:05", "9am", "9:30pm", "12pm" (noon), "12am" (midnight).
std::optional<std::pair<int, int>> parse_clock(std::string_view word) {
  int offset = -1;  // hours added for pm; -1: a 24-hour time
  if (word.ends_with("am") || word.ends_with("pm")) {
    offset = word.ends_with("pm") ? 12 : 0;
    word.remove_suffix(2);
  }
  const auto colon = word.find(':');
  const auto hours = read_count(word.substr(0, colon));
  if (!hours || word.substr(0, colon).size() > 2) return std::nullopt;
  long long minutes = 0;
  if (colon != std::string_view::npos) {
    const auto tail = word.substr(colon + 1);
    const auto m = read_count(tail);
    if (!m || tail.size() != 2 || *m > 59) return std::nullopt;
    minutes = *m;
  } else if (offset < 0) {
    return std::nullopt;  // a bare number is not a time
  }
  long long h = *hours;
  if (offset >= 0) {
    if (h < 1 || h > 12) return std::nullopt;
    h = h % 12 + offset;
  } else if (h > 23) {
    return std::nullopt;
  }
  return std::pair<int, int>{static_cast<int>(h), static_cast<int>(minutes)};
}

constexpr std::array<std::string_view, 7> weekday_names{
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

std::optional<std::chrono::weekday> parse_weekday(std::string_view word) {
  for (std::size_t i = 0; i < weekday_names.size(); ++i) {
    if (word == weekday_names[i] || word == weekday_names[i].substr(0, 3)) {
      return std::chrono::weekday{static_cast<unsigned>(i)};
    }
  }
  return std::nullopt;
}

}  // namespace

Timestamp current_time() {
  const char* fixed = std::getenv("REFNET_NOW");
  // An empty REFNET_NOW counts as unset, like an empty NO_COLOR: `REFNET_NOW= refnet ...` is the
  // real clock.
  if (fixed == nullptr || *fixed == '\0') {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
  if (auto t = parse_iso(fixed)) return *t;
  throw Error(Exit::usage, fmt::format("REFNET_NOW is not an ISO 8601 time: '{}'", fixed),
              "set it like REFNET_NOW=2026-11-27T09:00:00Z, or unset it");
}

std::string format_date(LocalDate d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

UtcText::UtcText(Timestamp t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::hh_mm_ss time_of_day{t - day};
  const LocalDate date{day};
  const int year = static_cast<int>(date.year());
  if (!storable(t)) {  // a year fmt writes with a sign or five digits; never stored
    const auto written = fmt::format_to_n(
        chars_.data(), chars_.size() - 1, "{}T{:02}:{:02}:{:02}Z", format_date(date),
        time_of_day.hours().count(), time_of_day.minutes().count(), time_of_day.seconds().count());
    size_ = written.size;
    return;
  }
  // Two digits at a time, by hand: fmt took a fifth of `refnet demo`'s instructions here.
  const auto two = [this](std::size_t at, unsigned value) {
    chars_[at] = static_cast<char>('0' + value / 10);
    chars_[at + 1] = static_cast<char>('0' + value % 10);
  };
  two(0, static_cast<unsigned>(year) / 100);
  two(2, static_cast<unsigned>(year) % 100);
  chars_[4] = '-';
  two(5, static_cast<unsigned>(date.month()));
  chars_[7] = '-';
  two(8, static_cast<unsigned>(date.day()));
  chars_[10] = 'T';
  two(11, static_cast<unsigned>(time_of_day.hours().count()));
  chars_[13] = ':';
  two(14, static_cast<unsigned>(time_of_day.minutes().count()));
  chars_[16] = ':';
  two(17, static_cast<unsigned>(time_of_day.seconds().count()));
  chars_[19] = 'Z';
  size_ = 20;
}

std::string format_utc(Timestamp t) {
  return std::string(UtcText(t).view());
}

std::string format_local(Timestamp t) {
  const LocalClock clock = to_local(t);
  return fmt::format("{} {:02}:{:02}", format_date(clock.date), clock.hour, clock.minute);
}

std::string format_local_date(Timestamp t) {
  return format_date(local_date(t));
}

std::optional<LocalDate> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = read_digits(text, 0, 4);
  const auto month = read_digits(text, 5, 2);
  const auto day = read_digits(text, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  const LocalDate date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                       std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;  // month 1-12, and the day exists in that month and year
  return date;
}

namespace {

// parse_iso without the range check.
std::optional<Timestamp> read_iso(std::string_view text) {
  if (text.size() == 10) {
    const auto date = parse_iso_date(text);
    if (!date) return std::nullopt;
    return local_midnight(*date);
  }
  if (text.size() < 16) return std::nullopt;
  const auto date = parse_iso_date(text.substr(0, 10));
  const char separator = text[10];
  // A space instead of T is what SQLite and most people write.
  if (!date || (separator != 'T' && separator != 't' && separator != ' ')) return std::nullopt;
  const auto hour = read_digits(text, 11, 2);
  const auto minute = read_digits(text, 14, 2);
  if (!hour || text[13] != ':' || !minute) return std::nullopt;
  std::size_t pos = 16;
  int second = 0;
  if (pos < text.size() && text[pos] == ':') {
    const auto sec = read_digits(text, 17, 2);
    if (!sec) return std::nullopt;
    second = *sec;
    pos = 19;
  }
  if (*hour > 23 || *minute > 59 || second > 59) return std::nullopt;

  const std::string_view zone = text.substr(pos);
  if (zone.empty()) return from_local({*date, *hour, *minute, second});
  int offset_seconds = 0;
  if (zone != "Z" && zone != "z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':')
      return std::nullopt;
    const auto offset_hours = read_digits(zone, 1, 2);
    const auto offset_minutes = read_digits(zone, 4, 2);
    if (!offset_hours || !offset_minutes || *offset_hours > 23 || *offset_minutes > 59) {
      return std::nullopt;
    }
    offset_seconds = (*offset_hours * 3600 + *offset_minutes * 60) * (zone[0] == '-' ? -1 : 1);
  }
  return Timestamp{sys_days{*date}} + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(second - offset_seconds);
}

}  // namespace

std::optional<Timestamp> parse_iso(std::string_view text) {
  const auto at = read_iso(text);
  // 0000-01-01T00:30+01:00 is in the year -1, 9999-12-31T23:30-01:00 in 10000.
  if (!at || !storable(*at)) return std::nullopt;
  return at;
}

namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil), for a
// year of 0-9999 and a month and day already checked. The year is counted from 400 years earlier,
// one whole era, so that it is never negative and every division is by an unsigned constant.
constexpr long long days_from_civil(unsigned y, unsigned m, unsigned d) {
  y = y + 400 - (m <= 2 ? 1 : 0);
  const unsigned era = y / 400;
  const unsigned yoe = y - era * 400;
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (static_cast<long long>(era) - 1) * 146097 + static_cast<long long>(doe) - 719468;
}
static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(0, 1, 1) == -719528);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(days_from_civil(9999, 12, 31) == 2932896);

// parse_stored's test of the form "YYYY-MM-DDTHH:MM:SSZ", eight bytes at a time (little-endian,
// so a word's lowest byte is its first character). XORed with `expected`, a digit leaves its
// value (0-9) in its byte and a separator leaves 0 only when it is the right one; adding `limit`
// then carries into a byte's top bit exactly when that byte is over 9 (digits) or over 0
// (separators). A carry out of a byte that has gone wrong can spill into the next byte: that
// only adds to a failure already found.
struct StoredWord {
  std::uint64_t expected;
  std::uint64_t limit;
};
constexpr std::uint64_t top_bits = 0x8080'8080'8080'8080;
constexpr StoredWord stored_word(std::string_view pattern) {
  StoredWord w{0, 0};
  for (std::size_t i = pattern.size(); i-- > 0;) {
    const bool digit = pattern[i] == '0';
    w.expected = w.expected << 8 | static_cast<unsigned char>(pattern[i]);
    w.limit = w.limit << 8 | (digit ? 0x76U : 0x7FU);  // 0x80 - 10 and 0x80 - 1
  }
  return w;
}
constexpr auto stored_date = stored_word("0000-00-");
constexpr auto stored_middle = stored_word("00T00:00");
constexpr auto stored_end = stored_word(":00Z");

// Characters as a little-endian number: the first is the lowest byte.
template <typename Word>
Word load(const char* p) {
  Word word = 0;
  std::memcpy(&word, p, sizeof word);
  if constexpr (std::endian::native == std::endian::big) {
    word =
        static_cast<Word>(sizeof word == 8 ? __builtin_bswap64(word)
                                           : __builtin_bswap32(static_cast<std::uint32_t>(word)));
  }
  return word;
}

}  // namespace

std::optional<Timestamp> parse_stored(std::string_view text) {
  // The form format_utc writes, read without the general parser: a report may read millions.
  if (text.size() == 20) {
    const std::uint64_t date = load<std::uint64_t>(text.data()) ^ stored_date.expected;
    const std::uint64_t middle = load<std::uint64_t>(text.data() + 8) ^ stored_middle.expected;
    const std::uint64_t end = load<std::uint32_t>(text.data() + 16) ^ stored_end.expected;
    const std::uint64_t wrong = (date | (date + stored_date.limit) | middle |
                                 (middle + stored_middle.limit) | end | (end + stored_end.limit)) &
                                top_bits;
    if (wrong == 0) {
      const auto digit = [](std::uint64_t word, unsigned at) {
        return static_cast<unsigned>(word >> (8 * at)) & 0xFFU;
      };
      const unsigned year =
          digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
      const unsigned month = digit(date, 5) * 10 + digit(date, 6);
      const unsigned day = digit(middle, 0) * 10 + digit(middle, 1);
      const unsigned hour = digit(middle, 3) * 10 + digit(middle, 4);
      const unsigned minute = digit(middle, 6) * 10 + digit(middle, 7);
      const unsigned second = digit(end, 1) * 10 + digit(end, 2);
      static constexpr std::array<unsigned, 12> month_days{31, 29, 31, 30, 31, 30,
                                                           31, 31, 30, 31, 30, 31};
      if (month - 1 < 12 && day - 1 < month_days[month - 1] &&
          (month != 2 || day != 29 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) &&
          hour < 24 && minute < 60 && second < 60) {
        return Timestamp{std::chrono::seconds(days_from_civil(year, month, day) * 86'400 +
                                              hour * 3'600 + minute * 60 + second)};
      }
    }
  }
  return parse_iso(text);  // what the fast path does not take, the general parser judges
}

bool iso_outside_kept_years(std::string_view text) {
  const auto at = read_iso(text);
  return at && !storable(*at);
}

LocalDate local_date(Timestamp t) {
  return to_local(t).date;
}

Timestamp local_midnight(LocalDate d) {
  return from_local({d, 0, 0, 0});
}

namespace {

// A day named by one word: today, yesterday, tomorrow, a weekday, YYYY-MM-DD. Weekday names never
// mean today: --due friday on a Friday is next week's Friday (today is "today"), and --since
// friday on a Friday is last week's.
std::optional<LocalDate> named_day(std::string_view word, LocalDate today, Toward toward) {
  if (word == "today") return today;
  if (word == "yesterday") return plus_days(today, -1);
  if (word == "tomorrow") return plus_days(today, 1);
  if (auto weekday = parse_weekday(word)) {
    const std::chrono::weekday today_weekday{sys_days{today}};
    // weekday subtraction is always 0..6 days.
    long long distance = toward == Toward::future ? (*weekday - today_weekday).count()
                                                  : (today_weekday - *weekday).count();
    if (distance == 0) distance = 7;
    return plus_days(today, toward == Toward::future ? distance : -distance);
  }
  return parse_iso_date(word);
}

std::optional<ParsedDate> read_user_date(std::string_view trimmed, Timestamp now, Toward toward) {
  const std::string word = text::ascii_lower(trimmed);
  const LocalDate today = local_date(now);

  if (word == "now") return ParsedDate{now, false};
  if (auto day = named_day(word, today, toward)) return ParsedDate{local_midnight(*day), true};
  if (auto relative = parse_relative(word, now, toward)) return ParsedDate{*relative, false};
  if (auto clock = parse_clock(word)) {  // "14:30": today at that time
    return ParsedDate{from_local({today, clock->first, clock->second, 0}), false};
  }
  if (auto instant = read_iso(trimmed)) return ParsedDate{*instant, false};

  std::vector<std::string> words;
  for (std::size_t at = 0; at < word.size();) {
    const auto end = std::min(word.find(' ', at), word.size());
    if (end > at) words.emplace_back(word.substr(at, end - at));
    at = end + 1;
  }
  if (auto in = parse_in(words, now)) return ParsedDate{*in, false};
  // "next friday", "last monday": the weekday that way, whatever the option's own direction.
  if (words.size() == 2 && (words[0] == "next" || words[0] == "last") && parse_weekday(words[1])) {
    const auto day = named_day(words[1], today, words[0] == "next" ? Toward::future : Toward::past);
    return ParsedDate{local_midnight(*day), true};
  }
  // "friday 14:30", "tomorrow 9am", "2026-12-01 9:30pm": a named day at a time of day.
  if (words.size() == 2) {
    const auto day = named_day(words[0], today, toward);
    const auto clock = parse_clock(words[1]);
    if (day && clock) return ParsedDate{from_local({*day, clock->first, clock->second, 0}), false};
  }
  return std::nullopt;
}

// Why text in the form YYYY-MM-DD names no day: "February 2026 has 28 days".
std::optional<std::string> impossible_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = read_digits(text, 0, 4);
  const auto month = read_digits(text, 5, 2);
  const auto day = read_digits(text, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  if (*month < 1 || *month > 12) return fmt::format("there is no month {}", *month);
  constexpr std::array<std::string_view, 12> months{
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const std::chrono::year_month_day_last last{std::chrono::year{*year} /
                                              std::chrono::month{static_cast<unsigned>(*month)} /
                                              std::chrono::last};
  const auto in_month = static_cast<unsigned>(last.day());
  if (*day >= 1 && static_cast<unsigned>(*day) <= in_month) return std::nullopt;
  return fmt::format("{} {} has {} days", months[static_cast<std::size_t>(*month - 1)], *year,
                     in_month);
}

}  // namespace

Timestamp day_kept_whole(Timestamp midnight) {
  return midnight + std::chrono::hours(24) - std::chrono::seconds(1);
}

bool names_a_day(Timestamp due) {
  return due == day_kept_whole(local_midnight(local_date(due)));
}

ParsedDate parse_user_date(std::string_view text, Timestamp now, Toward toward,
                           std::string_view what) {
  if (const auto parsed = read_user_date(text::trim(text), now, toward)) {
    // A named day is used whole (--until, --due keep its last second).
    const Timestamp last = parsed->date_only ? day_kept_whole(parsed->at) : parsed->at;
    if (storable(parsed->at) && storable(last)) return *parsed;
    throw Error(Exit::usage, fmt::format("invalid {} '{}': refnet keeps times from the year 0000 "
                                         "to 9999 (UTC)",
                                         what, text));
  }
  if (const auto why = impossible_date(text::trim(text))) {
    throw Error(Exit::usage, fmt::format("invalid {} '{}': {}", what, text, *why));
  }
  throw Error(Exit::usage,
              fmt::format("invalid {} '{}': expected a day (YYYY-MM-DD, today, tomorrow, friday, "
                          "next friday), a time (14:30, 9am, friday 14:30, "
                          "YYYY-MM-DDTHH:MM), or how far (+3d, -2w, 2w, +1bd, in 3 days)",
                          what, text));
}

std::optional<Duration> try_parse_duration(std::string_view text) {
  DurationProblem problem{};
  return read_duration(text, problem);
}

Duration parse_duration(std::string_view text, std::string_view what) {
  DurationProblem problem{};
  if (auto duration = read_duration(text, problem)) return *duration;
  if (problem == DurationProblem::too_long) {
    throw Error(Exit::usage, fmt::format("invalid {} '{}': longer than 10000 years", what, text));
  }
  throw Error(Exit::usage, fmt::format("invalid {} '{}': expected a number and a unit: m, h, d, w "
                                       "or bd (e.g. 24h, 2bd)",
                                       what, text));
}

std::string format_duration(Duration d) {
  const auto spec = std::find_if(unit_specs.begin(), unit_specs.end(),
                                 [&](const UnitSpec& s) { return s.unit == d.unit; });
  return fmt::format("{}{}", d.count, spec == unit_specs.end() ? std::string_view{} : spec->suffix);
}

bool BusinessCalendar::is_business_day(LocalDate d) const {
  const std::chrono::weekday weekday{sys_days{d}};
  if (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday) return false;
  // A linear scan: a year has a dozen holidays, and it does not depend on the list being sorted.
  return std::find(holidays.begin(), holidays.end(), d) == holidays.end();
}

Timestamp add_duration(Timestamp start, Duration d, const BusinessCalendar& calendar) {
  return std::clamp(shift(start, d.count, d.unit, calendar), earliest, latest);
}

std::string format_span(std::chrono::seconds span) {
  const long long total = span.count();
  const unsigned long long magnitude = total < 0 ? 0ULL - static_cast<unsigned long long>(total)
                                                 : static_cast<unsigned long long>(total);
  const unsigned long long total_minutes = magnitude / 60;
  const unsigned long long day_count = total_minutes / (24 * 60);
  const unsigned long long hour_count = total_minutes / 60 % 24;
  const unsigned long long minute_count = total_minutes % 60;
  const std::string_view sign = total_minutes > 0 && total < 0 ? "-" : "";
  // Two units at most: "3d 4h" says enough, and minutes next to days are noise.
  if (day_count > 0) {
    return hour_count > 0 ? fmt::format("{}{}d {}h", sign, day_count, hour_count)
                          : fmt::format("{}{}d", sign, day_count);
  }
  if (hour_count > 0) {
    return minute_count > 0 ? fmt::format("{}{}h {}m", sign, hour_count, minute_count)
                            : fmt::format("{}{}h", sign, hour_count);
  }
  return fmt::format("{}{}m", sign, minute_count);
}

}  // namespace refnet::domain
