// report turnaround: how fast referrals move from made to acknowledged, scheduled, seen, closed.
#include <memory>

#include "common.hpp"
#include "report/turnaround.hpp"
#include "report_common.hpp"

namespace refnet::cli {

void wire_report_turnaround(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  sub.footer(
      "\nPercentiles are nearest-rank: the median of 4 values is the 2nd smallest, never an"
      " average.");
  set_example(sub, "refnet report turnaround --since 2026-01-01 --format json");
  sub.callback([period, &ctx] {
    const auto p = report_period(ctx, *period);
    auto sink = ctx.sink();
    const auto rows = report::turnaround(ctx.store(), p, *sink);
    if (rows == 0 && ctx.format() == output::Format::table) {
      ctx.err << "No referral in the period has moved past new.\n";
    }
  });
}

}  // namespace refnet::cli
