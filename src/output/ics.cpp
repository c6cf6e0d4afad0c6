// iCalendar output: one VCALENDAR of follow-up VEVENTs or VTODOs, times in UTC basic form.
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

IcsWriter::IcsWriter(std::ostream& out, domain::Timestamp stamp, CalendarComponent component)
    : out_(out), stamp_(ics_utc(stamp)), component_(component) {}

void IcsWriter::begin() {
  out_ << fold_content_line("BEGIN:VCALENDAR") << fold_content_line("VERSION:2.0")
       << fold_content_line(std::string("PRODID:-//refnet//refnet ") + refnet::version + "//EN")
       << fold_content_line("CALSCALE:GREGORIAN") << fold_content_line("METHOD:PUBLISH")
       << fold_content_line("X-WR-CALNAME:refnet follow-ups");
}

namespace {

// 20261204: a local calendar day in iCalendar's DATE form.
std::string ics_date(domain::LocalDate day) {
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(day.year()),
                     static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

}  // namespace

void IcsWriter::write(const CalendarEvent& event) {
  const bool todo = component_ == CalendarComponent::todo;
  const bool open = event.status == CalendarStatus::open;
  const auto day = domain::local_date(event.start);
  out_ << fold_content_line(todo ? "BEGIN:VTODO" : "BEGIN:VEVENT")
       << fold_content_line("UID:" + event.uid) << fold_content_line("DTSTAMP:" + stamp_)
       << fold_content_line(open ? "SEQUENCE:0" : "SEQUENCE:1");
  if (todo) {
    out_ << fold_content_line(event.all_day ? "DUE;VALUE=DATE:" + ics_date(day)
                                            : "DUE:" + ics_utc(event.start));
  } else if (event.all_day) {
    const domain::LocalDate next{std::chrono::sys_days{day} + std::chrono::days{1}};
    out_ << fold_content_line("DTSTART;VALUE=DATE:" + ics_date(day))
         << fold_content_line("DTEND;VALUE=DATE:" + ics_date(next));
  } else {
    out_ << fold_content_line("DTSTART:" + ics_utc(event.start))
         << fold_content_line("DURATION:PT15M");
  }
  out_ << fold_content_line("SUMMARY:" + escape_content_text(event.summary));
  if (event.description && !event.description->empty()) {
    out_ << fold_content_line("DESCRIPTION:" + escape_content_text(*event.description));
  }
  if (todo) {
    if (event.status == CalendarStatus::done) {
      out_ << fold_content_line("STATUS:COMPLETED");
      if (event.closed) out_ << fold_content_line("COMPLETED:" + ics_utc(*event.closed));
    } else {
      out_ << fold_content_line(open ? "STATUS:NEEDS-ACTION" : "STATUS:CANCELLED");
    }
    out_ << fold_content_line("END:VTODO");
    return;
  }
  if (!open) out_ << fold_content_line("STATUS:CANCELLED");
  // A reminder to call someone should not block the calendar as busy.
  out_ << fold_content_line("TRANSP:TRANSPARENT") << fold_content_line("END:VEVENT");
}

void IcsWriter::end() {
  out_ << fold_content_line("END:VCALENDAR");
  out_.flush();
}

}  // namespace refnet::output
