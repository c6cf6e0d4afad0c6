// report closed-loop: the share of referrals whose report came back (CMS50 style), outbound ones
// whose consultant's report came back and inbound ones whose report we sent, overall and per
// contact.
#include <algorithm>
#include <memory>

#include "cli/common.hpp"
#include "report/findings.hpp"

namespace refnet::report {

namespace {

std::vector<output::Column> columns() {
  return {
      {"scope", "Scope"},
      {"direction", "Dir"},
      output::free_text({"contact", "Contact"}),
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
      {"referrals", "Referrals", true},
      {"closed", "Closed", true},
      {"open", "Open", true},
      {"rate_percent", "Rate %", true, output::Tone::bold},
  };
}

output::Cell rate(std::int64_t closed, std::int64_t referrals) {
  if (const auto percent = closed_loop_rate(closed, referrals)) return *percent;
  return std::monostate{};
}

// The overall row of each direction, outbound first (both once the period has any referral: a
// direction without one shows 0 and no rate); then one row per contact and direction, outbound
// first, most referrals first, then by name and id. A report counts only when dated after its
// referral and by as-of. Returns the number of rows written.
std::size_t closed_loop(store::Store& store, const Period& period, output::RowSink& sink) {
  auto rows = store.closed_loop_counts(period.since, referral_end(period), period.as_of);
  sink.begin(columns());
  std::size_t written = 0;
  const auto totals = closed_loop_totals(rows);
  // No referral at all: no table, and the report says so.
  for (std::size_t d = 0; d < loop_directions.size() && !rows.empty(); ++d) {
    const auto& t = totals.at(d);
    sink.row({{std::string("overall"), std::string(loop_directions.at(d)), std::monostate{},
               std::monostate{}, t.referrals, t.closed, t.referrals - t.closed,
               rate(t.closed, t.referrals)}},
             output::Tone::bold);
    ++written;
  }
  // A referral whose contact is missing counts overall but has no row of its own.
  std::erase_if(rows, [](const store::ClosedLoopCount& row) { return !row.contact_name; });
  std::sort(rows.begin(), rows.end(),
            [](const store::ClosedLoopCount& a, const store::ClosedLoopCount& b) {
              const bool a_in = a.direction == "in";
              const bool b_in = b.direction == "in";
              if (a_in != b_in) return b_in;
              if (a.referrals != b.referrals) return a.referrals > b.referrals;
              if (const auto by_name = compare_names(*a.contact_name, *b.contact_name);
                  by_name != 0) {
                return by_name < 0;
              }
              return a.contact_id < b.contact_id;
            });
  for (const auto& row : rows) {
    sink.row(
        {{std::string("contact"), row.direction, *row.contact_name, row.contact_id, row.referrals,
          row.closed, row.referrals - row.closed, rate(row.closed, row.referrals)}});
    ++written;
  }
  sink.end();
  return written;
}

}  // namespace

std::optional<double> closed_loop_rate(std::int64_t closed, std::int64_t referrals) {
  if (referrals == 0) return std::nullopt;
  return round_to_tenth(100.0 * static_cast<double>(closed) / static_cast<double>(referrals));
}

std::array<LoopTotals, 2> closed_loop_totals(const std::vector<store::ClosedLoopCount>& counts) {
  std::array<LoopTotals, 2> totals;
  for (const auto& row : counts) {
    auto& t = totals.at(row.direction == loop_directions[0] ? 0 : 1);
    t.referrals += row.referrals;
    t.closed += row.closed;
  }
  return totals;
}

void wire_closed_loop(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  cli::set_example(sub, "refnet report closed-loop --since 2026-01-01 --until 2026-06-30");
  sub.callback([options, &ctx] {
    print_rows(
        ctx, *options,
        [&](const Period& p, output::RowSink& sink) { return closed_loop(ctx.store(), p, sink); },
        "No referrals in the period.");
  });
}

}  // namespace refnet::report
