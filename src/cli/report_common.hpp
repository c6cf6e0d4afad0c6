#pragma once

// What every report subcommand shares: the period options and how a report is registered.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/context.hpp"
#include "report/overdue.hpp"

namespace refnet::cli {

// --since, --until and --as-of live on `report` itself, so they work before or after the name.
struct ReportOptions {
  std::string since, until, as_of;
};

// The period the user asked for: --as-of (a named day means its end) or now; --since/--until
// (--until includes the named day). Throws Error(usage) on bad dates or an empty period.
report::Period report_period(Context& ctx, const ReportOptions& o);

// One row per report: its name, summary, and the function adding its subcommand's options and
// callback. `report` with no name runs the first one (summary).
struct ReportSpec {
  const char* name;
  const char* summary;
  void (*wire)(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
};

void wire_report_overdue(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
void wire_report_summary(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
void wire_report_reciprocity(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
void wire_report_sources(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
void wire_report_trend(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
void wire_report_at_risk(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
void wire_report_closed_loop(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
void wire_report_turnaround(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
void wire_report_network(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period);
// The default report: `refnet report` with no name runs it with the period options of `report`.
void run_report_summary(Context& ctx, const ReportOptions& period);

}  // namespace refnet::cli
