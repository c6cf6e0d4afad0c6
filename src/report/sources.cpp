#include "report/sources.hpp"

#include "report/window.hpp"

namespace refnet::report {

std::vector<output::Column> sources_columns() {
  return {
      {"by", "By", false, output::Tone::dim},
      {"name", "Name"},
      {"date", "Date"},
      {"referrals", "Referrals", true, output::Tone::bold},
      {"share", "Share %", true},
      {"contacts", "Contacts", true},
      {"event_id", "Event ID", true, output::Tone::plain, false},
  };
}

std::size_t sources(store::Store& store, const Period& period, output::RowSink& sink) {
  sink.begin(sources_columns());
  std::size_t rows = 0;
  store.each_source_share(
      period.since, referral_end(period), domain::format_local_date(period.as_of),
      [&](const store::SourceShare& s) {
        output::Cell date = std::monostate{};
        if (s.event_date) date = output::DateCell{*s.event_date};
        output::Cell event_id = std::monostate{};
        if (s.event_id) event_id = *s.event_id;
        sink.row({{s.by, s.name, date, s.referrals, s.share, s.contacts, event_id}});
        ++rows;
      });
  sink.end();
  return rows;
}

}  // namespace refnet::report
