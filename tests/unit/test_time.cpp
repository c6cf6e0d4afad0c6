#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "domain/time.hpp"
#include "error.hpp"

using namespace refnet::domain;
using namespace std::chrono_literals;
using refnet::Error;
using refnet::Exit;

namespace {

// Sets an environment variable for one test and puts the old value back afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) saved_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (saved_) {
      setenv(name_, saved_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

// Runs one test in a given time zone, whatever TZ the suite was started with.
class ScopedTz {
 public:
  explicit ScopedTz(const char* zone) {
    if (const char* old = std::getenv("TZ")) saved_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~ScopedTz() {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> saved_;
};

Timestamp at(std::string_view iso) {
  const auto t = parse_iso(iso);
  REQUIRE_MESSAGE(t.has_value(), "test literal should parse: ", std::string(iso));
  return *t;
}

LocalDate date(int y, unsigned m, unsigned d) {
  return LocalDate{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

Duration dur(long long count, Duration::Unit unit) {
  return Duration{count, unit};
}

constexpr auto bd = Duration::Unit::business_days;

}  // namespace

TEST_CASE("parse_iso reads every stored form") {
  CHECK(format_utc(at("2026-11-27T09:13:00Z")) == "2026-11-27T09:13:00Z");
  CHECK(format_utc(at("2026-11-27T09:13Z")) == "2026-11-27T09:13:00Z");
  CHECK(format_utc(at("2026-11-27T09:13:59Z")) == "2026-11-27T09:13:59Z");
  CHECK(at("2026-11-27t09:13:00z") == at("2026-11-27T09:13:00Z"));
  CHECK(at("2026-11-27 09:13:00Z") == at("2026-11-27T09:13:00Z"));
  CHECK(at("2026-11-27T10:13:00+01:00") == at("2026-11-27T09:13:00Z"));
  CHECK(at("2026-11-27T04:13-05:00") == at("2026-11-27T09:13:00Z"));
  CHECK(at("2026-11-27T14:43+05:30") == at("2026-11-27T09:13:00Z"));
  CHECK(at("2026-11-27T09:13:00-00:00") == at("2026-11-27T09:13:00Z"));
  // An offset can carry the instant into another day.
  CHECK(format_utc(at("2026-12-31T23:30:00-02:00")) == "2027-01-01T01:30:00Z");
  CHECK(format_utc(at("1970-01-01T00:00:00Z")) == "1970-01-01T00:00:00Z");
  CHECK(at("1970-01-01T00:00:00Z").time_since_epoch() == 0s);
  CHECK(format_utc(at("1969-12-31T23:59:59Z")) == "1969-12-31T23:59:59Z");
}

TEST_CASE("parse_iso rejects anything else") {
  for (const char* bad : {"",
                          "2026",
                          "2026-11",
                          "2026-1-05",
                          "26-11-27",
                          "2026/11/27",
                          "2026-11-27x",
                          " 2026-11-27",
                          "2026-11-27 ",
                          "2026-13-01",
                          "2026-00-10",
                          "2026-11-00",
                          "2026-04-31",
                          "2026-11-32",
                          "2026-11-27T09",
                          "2026-11-27T9:13",
                          "2026-11-27T09:3",
                          "2026-11-27T24:00",
                          "2026-11-27T23:60",
                          "2026-11-27T23:59:60",
                          "2026-11-27T09:13:",
                          "2026-11-27T09:13:0",
                          "2026-11-27X09:13",
                          "2026-11-27T09:13:00.500Z",
                          "2026-11-27T09:13:00+0100",
                          "2026-11-27T09:13:00+01",
                          "2026-11-27T09:13:00+24:00",
                          "2026-11-27T09:13:00+01:60",
                          "2026-11-27T09:13:00ZZ",
                          "2026-11-27T09:13:00 Z",
                          "2026-11-27T-9:13",
                          "now",
                          "today"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_iso(bad).has_value());
  }
}

// Outside these years format_utc wrote text parse_iso could not read back: `--date
// 0000-01-01T00:30+01:00` was stored as "-001-12-31T23:30:00Z", and every later read of the row
// failed. The time fuzz target now checks that round trip for every instant it gets.
TEST_CASE("times are kept from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z") {
  CHECK(format_utc(at("0000-01-01T00:00:00Z")) == "0000-01-01T00:00:00Z");
  CHECK(format_utc(at("9999-12-31T23:59:59Z")) == "9999-12-31T23:59:59Z");
  CHECK_FALSE(parse_iso("0000-01-01T00:30+01:00").has_value());
  CHECK_FALSE(parse_iso("9999-12-31T23:30-01:00").has_value());
  CHECK(iso_outside_kept_years("0000-01-01T00:30+01:00"));
  CHECK(iso_outside_kept_years("9999-12-31T23:30-01:00"));
  CHECK_FALSE(iso_outside_kept_years("9999-12-31T23:59:59Z"));
  CHECK_FALSE(iso_outside_kept_years("2026-13-01"));  // malformed, not out of range
  {
    ScopedTz tz("America/New_York");
    CHECK_FALSE(parse_iso("9999-12-31T20:00").has_value());  // 10000-01-01T01:00Z
  }

  const Timestamp now = at("2026-11-27T09:00:00Z");
  for (const char* text : {"+3652425d", "-3652425d", "0000-01-01T00:30+01:00"}) {
    CAPTURE(text);
    try {
      parse_user_date(text, now, Toward::future, "--due");
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == Exit::usage);
      CHECK(std::string(e.what()).find("the year 0000 to 9999") != std::string::npos);
    }
  }
  {
    // A named day is kept whole: its last second must be in range too.
    ScopedTz tz("America/New_York");
    CHECK_THROWS_AS(parse_user_date("9999-12-31", now, Toward::future, "--due"), Error);
    CHECK(parse_user_date("9999-12-30", now, Toward::future, "--due").date_only);
  }

  // An SLA of 10000 years ends with the calendar.
  CHECK(add_duration(now, dur(3'652'425, Duration::Unit::days), {}) == at("9999-12-31T23:59:59Z"));
  CHECK(add_duration(now, dur(-3'652'425, Duration::Unit::days), {}) == at("0000-01-01T00:00:00Z"));
  CHECK(add_duration(now, dur(2'608'875, bd), {}) == at("9999-12-31T23:59:59Z"));
}

// UtcText writes the digits by hand; libc's gmtime, a separate calendar, is the check. Instants
// either side of every midnight of 1968-2031 and a spread over all storable years.
TEST_CASE("UtcText writes what gmtime reads, for every storable year") {
  const auto expected = [](std::int64_t seconds) {
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    REQUIRE(gmtime_r(&t, &tm) != nullptr);
    char text[80];  // room for any int the fields could hold
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return std::string(text);
  };
  const auto check = [&](std::int64_t seconds) {
    const Timestamp t{std::chrono::seconds(seconds)};
    const UtcText text(t);
    CAPTURE(seconds);
    CHECK(text.view() == expected(seconds));
    CHECK(std::string(text.c_str()) == expected(seconds));
    CHECK(format_utc(t) == expected(seconds));
    CHECK(parse_stored(text.view()) == t);
  };
  for (std::int64_t day = -731; day < 22'645; ++day) {
    check(day * 86'400 - 1);
    check(day * 86'400);
  }
  const std::int64_t first = -62'167'219'200;  // 0000-01-01T00:00:00Z
  const std::int64_t last = 253'402'300'799;   // 9999-12-31T23:59:59Z
  check(first);
  check(last);
  std::uint64_t x = 42;
  for (int i = 0; i < 20'000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    check(first +
          static_cast<std::int64_t>((x >> 11) % static_cast<std::uint64_t>(last - first + 1)));
  }
}

// parse_stored reads format_utc's form itself and leaves the rest to parse_iso: on every text
// the two agree.
TEST_CASE("parse_stored agrees with parse_iso") {
  for (const char* text : {"2026-11-27T09:13:00Z",
                           "2024-02-29T23:59:59Z",
                           "2023-02-29T12:00:00Z",
                           "2026-13-01T00:00:00Z",
                           "2026-00-10T00:00:00Z",
                           "2026-04-31T00:00:00Z",
                           "2026-11-27T24:00:00Z",
                           "2026-11-27T09:60:00Z",
                           "2026-11-27T09:13:60Z",
                           "2026-11-27T09:13:00+01:00",
                           "2026-11-27T09:13Z",
                           "2026-11-27",
                           "2026-11-27 09:13:00Z",
                           "2026-11-2aT09:13:00Z",
                           "0000-01-01T00:00:00Z",
                           "9999-12-31T23:59:59Z",
                           "",
                           "2026-11-27T09:13:00z",
                           "1900-02-29T12:00:00Z",
                           "2000-02-29T12:00:00Z",
                           "2100-02-29T12:00:00Z",
                           "0000-02-29T12:00:00Z",
                           "2400-02-29T12:00:00Z"}) {
    CAPTURE(text);
    CHECK(parse_stored(text) == parse_iso(text));
  }
}

// parse_stored tests all twenty characters at once, eight to a word: any one character changed to
// any byte, or two changed at once (a carry out of one byte into the next), must still agree.
TEST_CASE("parse_stored agrees with parse_iso on every changed character") {
  for (const std::string valid :
       {"2024-02-29T23:59:59Z", "0000-01-01T00:00:00Z", "1999-12-31T09:13:07Z"}) {
    for (std::size_t at = 0; at < valid.size(); ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string text = valid;
        text[at] = static_cast<char>(byte);
        CAPTURE(text);
        CHECK(parse_stored(text) == parse_iso(text));
        if (at + 1 < valid.size()) {
          text[at + 1] = static_cast<char>(255 - byte);
          CHECK(parse_stored(text) == parse_iso(text));
        }
      }
    }
  }
}

// Outside the storable years UtcText says what fmt always said; nothing stores such text.
TEST_CASE("UtcText outside the storable years") {
  CHECK(UtcText(at("0000-01-01T00:00:00Z") - std::chrono::seconds(1)).view() ==
        "-001-12-31T23:59:59Z");
  CHECK(UtcText(at("9999-12-31T23:59:59Z") + std::chrono::seconds(1)).view() ==
        "10000-01-01T00:00:00Z");
}

TEST_CASE("leap days exist only in leap years") {
  CHECK(parse_iso_date("2024-02-29") == date(2024, 2, 29));
  CHECK(parse_iso_date("2000-02-29") == date(2000, 2, 29));  // divisible by 400
  CHECK_FALSE(parse_iso_date("2023-02-29").has_value());
  CHECK_FALSE(parse_iso_date("2100-02-29").has_value());  // divisible by 100 only
  CHECK_FALSE(parse_iso_date("2024-02-30").has_value());
  CHECK(format_utc(at("2024-02-29T12:00:00Z")) == "2024-02-29T12:00:00Z");
  CHECK_FALSE(parse_iso("2023-02-29T12:00:00Z").has_value());
  // The day after Feb 28 in a leap year is Feb 29, and March 1 otherwise.
  CHECK(add_duration(at("2024-02-28T10:00"), dur(1, Duration::Unit::days), {}) ==
        at("2024-02-29T10:00"));
  CHECK(add_duration(at("2024-02-29T10:00"), dur(1, Duration::Unit::days), {}) ==
        at("2024-03-01T10:00"));
  CHECK(add_duration(at("2023-02-28T10:00"), dur(1, Duration::Unit::days), {}) ==
        at("2023-03-01T10:00"));
  CHECK(add_duration(at("2024-02-29T10:00"), dur(365, Duration::Unit::days), {}) ==
        at("2025-02-28T10:00"));
}

TEST_CASE("parse_iso_date is only the date") {
  CHECK(parse_iso_date("2026-11-27") == date(2026, 11, 27));
  CHECK_FALSE(parse_iso_date("2026-11-27T00:00").has_value());
  CHECK_FALSE(parse_iso_date("2026-11-2").has_value());
  CHECK_FALSE(parse_iso_date("2026-11-2a").has_value());
  CHECK(format_date(date(2026, 1, 5)) == "2026-01-05");
  CHECK(format_date(date(987, 12, 31)) == "0987-12-31");
}

TEST_CASE("a time without an offset is local time") {
  {
    ScopedTz tz("America/New_York");
    CHECK(at("2026-07-01T09:00") == at("2026-07-01T13:00:00Z"));  // EDT, UTC-4
    CHECK(at("2026-01-15T09:00") == at("2026-01-15T14:00:00Z"));  // EST, UTC-5
    CHECK(at("2026-07-01") == at("2026-07-01T04:00:00Z"));        // a bare date is local midnight
    CHECK(at("2026-07-01T09:00Z") == at("2026-07-01T09:00:00+00:00"));
    // 02:30 does not exist on the spring-forward night; glibc moves it forward by the gap.
    CHECK(at("2026-03-08T02:30") == at("2026-03-08T07:30:00Z"));
  }
  {
    ScopedTz tz("UTC");
    CHECK(at("2026-07-01T09:00") == at("2026-07-01T09:00:00Z"));
    CHECK(at("2026-07-01") == at("2026-07-01T00:00:00Z"));
  }
}

TEST_CASE("formatting in UTC and in local time") {
  ScopedTz tz("America/New_York");
  const Timestamp t = at("2026-11-27T03:30:45Z");
  CHECK(format_utc(t) == "2026-11-27T03:30:45Z");
  CHECK(format_local(t) == "2026-11-26 22:30");  // still the day before in New York
  CHECK(format_local_date(t) == "2026-11-26");
  CHECK(local_date(t) == date(2026, 11, 26));
  CHECK(format_local(at("2026-07-04T16:05:00Z")) == "2026-07-04 12:05");
}

TEST_CASE("local midnight and DST days of 23 and 25 hours") {
  ScopedTz tz("America/New_York");
  CHECK(local_midnight(date(2026, 3, 8)) == at("2026-03-08T05:00:00Z"));
  CHECK(local_midnight(date(2026, 3, 9)) == at("2026-03-09T04:00:00Z"));
  CHECK(local_midnight(date(2026, 3, 9)) - local_midnight(date(2026, 3, 8)) == 23h);
  CHECK(local_midnight(date(2026, 11, 2)) - local_midnight(date(2026, 11, 1)) == 25h);
  CHECK(local_date(local_midnight(date(2026, 11, 1))) == date(2026, 11, 1));
  CHECK(local_date(at("2026-11-02T04:59:59Z")) == date(2026, 11, 1));
  CHECK(local_date(at("2026-11-02T05:00:00Z")) == date(2026, 11, 2));
}

TEST_CASE("current_time follows REFNET_NOW") {
  SUBCASE("an instant") {
    ScopedEnv env("REFNET_NOW", "2026-11-27T09:13:00Z");
    CHECK(current_time() == at("2026-11-27T09:13:00Z"));
  }
  SUBCASE("a bare date is local midnight") {
    ScopedEnv env("REFNET_NOW", "2026-11-27");
    CHECK(current_time() == local_midnight(date(2026, 11, 27)));
  }
  SUBCASE("an invalid value is a usage error that quotes it") {
    ScopedEnv env("REFNET_NOW", "last tuesday");
    try {
      (void)current_time();
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.code() == Exit::usage);
      CHECK(std::string(e.what()) == "REFNET_NOW is not an ISO 8601 time: 'last tuesday'");
      CHECK_FALSE(e.hint().empty());
    }
  }
  SUBCASE("unset or empty is the system clock") {
    for (const char* value : {static_cast<const char*>(nullptr), ""}) {
      ScopedEnv env("REFNET_NOW", value);
      const auto before =
          std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      const Timestamp now = current_time();
      const auto after = std::chrono::system_clock::now();
      CHECK(now >= before);
      CHECK(now <= after);
    }
  }
}

TEST_CASE("parse_user_date: words") {
  const Timestamp now = at("2026-11-27T09:13");  // a Friday
  const ParsedDate n = parse_user_date("now", now, Toward::past);
  CHECK(n.at == now);
  CHECK_FALSE(n.date_only);

  const ParsedDate today = parse_user_date("today", now, Toward::past);
  CHECK(today.at == at("2026-11-27"));
  CHECK(today.date_only);
  CHECK(parse_user_date("yesterday", now, Toward::past).at == at("2026-11-26"));
  CHECK(parse_user_date("yesterday", now, Toward::past).date_only);
  CHECK(parse_user_date("tomorrow", now, Toward::future).at == at("2026-11-28"));
  CHECK(parse_user_date("tomorrow", now, Toward::future).date_only);
  CHECK(parse_user_date("TODAY", now, Toward::past).at == at("2026-11-27"));
  CHECK(parse_user_date(" Tomorrow ", now, Toward::past).at == at("2026-11-28"));

  // Across the end of a year and a leap day.
  CHECK(parse_user_date("tomorrow", at("2026-12-31T22:00"), Toward::future).at == at("2027-01-01"));
  CHECK(parse_user_date("tomorrow", at("2024-02-28T22:00"), Toward::future).at == at("2024-02-29"));
  CHECK(parse_user_date("yesterday", at("2024-03-01T01:00"), Toward::past).at == at("2024-02-29"));
}

TEST_CASE("parse_user_date: relative dates") {
  const Timestamp now = at("2026-11-27T09:13:00");
  const auto rel = [&](const char* text) {
    const ParsedDate p = parse_user_date(text, now, Toward::past);
    CHECK_FALSE(p.date_only);
    return p.at;
  };
  CHECK(rel("+3d") == at("2026-11-30T09:13:00"));
  CHECK(rel("-2w") == at("2026-11-13T09:13:00"));
  CHECK(rel("+4h") == now + 4h);
  CHECK(rel("+30m") == now + 30min);
  CHECK(rel("-90m") == now - 90min);
  CHECK(rel("+0d") == now);
  CHECK(rel("+1D") == at("2026-11-28T09:13:00"));
  CHECK(parse_user_date("+1d", at("2024-02-28T10:00"), Toward::future).at ==
        at("2024-02-29T10:00"));
}

TEST_CASE("parse_user_date: +1d keeps the wall-clock time across DST, +24h does not") {
  ScopedTz tz("America/New_York");
  const Timestamp saturday = at("2026-03-07T10:00");  // EST; DST starts Sunday 02:00
  const Timestamp plus_day = parse_user_date("+1d", saturday, Toward::future).at;
  CHECK(plus_day == at("2026-03-08T10:00"));
  CHECK(plus_day - saturday == 23h);
  const Timestamp plus_24h = parse_user_date("+24h", saturday, Toward::future).at;
  CHECK(plus_24h - saturday == 24h);
  CHECK(format_local(plus_24h) == "2026-03-08 11:00");

  const Timestamp fall = at("2026-10-31T10:00");  // EDT; DST ends Sunday 02:00
  CHECK(parse_user_date("+1d", fall, Toward::future).at - fall == 25h);
  CHECK(parse_user_date("-1d", at("2026-11-01T10:00"), Toward::past).at == fall);
}

TEST_CASE("parse_user_date: weekday names never mean today") {
  const Timestamp friday = at("2026-11-27T09:13");
  const auto day = [&](const char* text, Toward toward) {
    const ParsedDate p = parse_user_date(text, friday, toward);
    CHECK(p.date_only);
    return p.at;
  };
  // The same weekday as today: a week ahead for --due, a week back for --since.
  CHECK(day("friday", Toward::future) == at("2026-12-04"));
  CHECK(day("friday", Toward::past) == at("2026-11-20"));
  CHECK(day("fri", Toward::future) == at("2026-12-04"));
  CHECK(day("Fri", Toward::past) == at("2026-11-20"));
  CHECK(day("saturday", Toward::future) == at("2026-11-28"));
  CHECK(day("saturday", Toward::past) == at("2026-11-21"));
  CHECK(day("thursday", Toward::future) == at("2026-12-03"));
  CHECK(day("thu", Toward::past) == at("2026-11-26"));
  CHECK(day("Monday", Toward::future) == at("2026-11-30"));
  CHECK(day("mon", Toward::past) == at("2026-11-23"));

  // Every name, both ways: the right weekday, one to seven days away.
  const LocalDate today = local_date(friday);
  const char* names[] = {"sunday",   "monday", "tuesday", "wednesday",
                         "thursday", "friday", "saturday"};
  for (unsigned i = 0; i < 7; ++i) {
    CAPTURE(names[i]);
    const std::string short_name = std::string(names[i]).substr(0, 3);
    for (const Toward toward : {Toward::future, Toward::past}) {
      const LocalDate d = local_date(parse_user_date(names[i], friday, toward).at);
      CHECK(std::chrono::weekday{std::chrono::sys_days{d}} == std::chrono::weekday{i});
      const auto distance = std::chrono::sys_days{d} - std::chrono::sys_days{today};
      if (toward == Toward::future) {
        CHECK(distance >= std::chrono::days{1});
        CHECK(distance <= std::chrono::days{7});
      } else {
        CHECK(distance <= std::chrono::days{-1});
        CHECK(distance >= std::chrono::days{-7});
      }
      CHECK(parse_user_date(short_name, friday, toward).at ==
            parse_user_date(names[i], friday, toward).at);
    }
  }
}

TEST_CASE("parse_user_date: ISO forms") {
  const Timestamp now = at("2026-11-27T09:13");
  const ParsedDate d = parse_user_date("2026-12-01", now, Toward::future);
  CHECK(d.at == at("2026-12-01"));
  CHECK(d.date_only);
  const ParsedDate t = parse_user_date("2026-12-01T09:00", now, Toward::future);
  CHECK(t.at == at("2026-12-01T09:00"));
  CHECK_FALSE(t.date_only);
  CHECK(parse_user_date("2026-12-01t09:00:00z", now, Toward::future).at ==
        at("2026-12-01T09:00:00Z"));
  CHECK(parse_user_date("2024-02-29", now, Toward::past).at == at("2024-02-29"));
}

TEST_CASE("parse_user_date: errors name the option and the accepted forms") {
  const Timestamp now = at("2026-11-27T09:13");
  const auto message = [&](const char* text) -> std::string {
    try {
      (void)parse_user_date(text, now, Toward::future, "--due");
    } catch (const Error& e) {
      CHECK(e.code() == Exit::usage);
      return e.what();
    }
    FAIL("expected an error");
    return {};
  };
  CHECK(message("blah") ==
        "invalid --due 'blah': expected a day (YYYY-MM-DD, today, tomorrow, friday, next friday), "
        "a time (14:30, 9am, friday 14:30, YYYY-MM-DDTHH:MM), or how far (+3d, -2w, 2w, +1bd, in "
        "3 days)");
  // A date in the right form that names no day says why.
  CHECK(message("2026-02-30") == "invalid --due '2026-02-30': February 2026 has 28 days");
  CHECK(message("2028-02-30") == "invalid --due '2028-02-30': February 2028 has 29 days");
  CHECK(message("2026-04-31") == "invalid --due '2026-04-31': April 2026 has 30 days");
  CHECK(message("2026-13-01") == "invalid --due '2026-13-01': there is no month 13");
  for (const char* bad : {"",
                          "   ",
                          "+3",
                          "+d",
                          "+3y",
                          "+-3d",
                          "+3.5d",
                          "fridays",
                          "fr",
                          "next",
                          "next week",
                          "2026-02-30",
                          "2026-11-27T25:00",
                          "+99999999999999999999d",
                          "+9999999w",
                          "25:00",
                          "9:7",
                          "13pm",
                          "0am",
                          "in 3",
                          "in three days",
                          "in 3 fortnights",
                          "friday 25:00",
                          "friday at 9",
                          "14",
                          "in 3 days ago"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS((void)parse_user_date(bad, now, Toward::past, "--since"), Error);
  }
}

TEST_CASE("parse_user_date: what people type for a due time") {
  const Timestamp now = at("2026-11-27T09:13");  // a Friday
  const auto due = [&](const char* text) {
    CAPTURE(text);
    return parse_user_date(text, now, Toward::future, "--due");
  };
  // A day alone is a day; with a time of day, that instant (local time).
  CHECK(due("next friday").at == at("2026-12-04"));
  CHECK(due("next friday").date_only);
  CHECK(due("last monday").at == at("2026-11-23"));
  CHECK(due("today 14:30").at == at("2026-11-27T14:30"));
  CHECK_FALSE(due("today 14:30").date_only);
  CHECK(due("friday 14:30").at == at("2026-12-04T14:30"));
  CHECK(due("tomorrow 9am").at == at("2026-11-28T09:00"));
  CHECK(due("Tomorrow 9:30PM").at == at("2026-11-28T21:30"));
  CHECK(due("2026-12-01 12pm").at == at("2026-12-01T12:00"));
  CHECK(due("2026-12-01 12am").at == at("2026-12-01T00:00"));
  CHECK(due("14:30").at == at("2026-11-27T14:30"));
  CHECK(due("9am").at == at("2026-11-27T09:00"));
  // How far: signed, unsigned (the option's way: ahead for --due), in words, business days.
  CHECK(due("+1bd").at == at("2026-11-30T09:13"));  // Friday + 1 business day = Monday
  CHECK(due("2w").at == at("2026-12-11T09:13"));
  CHECK(due("+2w").at == at("2026-12-11T09:13"));
  CHECK(due("in 3 days").at == at("2026-11-30T09:13"));
  CHECK(due("in 1 day").at == at("2026-11-28T09:13"));
  CHECK(due("in 2 business days").at == at("2026-12-01T09:13"));
  CHECK(due("in 90 minutes").at == now + 90min);
  CHECK(due("in 2 hours").at == now + 2h);
  CHECK_FALSE(due("in 3 days").date_only);
  // For --since and --date an unsigned span points back.
  CHECK(parse_user_date("3d", now, Toward::past, "--since").at == at("2026-11-24T09:13"));
}

TEST_CASE("parse_duration reads every unit") {
  CHECK(parse_duration("30m") == dur(30, Duration::Unit::minutes));
  CHECK(parse_duration("24h") == dur(24, Duration::Unit::hours));
  CHECK(parse_duration("14d") == dur(14, Duration::Unit::days));
  CHECK(parse_duration("2w") == dur(2, Duration::Unit::weeks));
  CHECK(parse_duration("2bd") == dur(2, bd));
  CHECK(parse_duration("0d") == dur(0, Duration::Unit::days));
  CHECK(parse_duration("0090d") == dur(90, Duration::Unit::days));
  CHECK(try_parse_duration("90d") == dur(90, Duration::Unit::days));
  for (const char* text : {"30m", "24h", "14d", "2w", "2bd", "0m"}) {
    CHECK(format_duration(parse_duration(text)) == text);
  }
}

TEST_CASE("parse_duration rejects what is not a count and a unit") {
  for (const char* bad :
       {"",     "24", "h",  "bd",  "-1h", "+1h", "1.5h", " 24h", "24h ", "24 h",
        "24hh", "2b", "2x", "2db", "24H", "2BD", "1M",   "2d3h", "١٢h",  "99999999999999999999d"}) {
    CAPTURE(bad);
    CHECK_FALSE(try_parse_duration(bad).has_value());
    CHECK_THROWS_AS((void)parse_duration(bad), Error);
  }
  try {
    (void)parse_duration("24 h", "sla.acknowledge.urgent");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == Exit::usage);
    CHECK(std::string(e.what()) ==
          "invalid sla.acknowledge.urgent '24 h': expected a number and a unit: m, h, d, w or bd "
          "(e.g. 24h, 2bd)");
  }
  try {
    (void)parse_duration("99999999d", "--within");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "invalid --within '99999999d': longer than 10000 years");
  }
  CHECK(parse_duration("3650000d") == dur(3'650'000, Duration::Unit::days));
}

TEST_CASE("business days are Monday to Friday minus holidays") {
  BusinessCalendar calendar{{date(2026, 12, 25), date(2026, 5, 25)}};  // unsorted on purpose
  CHECK(calendar.is_business_day(date(2026, 11, 23)));                 // Monday
  CHECK(calendar.is_business_day(date(2026, 11, 27)));                 // Friday
  CHECK_FALSE(calendar.is_business_day(date(2026, 11, 28)));           // Saturday
  CHECK_FALSE(calendar.is_business_day(date(2026, 11, 29)));           // Sunday
  CHECK_FALSE(calendar.is_business_day(date(2026, 12, 25)));           // a Friday holiday
  CHECK_FALSE(calendar.is_business_day(date(2026, 5, 25)));            // a Monday holiday
  CHECK(calendar.is_business_day(date(2026, 5, 26)));
  CHECK(BusinessCalendar{}.is_business_day(date(2026, 12, 25)));
}

TEST_CASE("add_duration: business days over weekends and holidays") {
  const BusinessCalendar none;
  const BusinessCalendar memorial_day{{date(2026, 5, 25)}};
  const BusinessCalendar christmas{{date(2026, 12, 25)}};
  // Friday 15:00 + 1bd is Monday 15:00; Tuesday when Monday is a holiday.
  CHECK(add_duration(at("2026-11-27T15:00"), dur(1, bd), none) == at("2026-11-30T15:00"));
  CHECK(add_duration(at("2026-05-22T15:00"), dur(1, bd), memorial_day) == at("2026-05-26T15:00"));
  CHECK(add_duration(at("2026-05-22T15:00"), dur(2, bd), memorial_day) == at("2026-05-27T15:00"));
  // Thursday before a Friday holiday: the next business day is Monday.
  CHECK(add_duration(at("2026-12-24T15:00"), dur(1, bd), christmas) == at("2026-12-28T15:00"));
  CHECK(add_duration(at("2026-12-24T15:00"), dur(1, bd), none) == at("2026-12-25T15:00"));
  // Starting on a weekend or a holiday: the first business day after it counts as one.
  CHECK(add_duration(at("2026-11-28T10:00"), dur(1, bd), none) == at("2026-11-30T10:00"));
  CHECK(add_duration(at("2026-11-29T23:59"), dur(1, bd), none) == at("2026-11-30T23:59"));
  CHECK(add_duration(at("2026-05-25T10:00"), dur(1, bd), memorial_day) == at("2026-05-26T10:00"));
  // Zero is no time at all, even on a Saturday.
  CHECK(add_duration(at("2026-11-28T10:00"), dur(0, bd), none) == at("2026-11-28T10:00"));
  // Mid-week, and a full week.
  CHECK(add_duration(at("2026-11-24T09:00"), dur(2, bd), none) == at("2026-11-26T09:00"));
  CHECK(add_duration(at("2026-11-23T09:00"), dur(5, bd), none) == at("2026-11-30T09:00"));
  // Two weekends and a holiday: Thu 21 May + 6bd = Fri 22, Tue 26, Wed 27, Thu 28, Fri 29, Mon 1
  // Jun.
  CHECK(add_duration(at("2026-05-21T08:30"), dur(6, bd), memorial_day) == at("2026-06-01T08:30"));
  // Backward: Monday - 1bd is Friday; Tuesday after a Monday holiday - 1bd is Friday too.
  CHECK(add_duration(at("2026-11-30T10:00"), dur(-1, bd), none) == at("2026-11-27T10:00"));
  CHECK(add_duration(at("2026-05-26T10:00"), dur(-1, bd), memorial_day) == at("2026-05-22T10:00"));
}

TEST_CASE("add_duration: minutes and hours are exact, days keep the wall clock") {
  const Timestamp monday = at("2026-11-23T10:00");
  CHECK(add_duration(monday, dur(90, Duration::Unit::minutes), {}) == monday + 90min);
  CHECK(add_duration(monday, dur(24, Duration::Unit::hours), {}) == at("2026-11-24T10:00"));
  CHECK(add_duration(monday, dur(14, Duration::Unit::days), {}) == at("2026-12-07T10:00"));
  CHECK(add_duration(monday, dur(2, Duration::Unit::weeks), {}) == at("2026-12-07T10:00"));
  CHECK(add_duration(at("2026-01-31T10:00"), dur(30, Duration::Unit::days), {}) ==
        at("2026-03-02T10:00"));
  CHECK(add_duration(at("2026-12-28T10:00"), dur(1, Duration::Unit::weeks), {}) ==
        at("2027-01-04T10:00"));
  // Holidays only matter to business days.
  const BusinessCalendar christmas{{date(2026, 12, 25)}};
  CHECK(add_duration(at("2026-12-24T10:00"), dur(1, Duration::Unit::days), christmas) ==
        at("2026-12-25T10:00"));
}

TEST_CASE("add_duration across DST in New York") {
  ScopedTz tz("America/New_York");
  const BusinessCalendar none;
  const Timestamp saturday = at("2026-03-07T10:00");  // EST
  CHECK(add_duration(saturday, dur(1, Duration::Unit::days), none) - saturday == 23h);
  CHECK(add_duration(saturday, dur(24, Duration::Unit::hours), none) == at("2026-03-08T11:00"));
  CHECK(add_duration(saturday, dur(1, Duration::Unit::weeks), none) - saturday == 167h);
  const Timestamp october = at("2026-10-31T10:00");  // EDT
  CHECK(add_duration(october, dur(1, Duration::Unit::days), none) == at("2026-11-01T10:00"));
  CHECK(add_duration(october, dur(1, Duration::Unit::days), none) - october == 25h);
  CHECK(add_duration(october, dur(24, Duration::Unit::hours), none) == at("2026-11-01T09:00"));
  // Business days keep 15:00 on both sides of the change.
  const Timestamp friday_march = at("2026-03-06T15:00");
  const Timestamp monday_march = add_duration(friday_march, dur(1, bd), none);
  CHECK(format_local(monday_march) == "2026-03-09 15:00");
  CHECK(monday_march - friday_march == 71h);
  const Timestamp friday_october = at("2026-10-30T15:00");
  CHECK(format_local(add_duration(friday_october, dur(1, bd), none)) == "2026-11-02 15:00");
  CHECK(add_duration(friday_october, dur(1, bd), none) - friday_october == 73h);
  CHECK(format_utc(add_duration(friday_october, dur(1, bd), none)) == "2026-11-02T20:00:00Z");
}

TEST_CASE("format_span shows the two largest units") {
  CHECK(format_span(0s) == "0m");
  CHECK(format_span(59s) == "0m");
  CHECK(format_span(60s) == "1m");
  CHECK(format_span(45min) == "45m");
  CHECK(format_span(2h) == "2h");
  CHECK(format_span(2h + 5min + 30s) == "2h 5m");
  CHECK(format_span(23h + 59min) == "23h 59m");
  CHECK(format_span(24h) == "1d");
  CHECK(format_span(2 * 24h + 3h) == "2d 3h");
  CHECK(format_span(3 * 24h + 5min) == "3d");
  CHECK(format_span(400 * 24h + 1h) == "400d 1h");
  CHECK(format_span(-(2h + 5min)) == "-2h 5m");
}
