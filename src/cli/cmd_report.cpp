// report NAME: the questions a practice asks of its network.
#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "common.hpp"
#include "refnet/error.hpp"
#include "refnet/report/overdue.hpp"

namespace refnet::cli {

namespace {

struct ReportOptions {
  std::string since, until, as_of;
  bool check = false;
};

report::Period period(Context& ctx, const ReportOptions& o) {
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

}  // namespace

void wire_report(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ReportOptions>();
  sub.add_option("--since", o->since, "Start of the period (inclusive)")->type_name("DATE");
  sub.add_option("--until", o->until, "End of the period (inclusive)")->type_name("DATE");
  sub.add_option("--as-of", o->as_of, "Compute the report as of this date (default now)")
      ->type_name("DATE");
  sub.require_subcommand(1);
  set_example(sub, "refnet report overdue --check");

  auto* overdue = sub.add_subcommand(
      "overdue", "The action list: what is owed to whom, most overdue first");
  overdue->add_flag("--check", o->check, "Exit 1 when anything is overdue (for cron)");
  set_example(*overdue, "refnet report overdue --check || mail -s 'refnet: overdue' me < /dev/null");
  overdue->callback([o, &ctx] {
    auto p = period(ctx, *o);
    auto sink = ctx.sink();
    const auto rows = report::overdue(ctx.store(), p, ctx.sla(), *sink);
    if (rows == 0 && ctx.format() == output::Format::table) ctx.err << "Nothing overdue.\n";
    if (o->check && rows > 0) ctx.status = Exit::check_found;
  });
}

}  // namespace refnet::cli
