// report summary: the period at a glance, what a bare `refnet report` runs.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "cli/common.hpp"
#include "report/report.hpp"

namespace refnet::report {

namespace {

constexpr int top_referrer_count = 5;
constexpr auto followup_horizon = std::chrono::days(7);
// The period by default: the 30 local days that end with --until's last day, else as-of's day.
constexpr int default_days = 30;

std::vector<output::Column> columns() {
  return {
      {"section", "Section", false, output::Tone::dim},
      output::free_text({"metric", "Metric"}),
      {"value", "Value", true, output::Tone::bold},
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
  };
}

// The period at a glance, one (section, metric, value) row per figure so every format carries
// the same shape:
//   referrals   in, out            made in the period
//   referrals   open               not in a final state at as-of, whenever made
//   actions     overdue            items of the overdue report at as-of
//   actions     followups_past_due open planned follow-ups due before as-of
//   actions     followups_due_7d   open planned follow-ups due in the 7 days from as-of
//   closed_loop closed, referrals, rate_percent
//               the share of the period's referrals (both directions) whose loop closed after
//               the referral was made and by as-of (CMS50: a report dated before the referral
//               does not count); declined or cancelled ones stay in the denominator, as in CMS50.
//               rate_percent is null when the period has no referrals.
//   contacts    new                contacts created in the period (less those merged into another
//   by as-of) top_referrers <contact name>   the 5 contacts who sent the most referrals in the
//   period, by
//                                  name and id among equals
void summary(store::Store& store, const Period& period, const domain::ServiceLevels& sla,
             output::RowSink& sink) {
  const auto end = referral_end(period);
  const auto counts =
      store.summary_counts(period.since, end, period.at(), period.as_of + followup_horizon);
  const auto overdue =
      store.count_overdue(period.at(), domain::keep_in_touch_cutoff(period.as_of, sla));

  sink.begin(columns());
  auto put = [&](const char* section, std::string metric, output::Cell value,
                 output::Cell contact_id = std::monostate{}) {
    sink.row({{std::string(section), std::move(metric), std::move(value), std::move(contact_id)}});
  };
  put("referrals", "in", counts.referrals_in);
  put("referrals", "out", counts.referrals_out);
  put("referrals", "open", counts.open);
  put("actions", "overdue", overdue.total());
  put("actions", "followups_past_due", overdue.followup);
  put("actions", "followups_due_7d", counts.followups_due_soon);
  const auto made = counts.referrals_in + counts.referrals_out;
  put("closed_loop", "closed", counts.closed);
  put("closed_loop", "referrals", made);
  if (made > 0) {
    put("closed_loop", "rate_percent",
        round_to_tenth(100.0 * static_cast<double>(counts.closed) / static_cast<double>(made)));
  } else {
    put("closed_loop", "rate_percent", std::monostate{});
  }
  put("contacts", "new", counts.new_contacts);
  auto referrers = store.referrer_counts(period.since, end);
  const auto top =
      referrers.begin() + std::min<std::ptrdiff_t>(top_referrer_count, std::ssize(referrers));
  std::partial_sort(referrers.begin(), top, referrers.end(),
                    [](const store::TopReferrer& a, const store::TopReferrer& b) {
                      if (a.referrals != b.referrals) return a.referrals > b.referrals;
                      if (const auto by_name = compare_names(a.contact_name, b.contact_name);
                          by_name != 0) {
                        return by_name < 0;
                      }
                      return a.contact_id < b.contact_id;
                    });
  for (auto it = referrers.begin(); it != top; ++it) {
    put("top_referrers", it->contact_name, it->referrals, it->contact_id);
  }
  sink.end();
}

// The line above the table: whose network, which days. Tables only: csv and json stay pure data.
std::string heading(cli::Context& ctx, const Period& p) {
  const auto first_day = domain::format_local_date(*p.since);
  const auto last_day = domain::format_local_date(referral_end(p) - std::chrono::seconds(1));
  const std::string& practice = ctx.config().practice_name;
  return fmt::format("{}Summary {} to {} (as of {})", practice.empty() ? "" : practice + ": ",
                     first_day, last_day, domain::format_local(p.as_of));
}

}  // namespace

void run_summary(cli::Context& ctx, const PeriodOptions& options) {
  const auto p = with_default_days(period(ctx, options), default_days);
  // Opened before the heading: a database that stays locked must leave stdout empty.
  auto& store = ctx.store();
  auto sink = ctx.sink();
  cli::say(ctx, heading(ctx, p));
  summary(store, p, ctx.sla(), *sink);
}

void wire_summary(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  cli::set_example(sub, "refnet report summary --since 2026-01-01 --until 2026-03-31");
  sub.callback([options, &ctx] { run_summary(ctx, *options); });
}

}  // namespace refnet::report
