// An iCalendar (RFC 5545) file of follow-ups for `refnet export --format ics`.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "domain/time.hpp"

namespace refnet::output {

// Where a follow-up stands, for calendars that imported it earlier: a closed one is written once
// more, for a while (export.ics_keep_closed), so they drop it or tick it off.
enum class CalendarStatus { open, done, dismissed };

struct CalendarEvent {
  std::string uid;  // stable, so a calendar updates the event on the next import
  domain::Timestamp start;
  bool all_day = false;  // a day, not a time: the local day of `start`, as a date
  std::string summary;
  std::optional<std::string> description;
  CalendarStatus status = CalendarStatus::open;
  std::optional<domain::Timestamp> closed;  // when it was done or dismissed
};

// VEVENTs for calendars, or VTODOs for task apps.
enum class CalendarComponent { event, todo };

// Streams one VCALENDAR: begin(), write() per follow-up, end(). Lines end in CRLF and are folded
// at 75 octets. A timed follow-up is written in UTC: a VEVENT of 15 minutes from DTSTART, or a
// VTODO DUE then; a day is a date (VALUE=DATE): an all-day VEVENT, or a VTODO due that day.
// Open: SEQUENCE:0. Closed: SEQUENCE:1 and STATUS:CANCELLED (VEVENT); STATUS:COMPLETED with
// COMPLETED, or STATUS:CANCELLED when dismissed (VTODO).
class IcsWriter {
 public:
  // `stamp` is DTSTAMP of every component: when the calendar was exported.
  IcsWriter(std::ostream& out, domain::Timestamp stamp,
            CalendarComponent component = CalendarComponent::event);
  void begin();
  void write(const CalendarEvent& event);
  void end();

 private:
  std::ostream& out_;
  std::string stamp_;
  CalendarComponent component_;
};

// 20261127T090000Z
std::string ics_utc(domain::Timestamp t);

}  // namespace refnet::output
