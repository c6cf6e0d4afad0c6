// report at-risk: referrers who send fewer patients than they used to, or none at all.
#include <memory>

#include "common.hpp"
#include "report/at_risk.hpp"
#include "report_common.hpp"

namespace refnet::cli {

namespace {

report::AtRiskSettings at_risk_settings(const config::Config& config) {
  report::AtRiskSettings s;
  s.recent = config.at_risk_recent;
  s.baseline = config.at_risk_baseline;
  s.critical_drop = config.at_risk_critical_drop;
  s.high_drop = config.at_risk_high_drop;
  s.medium_drop = config.at_risk_medium_drop;
  s.min_baseline = config.at_risk_min_baseline;
  s.calendar = config.sla.calendar;
  return s;
}

}  // namespace

void wire_report_at_risk(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  sub.footer(
      "\nThe recent window (report.at_risk_recent) ends at --as-of, or at --until when earlier;"
      " the baseline\n(report.at_risk_baseline, or from --since) lies right before it.");
  set_example(sub, "refnet report at-risk --as-of 2026-06-30 --format csv");
  sub.callback([period, &ctx] {
    const auto p = report_period(ctx, *period);
    const auto settings = at_risk_settings(ctx.config());
    auto sink = ctx.sink();
    const auto rows = report::at_risk(ctx.store(), p, settings, *sink);
    if (rows == 0 && ctx.format() == output::Format::table) {
      ctx.err << "No referrer is at risk.\n";
    }
  });
}

}  // namespace refnet::cli
