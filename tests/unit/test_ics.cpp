// The iCalendar writer: a VCALENDAR of follow-ups with UTC times, escaping, folding and CRLF.

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "output/ics.hpp"

using namespace refnet;
using namespace std::chrono_literals;

TEST_CASE("ics: times are UTC in the basic form") {
  const domain::Timestamp t = std::chrono::sys_days{2026y / 11 / 27} + 9h + 5min + 7s;
  CHECK(output::ics_utc(t) == "20261127T090507Z");
}

TEST_CASE("ics: a calendar with one event, every line CRLF and at most 75 octets") {
  std::ostringstream out;
  const domain::Timestamp stamp = std::chrono::sys_days{2026y / 11 / 27} + 9h;
  output::IcsWriter writer(out, stamp);
  writer.begin();
  output::CalendarEvent event;
  event.uid = "followup-12@0123456789abcdef.refnet";
  event.start = std::chrono::sys_days{2026y / 11 / 28} + 14h + 30min;
  event.summary = "Call Lee, Ann; re: referral";
  event.description = "thank for the referral\nReferral #3 " + std::string(80, 'z');
  writer.write(event);
  writer.end();
  const auto text = out.str();
  CHECK(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//refnet//refnet "));
  CHECK(text.find("BEGIN:VEVENT\r\nUID:followup-12@0123456789abcdef.refnet\r\n"
                  "DTSTAMP:20261127T090000Z\r\nSEQUENCE:0\r\nDTSTART:20261128T143000Z\r\n"
                  "DURATION:PT15M\r\n") != std::string::npos);
  CHECK(text.find("STATUS") == std::string::npos);
  CHECK(text.find("SUMMARY:Call Lee\\, Ann\\; re: referral\r\n") != std::string::npos);
  CHECK(text.find("DESCRIPTION:thank for the referral\\nReferral #3 zzz") != std::string::npos);
  CHECK(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    CHECK(end - start <= 75);
    start = end + 2;
  }
}

namespace {

std::string written(const output::CalendarEvent& event, output::CalendarComponent component) {
  std::ostringstream out;
  output::IcsWriter writer(out, std::chrono::sys_days{2026y / 11 / 27} + 9h, component);
  writer.write(event);
  return out.str();
}

}  // namespace

TEST_CASE("ics: a day is a date, a closed follow-up a newer, cancelled or completed version") {
  output::CalendarEvent event;
  event.uid = "followup-1@x.refnet";
  event.start = std::chrono::sys_days{2026y / 12 / 4} + 23h + 59min + 59s;
  event.all_day = true;
  event.summary = "Call Ann Lee";
  const auto day = written(event, output::CalendarComponent::event);
  CHECK(day.find("SEQUENCE:0\r\nDTSTART;VALUE=DATE:20261204\r\nDTEND;VALUE=DATE:20261205\r\n") !=
        std::string::npos);
  CHECK(day.find("DURATION") == std::string::npos);

  event.status = output::CalendarStatus::dismissed;
  event.closed = std::chrono::sys_days{2026y / 11 / 30} + 8h;
  const auto cancelled = written(event, output::CalendarComponent::event);
  CHECK(cancelled.find("SEQUENCE:1\r\n") != std::string::npos);
  CHECK(cancelled.find("STATUS:CANCELLED\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n") !=
        std::string::npos);

  const auto todo = written(event, output::CalendarComponent::todo);
  CHECK(todo.starts_with("BEGIN:VTODO\r\n"));
  CHECK(todo.find("DUE;VALUE=DATE:20261204\r\n") != std::string::npos);
  CHECK(todo.find("STATUS:CANCELLED\r\nEND:VTODO\r\n") != std::string::npos);

  event.status = output::CalendarStatus::done;
  event.all_day = false;
  const auto done = written(event, output::CalendarComponent::todo);
  CHECK(done.find("DUE:20261204T235959Z\r\n") != std::string::npos);
  CHECK(done.find("STATUS:COMPLETED\r\nCOMPLETED:20261130T080000Z\r\nEND:VTODO\r\n") !=
        std::string::npos);
  event.status = output::CalendarStatus::open;
  CHECK(written(event, output::CalendarComponent::todo).find("STATUS:NEEDS-ACTION") !=
        std::string::npos);
}
