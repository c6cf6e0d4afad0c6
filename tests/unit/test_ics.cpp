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
                  "DTSTAMP:20261127T090000Z\r\nDTSTART:20261128T143000Z\r\n") != std::string::npos);
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
