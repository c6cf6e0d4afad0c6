// report [NAME]: the questions a practice asks of its network. Each report's options and
// callback live in its own report_<name>.cpp; this file lists them and holds what they share.
#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "common.hpp"
#include "error.hpp"
#include "report_common.hpp"

namespace refnet::cli {

namespace {

constexpr ReportSpec reports[] = {
    {"summary", "The period at a glance (the default report)", wire_report_summary},
    {"overdue", "The action list: what is owed to whom, most overdue first", wire_report_overdue},
    {"reciprocity", "Per contact: referrals in and out, balance, one-sided ones flagged",
     wire_report_reciprocity},
    {"sources", "Inbound referrals by source channel and by event", wire_report_sources},
    {"trend", "Referrals in and out per week, month or quarter, with a bar chart",
     wire_report_trend},
    {"at-risk", "Referrers whose volume fell against their own baseline, or who went silent",
     wire_report_at_risk},
    {"closed-loop", "Share of referrals whose report came back (CMS50 style), per contact",
     wire_report_closed_loop},
    {"turnaround", "Median and 90th-percentile hours from referral to each step",
     wire_report_turnaround},
    {"network", "The referral graph: an edge list, or Graphviz with --format dot",
     wire_report_network},
};

}  // namespace

report::Period report_period(Context& ctx, const ReportOptions& o) {
  report::Period p;
  p.as_of = ctx.now();
  if (!o.as_of.empty()) {
    // A named day means its end: the report as it stood when that day was over.
    const auto parsed = parse_date(ctx, o.as_of, domain::Toward::past, "--as-of");
    p.as_of = parsed.date_only ? parse_until(ctx, o.as_of) - std::chrono::seconds(1) : parsed.at;
  }
  if (!o.since.empty()) p.since = parse_since(ctx, o.since);
  if (!o.until.empty()) p.until = parse_until(ctx, o.until);
  if (p.since && p.until && *p.until <= *p.since) {
    throw Error(Exit::usage, "--until is not after --since");
  }
  return p;
}

void wire_report(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ReportOptions>();
  sub.add_option("--since", o->since, "Start of the period (inclusive)")->type_name("DATE");
  sub.add_option("--until", o->until, "End of the period (inclusive)")->type_name("DATE");
  sub.add_option("--as-of", o->as_of, "Compute the report as of this date (default now)")
      ->type_name("DATE");
  sub.require_subcommand(0, 1);
  set_example(sub, "refnet report overdue --check");
  for (const auto& spec : reports) {
    auto* report = sub.add_subcommand(spec.name, spec.summary);
    spec.wire(*report, ctx, o);
  }
  // CLI11 runs this after a named report's own callback: only a bare `report` acts here.
  sub.callback([&sub, &ctx, o] {
    if (sub.get_subcommands().empty()) run_report_summary(ctx, *o);
  });
}

void wire_report_overdue(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  auto check = std::make_shared<bool>(false);
  sub.add_flag("--check", *check, "Exit 1 when anything is overdue (for cron)");
  set_example(sub, "refnet report overdue --check || mail -s 'refnet: overdue' me < /dev/null");
  sub.callback([period, check, &ctx] {
    const auto p = report_period(ctx, *period);
    auto sink = ctx.sink();
    const auto rows = report::overdue(ctx.store(), p, ctx.sla(), *sink);
    if (rows == 0 && ctx.format() == output::Format::table) ctx.err << "Nothing overdue.\n";
    if (*check && rows > 0) ctx.status = Exit::check_found;
  });
}

}  // namespace refnet::cli
