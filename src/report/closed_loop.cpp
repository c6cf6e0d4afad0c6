#include "report/closed_loop.hpp"

#include "report/window.hpp"

namespace refnet::report {

std::vector<output::Column> closed_loop_columns() {
  return {
      {"scope", "Scope"},
      {"direction", "Dir"},
      {"contact", "Contact"},
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
      {"referrals", "Referrals", true},
      {"closed", "Closed", true},
      {"open", "Open", true},
      {"rate_percent", "Rate %", true, output::Tone::bold},
  };
}

std::size_t closed_loop(store::Store& store, const Period& period, output::RowSink& sink) {
  sink.begin(closed_loop_columns());
  std::size_t rows = 0;
  store.each_closed_loop(period.since, referral_end(period), period.as_of,
                         [&](const store::ClosedLoopCount& c) {
                           output::Cell contact = std::monostate{};
                           output::Cell contact_id = std::monostate{};
                           if (c.contact_name) contact = *c.contact_name;
                           if (c.contact_id) contact_id = *c.contact_id;
                           const bool overall = c.scope == "overall";
                           sink.row({{c.scope, c.direction, contact, contact_id, c.referrals,
                                      c.closed, c.referrals - c.closed, c.rate_percent}},
                                    overall ? output::Tone::bold : output::Tone::plain);
                           ++rows;
                         });
  sink.end();
  return rows;
}

}  // namespace refnet::report
