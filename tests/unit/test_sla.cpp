#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "domain/sla.hpp"

using namespace refnet::domain;
using namespace std::chrono_literals;

namespace {

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

}  // namespace

TEST_CASE("the default service levels are refnet-config(5)'s") {
  const ServiceLevels sla;
  CHECK(sla.acknowledge_routine == parse_duration("2bd"));
  CHECK(sla.acknowledge_urgent == parse_duration("24h"));
  CHECK(sla.acknowledge_emergent == parse_duration("2h"));
  CHECK(sla.followup_after_referral == parse_duration("24h"));
  CHECK(sla.followup_after_meeting == parse_duration("24h"));
  CHECK(sla.report_back_within == parse_duration("14d"));
  CHECK(sla.keep_in_touch == parse_duration("90d"));
  CHECK(sla.calendar.holidays.empty());
}

TEST_CASE("acknowledge_due picks the urgency's limit") {
  const ServiceLevels sla;
  const Timestamp friday = at("2026-11-27T09:13");
  CHECK(acknowledge_due(friday, Urgency::routine, sla) == at("2026-12-01T09:13"));  // 2bd: Mon, Tue
  CHECK(acknowledge_due(friday, Urgency::urgent, sla) ==
        at("2026-11-28T09:13"));  // 24h, weekend or not
  CHECK(acknowledge_due(friday, Urgency::emergent, sla) == at("2026-11-27T11:13"));

  ServiceLevels custom;
  custom.acknowledge_routine = parse_duration("3d");
  custom.acknowledge_urgent = parse_duration("1bd");
  custom.acknowledge_emergent = parse_duration("30m");
  CHECK(acknowledge_due(friday, Urgency::routine, custom) == at("2026-11-30T09:13"));
  CHECK(acknowledge_due(friday, Urgency::urgent, custom) == at("2026-11-30T09:13"));
  CHECK(acknowledge_due(friday, Urgency::emergent, custom) == at("2026-11-27T09:43"));
}

TEST_CASE("the 23rd and the 25th hour of a 24h limit") {
  const ServiceLevels sla;
  const Timestamp referred = at("2026-11-23T10:00");
  const Timestamp due = acknowledge_due(referred, Urgency::urgent, sla);
  CHECK(due == at("2026-11-24T10:00"));
  CHECK(referred + 23h < due);   // not overdue yet
  CHECK(referred + 25h > due);   // overdue
  CHECK(referred + 24h == due);  // the limit itself
  const Timestamp emergent_due = acknowledge_due(referred, Urgency::emergent, sla);
  CHECK(referred + 119min < emergent_due);
  CHECK(referred + 121min > emergent_due);
}

TEST_CASE("routine acknowledgement on a Friday before a holiday") {
  ServiceLevels sla;
  sla.calendar.holidays = {date(2026, 5, 25)};  // Memorial Day, a Monday
  // Friday + 2bd skips the weekend and the Monday holiday: Tuesday, Wednesday.
  CHECK(acknowledge_due(at("2026-05-22T16:45"), Urgency::routine, sla) == at("2026-05-27T16:45"));
  // Without the holiday it would have been Tuesday.
  CHECK(acknowledge_due(at("2026-05-22T16:45"), Urgency::routine, ServiceLevels{}) ==
        at("2026-05-26T16:45"));
  // Hours are hours, holiday or not.
  CHECK(acknowledge_due(at("2026-05-22T16:45"), Urgency::urgent, sla) == at("2026-05-23T16:45"));

  sla.calendar.holidays = {date(2026, 12, 24), date(2026, 12, 25)};
  // Wednesday 23 Dec + 2bd: Thu and Fri are holidays, so Monday and Tuesday.
  CHECK(acknowledge_due(at("2026-12-23T12:00"), Urgency::routine, sla) == at("2026-12-29T12:00"));
}

TEST_CASE("SLA clocks across DST in New York") {
  ScopedTz tz("America/New_York");
  const ServiceLevels sla;
  // 24h is exact: the clock reads 11:00 the day DST starts.
  const Timestamp saturday = at("2026-03-07T10:00");
  CHECK(acknowledge_due(saturday, Urgency::urgent, sla) == at("2026-03-08T11:00"));
  // Business days keep the wall-clock time: Friday 15:00 EST to Tuesday 15:00 EDT.
  CHECK(acknowledge_due(at("2026-03-06T15:00"), Urgency::routine, sla) == at("2026-03-10T15:00"));
  // 14d keeps the wall-clock time over the fall-back night: 14 days and one hour.
  const Timestamp seen = at("2026-10-25T10:00");
  CHECK(report_due(seen, sla) == at("2026-11-08T10:00"));
  CHECK(report_due(seen, sla) - seen == 14 * 24h + 1h);
}

TEST_CASE("report, follow-up and keep-in-touch clocks") {
  ServiceLevels sla;
  CHECK(report_due(at("2026-11-20T14:00"), sla) == at("2026-12-04T14:00"));
  CHECK(followup_after_referral_due(at("2026-11-27T09:13"), sla) == at("2026-11-28T09:13"));
  CHECK(followup_after_meeting_due(at("2026-11-27T17:30"), sla) == at("2026-11-28T17:30"));
  CHECK(keep_in_touch_cutoff(at("2026-11-27T09:13"), sla) == at("2026-08-29T09:13"));

  sla.followup_after_referral = parse_duration("1bd");
  sla.followup_after_meeting = parse_duration("2bd");
  sla.report_back_within = parse_duration("2w");
  CHECK(followup_after_referral_due(at("2026-11-27T09:13"), sla) == at("2026-11-30T09:13"));
  CHECK(followup_after_meeting_due(at("2026-11-27T09:13"), sla) == at("2026-12-01T09:13"));
  CHECK(report_due(at("2026-11-20T14:00"), sla) == at("2026-12-04T14:00"));
}

TEST_CASE("keep_in_touch_cutoff steps back over business days") {
  ServiceLevels sla;
  sla.keep_in_touch = parse_duration("2bd");
  // Monday - 2bd is Thursday; with Friday a holiday it is Wednesday.
  CHECK(keep_in_touch_cutoff(at("2026-11-30T10:00"), sla) == at("2026-11-26T10:00"));
  sla.calendar.holidays = {date(2026, 11, 27)};
  CHECK(keep_in_touch_cutoff(at("2026-11-30T10:00"), sla) == at("2026-11-25T10:00"));
  sla.keep_in_touch = parse_duration("12h");
  CHECK(keep_in_touch_cutoff(at("2026-11-30T10:00"), sla) == at("2026-11-29T22:00"));
  sla.keep_in_touch = parse_duration("0d");
  CHECK(keep_in_touch_cutoff(at("2026-11-30T10:00"), sla) == at("2026-11-30T10:00"));
}
