// report summary: the period at a glance; also what a bare `refnet report` runs.
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>

#include "common.hpp"
#include "report/summary.hpp"
#include "report/window.hpp"
#include "report_common.hpp"

namespace refnet::cli {

namespace {

// The line above the table: whose network, which days. Tables only: csv and json stay pure data.
std::string summary_heading(Context& ctx, const report::Period& p) {
  const auto first_day = domain::format_local_date(*p.since);
  const auto last_day =
      domain::format_local_date(report::referral_end(p) - std::chrono::seconds(1));
  const std::string& practice = ctx.config().practice_name;
  return fmt::format("{}Summary {} to {} (as of {})", practice.empty() ? "" : practice + ": ",
                     first_day, last_day, domain::format_local(p.as_of));
}

}  // namespace

void run_report_summary(Context& ctx, const ReportOptions& period) {
  const auto p = report::summary_period(report_period(ctx, period));
  // Opened before the heading: a database that stays locked must leave stdout empty.
  auto& store = ctx.store();
  auto sink = ctx.sink();
  say(ctx, summary_heading(ctx, p));
  report::summary(store, p, ctx.sla(), *sink);
}

void wire_report_summary(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  set_example(sub, "refnet report summary --since 2026-01-01 --until 2026-03-31");
  sub.callback([period, &ctx] { run_report_summary(ctx, *period); });
}

}  // namespace refnet::cli
