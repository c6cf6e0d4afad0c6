// report turnaround: how fast referrals move from made to acknowledged, scheduled, seen and
// closed: the median and 90th percentile in hours, per direction and urgency.
#include <algorithm>
#include <array>
#include <memory>

#include "cli/common.hpp"
#include "domain/vocabulary.hpp"
#include "report/findings.hpp"
#include "util/two_threads.hpp"

namespace refnet::report {

namespace {

constexpr const auto& steps = turnaround_steps;
constexpr const auto& directions = turnaround_directions;
constexpr int urgency_bits = store::StepDurations::urgency_bits;
constexpr std::int64_t urgency_mask = (1 << urgency_bits) - 1;

std::vector<output::Column> columns() {
  return {
      {"direction", "Dir"},
      {"urgency", "Urgency"},
      {"step", "Step"},
      {"count", "Count", true},
      {"median_hours", "Median h", true, output::Tone::bold},
      {"p90_hours", "P90 h", true},
  };
}

// A percentile is the nearest rank: of n values in ascending order, the p-th percentile is the
// value at rank ceil(p * n / 100), always an observed value, never an interpolation. The median
// (rank ceil(n / 2)) is the lower middle value when n is even. Found by selection: the values
// end up partly reordered.
StepRank ranked(std::vector<std::int64_t>::iterator first,
                std::vector<std::int64_t>::iterator last) {
  const auto n = static_cast<std::int64_t>(last - first);
  if (n == 0) return {};
  const auto p90 = first + ((9 * n + 9) / 10 - 1);
  std::nth_element(first, p90, last);
  // Everything before the 90th percentile's place is no larger than it, and the median is there.
  const auto median = first + ((n + 1) / 2 - 1);
  std::nth_element(first, median, p90);
  return {n, *median >> urgency_bits, *p90 >> urgency_bits};
}

// Every urgency's values are in one array, each tagged with its urgency in the low bits: the
// percentile of them all is read as they are, and each urgency's after putting it in one part.
StepRanks rank(std::vector<std::int64_t>& values) {
  StepRanks ranks;
  ranks.back() = ranked(values.begin(), values.end());
  auto from = values.begin();
  for (std::size_t u = 0; u < domain::urgencies.size(); ++u) {
    const auto to = std::partition(from, values.end(), [u](std::int64_t v) {
      return static_cast<std::size_t>(v & urgency_mask) == u;
    });
    ranks[u] = ranked(from, to);
    from = to;
  }
  return ranks;
}

// How long referrals made in the period took to be acknowledged, scheduled, seen and closed: the
// count, the median and the 90th percentile in hours (one decimal), per direction and urgency,
// then over every urgency ("all"), each in lifecycle order. A step counts when it happened by
// as-of and not before its referral; groups with none are left out. Returns the number of rows
// written.
std::size_t turnaround(store::Store& store, const Period& period, output::RowSink& sink) {
  const auto ranks = turnaround_ranks(store, period);
  sink.begin(columns());
  std::size_t rows = 0;
  for (std::size_t d = 0; d < directions.size(); ++d) {
    for (std::size_t u = 0; u < ranks[d][0].size(); ++u) {
      const bool all = u == domain::urgencies.size();
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& g = ranks[d][i][u];
        if (g.n == 0) continue;
        sink.row({{std::string(directions[d]),
                   all ? std::string("all") : std::string(domain::urgencies[u]),
                   std::string(steps[i]), g.n, hours(g.median_secs), hours(g.p90_secs)}},
                 all ? output::Tone::bold : output::Tone::plain);
        ++rows;
      }
    }
  }
  sink.end();
  return rows;
}

}  // namespace

TurnaroundRanks turnaround_ranks(store::Store& store, const Period& period) {
  auto durations = store.step_durations(period.since, referral_end(period), period.as_of);
  // [direction][step], ranked on both cores: a million referrals give four million values.
  TurnaroundRanks ranks;
  util::on_two_threads(directions.size() * steps.size(), [&](std::size_t task, int) {
    const auto d = task / steps.size();
    const auto i = task % steps.size();
    ranks[d][i] = rank(durations.values[d][i]);
  });
  return ranks;
}

double hours(std::int64_t seconds) {
  return round_to_tenth(static_cast<double>(seconds) / 3600.0);
}

void wire_turnaround(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  sub.footer(
      "\nPercentiles are nearest-rank: the median of 4 values is the 2nd smallest, never an"
      " average.");
  cli::set_example(sub, "refnet report turnaround --since 2026-01-01 --format json");
  sub.callback([options, &ctx] {
    print_rows(
        ctx, *options,
        [&](const Period& p, output::RowSink& sink) { return turnaround(ctx.store(), p, sink); },
        "No referral in the period has moved past new.");
  });
}

}  // namespace refnet::report
