// What the reports share: the period and its options, name order, rounding, and their wiring.
#pragma once

// What every report shares: the period it covers, the options that set it, how a report is
// registered, and the order and rounding its figures follow. Each report is one file,
// src/report/<name>.cpp: its question to the store, its policy (grades, rates, percentiles,
// ordering), its columns and the meaning of its options.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/time.hpp"
#include "output/sink.hpp"
#include "store/records.hpp"

namespace CLI {
class App;
}

namespace refnet::cli {
class Context;
}

namespace refnet::report {

// The period and the instant a report is computed for.
struct Period {
  domain::Timestamp as_of;                 // "now" for the report
  std::optional<domain::Timestamp> since;  // inclusive
  std::optional<domain::Timestamp> until;  // exclusive
  // as_of is now or later: the database as it stands is the database as of then. An earlier
  // as_of sees it as it stood then (refnet(1) --as-of).
  bool present = true;

  // The moment open items are asked about, for the store.
  store::AsOf at() const { return {as_of, present}; }
};

// A referral counts in a report when it was made in [since, until) and no later than as-of:
// this is the exclusive end of that range.
domain::Timestamp referral_end(const Period& p);

// --since, --until and --as-of live on `report` itself, so they work before or after the name.
struct PeriodOptions {
  std::string since, until, as_of;
};

// The period the user asked for: --as-of (a named day means its end) or now; --since/--until
// (--until includes the named day). Throws Error(usage) on bad dates or an empty period.
Period period(cli::Context& ctx, const PeriodOptions& o);

// The period asked for, or by default the `days` local days that end with --until's last day,
// else with as-of's day (a lone --since starts the period there).
Period with_default_days(Period requested, int days);

// How reports order names: ASCII letters compared without case, every other byte as it is, a
// name that starts another first. The same order SQLite's NOCASE gives, so it never changed.
std::strong_ordering compare_names(std::string_view a, std::string_view b);

// A figure to one decimal, halves away from zero: 12.25 → 12.3, 2/3 of 100 → 66.7.
double round_to_tenth(double value);

// What most reports do when run: work out the period, write `rows` to a sink of the chosen
// format, and say `empty` on stderr when a table got none. Returns the number of rows.
std::size_t print_rows(cli::Context& ctx, const PeriodOptions& options,
                       const std::function<std::size_t(const Period&, output::RowSink&)>& rows,
                       std::string_view empty);

// Each report's subcommand: its options and callback. `report` with no name runs summary.
using Wire = void (*)(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_summary(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_overdue(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_reciprocity(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_sources(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_trend(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_at_risk(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_closed_loop(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_turnaround(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_network(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
void wire_digest(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> period);
// What a bare `refnet report` runs, with the period options of `report`.
void run_summary(cli::Context& ctx, const PeriodOptions& period);

// How lopsided a relationship is (reciprocity): "one-sided (in only)", "one-sided (out only)",
// "unbalanced" when one side is at least three times the other (and at least 3 referrals), else
// empty.
std::string reciprocity_flag(std::int64_t referrals_in, std::int64_t referrals_out);

}  // namespace refnet::report
