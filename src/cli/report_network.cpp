// report network: the referral graph, as an edge list or drawn by Graphviz (--format dot).
#include <memory>
#include <string>

#include "common.hpp"
#include "output/dot.hpp"
#include "report/network.hpp"
#include "report_common.hpp"

namespace refnet::cli {

void wire_report_network(CLI::App& sub, Context& ctx, std::shared_ptr<ReportOptions> period) {
  set_example(sub, "refnet report network --format dot | dot -Tsvg > network.svg");
  sub.callback([period, &ctx] {
    const auto p = report_period(ctx, *period);
    const std::string& name = ctx.config().practice_name;
    const std::string practice = name.empty() ? "Our practice" : name;
    if (ctx.format() == output::Format::dot) {
      output::write_dot(ctx.out, report::network_graph(ctx.store(), p, practice));
      return;
    }
    auto sink = ctx.sink();
    const auto rows = report::network(ctx.store(), p, practice, *sink);
    if (rows == 0 && ctx.format() == output::Format::table) {
      ctx.err << "No referrals in the period.\n";
    }
  });
}

}  // namespace refnet::cli
