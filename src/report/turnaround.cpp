#include "report/turnaround.hpp"

#include "report/window.hpp"

namespace refnet::report {

std::vector<output::Column> turnaround_columns() {
  return {
      {"direction", "Dir"},
      {"urgency", "Urgency"},
      {"step", "Step"},
      {"count", "Count", true},
      {"median_hours", "Median h", true, output::Tone::bold},
      {"p90_hours", "P90 h", true},
  };
}

std::size_t turnaround(store::Store& store, const Period& period, output::RowSink& sink) {
  sink.begin(turnaround_columns());
  std::size_t rows = 0;
  store.each_turnaround(
      period.since, referral_end(period), period.as_of, [&](const store::TurnaroundStat& t) {
        sink.row({{t.direction, t.urgency, t.step, t.count, t.median_hours, t.p90_hours}},
                 t.urgency == "all" ? output::Tone::bold : output::Tone::plain);
        ++rows;
      });
  sink.end();
  return rows;
}

}  // namespace refnet::report
