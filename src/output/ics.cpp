// iCalendar output: one VCALENDAR of follow-up VEVENTs, times in UTC basic form.
#include "output/ics.hpp"

#include <fmt/format.h>

#include <ostream>

#include "output/content_line.hpp"
#include "refnet/version.hpp"

namespace refnet::output {

std::string ics_utc(domain::Timestamp t) {
  // format_utc gives 2026-11-27T09:00:00Z; iCalendar's basic form drops the separators.
  std::string text = domain::format_utc(t);
  std::string out;
  out.reserve(16);
  for (const char c : text) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out;
}

IcsWriter::IcsWriter(std::ostream& out, domain::Timestamp stamp)
    : out_(out), stamp_(ics_utc(stamp)) {}

void IcsWriter::begin() {
  out_ << fold_content_line("BEGIN:VCALENDAR") << fold_content_line("VERSION:2.0")
       << fold_content_line(std::string("PRODID:-//refnet//refnet ") + refnet::version + "//EN")
       << fold_content_line("CALSCALE:GREGORIAN") << fold_content_line("METHOD:PUBLISH")
       << fold_content_line("X-WR-CALNAME:refnet follow-ups");
}

void IcsWriter::write(const CalendarEvent& event) {
  out_ << fold_content_line("BEGIN:VEVENT") << fold_content_line("UID:" + event.uid)
       << fold_content_line("DTSTAMP:" + stamp_)
       << fold_content_line("DTSTART:" + ics_utc(event.start))
       << fold_content_line("DURATION:PT15M")
       << fold_content_line("SUMMARY:" + escape_content_text(event.summary));
  if (event.description && !event.description->empty()) {
    out_ << fold_content_line("DESCRIPTION:" + escape_content_text(*event.description));
  }
  // A reminder to call someone should not block the calendar as busy.
  out_ << fold_content_line("TRANSP:TRANSPARENT") << fold_content_line("END:VEVENT");
}

void IcsWriter::end() {
  out_ << fold_content_line("END:VCALENDAR");
  out_.flush();
}

}  // namespace refnet::output
