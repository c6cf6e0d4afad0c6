// report trend: referrals in and out per week, month or quarter.
#include <memory>
#include <string>

#include "common.hpp"
#include "report/trend.hpp"
#include "report_common.hpp"

namespace refnet::cli {

void wire_report_trend(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  auto by = std::make_shared<std::string>("month");
  sub.add_option("--by", *by, "Bucket size: week, month (default) or quarter")
      ->type_name("SIZE")
      ->check(CLI::IsMember({"week", "month", "quarter"}));
  set_example(sub, "refnet report trend --by week --since 2026-09-01");
  sub.callback([period, by, &ctx] {
    report::TrendOptions options;
    options.by = report::parse_trend_bucket(*by).value_or(report::TrendBucket::month);
    // The bar is drawing, not data: only the table view gets it.
    options.bar = ctx.format() == output::Format::table;
    options.utf8 = ctx.output_options().utf8;
    const auto p = report_period(ctx, *period);
    auto sink = ctx.sink();
    report::trend(ctx.store(), p, options, *sink);
  });
}

}  // namespace refnet::cli
