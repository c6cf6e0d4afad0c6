// report [NAME]: the questions a practice asks of its network. Each report lives in
// src/report/<name>.cpp; this file lists them and gives them the period options they share.
#include <memory>

#include "common.hpp"
#include "report/report.hpp"

namespace refnet::cli {

namespace {

struct ReportSpec {
  const char* name;
  const char* summary;
  report::Wire wire;
};

constexpr ReportSpec reports[] = {
    {"summary", "The period at a glance (the default report)", report::wire_summary},
    {"overdue", "The action list: what is owed to whom, most overdue first", report::wire_overdue},
    {"reciprocity", "Per contact: referrals in and out, balance, one-sided ones flagged",
     report::wire_reciprocity},
    {"sources", "Inbound referrals by source channel and by event", report::wire_sources},
    {"trend", "Referrals in and out per week, month or quarter, with a bar chart",
     report::wire_trend},
    {"at-risk", "Referrers whose volume fell against their own baseline, or who went silent",
     report::wire_at_risk},
    {"closed-loop", "Share of referrals whose report came back (CMS50 style), per contact",
     report::wire_closed_loop},
    {"turnaround", "Median and 90th-percentile hours from referral to each step",
     report::wire_turnaround},
    {"network", "The referral graph: an edge list, or Graphviz with --format dot",
     report::wire_network},
    {"digest", "The weekly digest: every section on one page, as text, json or html",
     report::wire_digest},
};

}  // namespace

void wire_report(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<report::PeriodOptions>();
  sub.add_option("--since", o->since, "Start of the period (inclusive)")->type_name("DATE");
  sub.add_option("--until", o->until, "End of the period (inclusive)")->type_name("DATE");
  sub.add_option("--as-of", o->as_of,
                 "Compute the report on the database as it stood then (default now)")
      ->type_name("DATE");
  sub.require_subcommand(0, 1);
  // A bare `report` (the summary) takes them too.
  add_output_options(sub, ctx, true);
  set_example(sub, "refnet report overdue --check");
  for (const auto& spec : reports) {
    auto* report = sub.add_subcommand(spec.name, spec.summary);
    spec.wire(*report, ctx, o);
    // Every report takes --redact, so one cron line can pass it to any of them.
    add_output_options(*report, ctx, true);
  }
  // CLI11 runs this after a named report's own callback: only a bare `report` acts here.
  sub.callback([&sub, &ctx, o] {
    if (sub.get_subcommands().empty()) report::run_summary(ctx, *o);
  });
}

}  // namespace refnet::cli
