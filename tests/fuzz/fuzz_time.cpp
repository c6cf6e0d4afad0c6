// libFuzzer target: the date and duration parsers (src/domain/time.cpp) on arbitrary text, in a
// time zone with daylight saving time, and the arithmetic they feed.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>

#include "domain/time.hpp"
#include "error.hpp"

namespace {

using namespace refnet::domain;
using namespace std::chrono_literals;

// Friday 2026-11-27 09:00 UTC, the e2e suites' clock.
const Timestamp now = std::chrono::sys_days(std::chrono::year(2026) / 11 / 27) + 9h;

const BusinessCalendar calendar{
    {std::chrono::year(2026) / 12 / 25, std::chrono::year(2027) / 1 / 1}};

// Every instant refnet accepts or computes is stored as format_utc's text and read back with
// parse_iso: it must come back the same.
void check_storable(Timestamp t) {
  if (parse_iso(format_utc(t)) != t) std::abort();
}

void user_date(std::string_view text, Toward toward) {
  try {
    const auto parsed = parse_user_date(text, now, toward, "--date");
    check_storable(parsed.at);
    format_local(parsed.at);
  } catch (const refnet::Error& e) {
    if (e.code() != refnet::Exit::usage) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // A POSIX rule needs no tzdata: US Eastern, with its spring-forward gap and fall-back hour.
  setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
  tzset();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (const auto t = parse_iso(text)) {
    check_storable(*t);
    format_local(*t);
  }
  if (const auto d = parse_iso_date(text)) {
    if (!d->ok() || format_date(*d) != text) std::abort();
  }
  user_date(text, Toward::past);
  user_date(text, Toward::future);

  if (const auto duration = try_parse_duration(text)) {
    if (duration->count < 0 || try_parse_duration(format_duration(*duration)) != duration) {
      std::abort();
    }
    const auto later = add_duration(now, *duration, calendar);
    const auto earlier = add_duration(now, Duration{-duration->count, duration->unit}, calendar);
    if (later < now || earlier > now) std::abort();
    check_storable(later);
    check_storable(earlier);
    format_span(later - earlier);
  }
  try {
    parse_duration(text, "--within");
  } catch (const refnet::Error& e) {
    if (e.code() != refnet::Exit::usage) std::abort();
  }
  return 0;
}
