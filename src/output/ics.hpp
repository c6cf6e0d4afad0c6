// An iCalendar (RFC 5545) file of planned follow-ups for `refnet export --format ics`.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "domain/time.hpp"

namespace refnet::output {

struct CalendarEvent {
  std::string uid;  // stable, so a calendar updates the event on the next import
  domain::Timestamp start;
  std::string summary;
  std::optional<std::string> description;
};

// Streams one VCALENDAR: begin(), write() per event, end(). Every time is UTC; lines end in CRLF
// and are folded at 75 octets.
class IcsWriter {
 public:
  // `stamp` is DTSTAMP of every event: when the calendar was exported.
  IcsWriter(std::ostream& out, domain::Timestamp stamp);
  void begin();
  void write(const CalendarEvent& event);
  void end();

 private:
  std::ostream& out_;
  std::string stamp_;
};

// 20261127T090000Z
std::string ics_utc(domain::Timestamp t);

}  // namespace refnet::output
