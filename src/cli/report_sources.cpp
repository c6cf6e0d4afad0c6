// report sources: which channels and events bring patients.
#include <memory>

#include "common.hpp"
#include "report/sources.hpp"
#include "report_common.hpp"

namespace refnet::cli {

void wire_report_sources(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  set_example(sub, "refnet report sources --since 2026-01-01");
  sub.callback([period, &ctx] {
    const auto p = report_period(ctx, *period);
    auto sink = ctx.sink();
    const auto rows = report::sources(ctx.store(), p, *sink);
    if (rows == 0 && ctx.format() == output::Format::table) {
      ctx.err << "No inbound referrals in the period.\n";
    }
  });
}

}  // namespace refnet::cli
