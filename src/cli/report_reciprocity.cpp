// report reciprocity: who sends us patients and whom we send them to, contact by contact.
#include <memory>

#include "common.hpp"
#include "report/reciprocity.hpp"
#include "report_common.hpp"

namespace refnet::cli {

void wire_report_reciprocity(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  set_example(sub, "refnet report reciprocity --since 2026-01-01 --format csv");
  sub.callback([period, &ctx] {
    const auto p = report_period(ctx, *period);
    auto sink = ctx.sink();
    const auto rows = report::reciprocity(ctx.store(), p, *sink);
    if (rows == 0 && ctx.format() == output::Format::table) {
      ctx.err << "No referrals in the period.\n";
    }
  });
}

}  // namespace refnet::cli
