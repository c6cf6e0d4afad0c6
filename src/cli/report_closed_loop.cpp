// report closed-loop: did the reports come back (out), did we send ours (in)?
#include <memory>

#include "common.hpp"
#include "report/closed_loop.hpp"
#include "report_common.hpp"

namespace refnet::cli {

void wire_report_closed_loop(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  set_example(sub, "refnet report closed-loop --since 2026-01-01 --until 2026-06-30");
  sub.callback([period, &ctx] {
    const auto p = report_period(ctx, *period);
    auto sink = ctx.sink();
    const auto rows = report::closed_loop(ctx.store(), p, *sink);
    if (rows == 0 && ctx.format() == output::Format::table) {
      ctx.err << "No referrals in the period.\n";
    }
  });
}

}  // namespace refnet::cli
