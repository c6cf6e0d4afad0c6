#include "report/summary.hpp"

#include <chrono>
#include <cmath>
#include <string>

#include "report/window.hpp"

namespace refnet::report {

namespace {

constexpr int top_referrer_count = 5;
constexpr auto followup_horizon = std::chrono::days(7);
constexpr int default_days = 30;

}  // namespace

Period summary_period(Period requested) {
  if (!requested.since) {
    const auto last_day = std::chrono::sys_days(domain::local_date(requested.as_of));
    requested.since =
        domain::local_midnight(domain::LocalDate(last_day - std::chrono::days(default_days - 1)));
  }
  return requested;
}

std::vector<output::Column> summary_columns() {
  return {
      {"section", "Section", false, output::Tone::dim},
      {"metric", "Metric"},
      {"value", "Value", true, output::Tone::bold},
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
  };
}

std::size_t summary(store::Store& store, const Period& requested, const domain::ServiceLevels& sla,
                    output::RowSink& sink) {
  const Period period = summary_period(requested);
  const auto end = referral_end(period);
  const auto counts =
      store.summary_counts(period.since, end, period.as_of, period.as_of + followup_horizon);
  const auto overdue =
      store.count_overdue(period.as_of, domain::keep_in_touch_cutoff(period.as_of, sla));

  sink.begin(summary_columns());
  std::size_t rows = 0;
  auto put = [&](const char* section, std::string metric, output::Cell value,
                 output::Cell contact_id = std::monostate{}) {
    sink.row({{std::string(section), std::move(metric), std::move(value), std::move(contact_id)}});
    ++rows;
  };
  put("referrals", "in", counts.referrals_in);
  put("referrals", "out", counts.referrals_out);
  put("referrals", "open", counts.open);
  put("actions", "overdue", overdue);
  put("actions", "followups_past_due", counts.followups_past_due);
  put("actions", "followups_due_7d", counts.followups_due_soon);
  const auto made = counts.referrals_in + counts.referrals_out;
  put("closed_loop", "closed", counts.closed);
  put("closed_loop", "referrals", made);
  if (made > 0) {
    const double rate = 100.0 * static_cast<double>(counts.closed) / static_cast<double>(made);
    put("closed_loop", "rate_percent", std::round(rate * 10.0) / 10.0);
  } else {
    put("closed_loop", "rate_percent", std::monostate{});
  }
  put("contacts", "new", counts.new_contacts);
  store.each_top_referrer(period.since, end, top_referrer_count,
                          [&](const store::TopReferrer& top) {
                            put("top_referrers", top.contact_name, top.referrals, top.contact_id);
                          });
  sink.end();
  return rows;
}

}  // namespace refnet::report
