// report reciprocity: who sends us patients and whom we send them to, contact by contact, with
// one-sided and unbalanced relationships flagged.
#include <algorithm>
#include <memory>

#include "cli/common.hpp"
#include "report/report.hpp"

namespace refnet::report {

namespace {

std::vector<output::Column> columns() {
  return {
      output::free_text({"contact", "Contact"}),
      {"in", "In", true},
      {"out", "Out", true},
      {"balance", "Balance", true, output::Tone::bold},
      {"last_in", "Last in"},
      {"last_out", "Last out"},
      output::free_text({"flag", "Flag", false, output::Tone::warn}),
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
  };
}

// Per contact with any referral in the period (from the beginning unless --since): in, out,
// balance (in - out), the last referral each way, and the flag; one-sided relationships are
// highlighted in tables. Most referrals both ways first, then by name, then by id.
std::size_t reciprocity(store::Store& store, const Period& period, output::RowSink& sink) {
  auto rows = store.reciprocity_counts(period.since, referral_end(period));
  std::sort(
      rows.begin(), rows.end(), [](const store::ReciprocityRow& a, const store::ReciprocityRow& b) {
        const auto a_total = a.referrals_in + a.referrals_out;
        const auto b_total = b.referrals_in + b.referrals_out;
        if (a_total != b_total) return a_total > b_total;
        if (const auto by_name = compare_names(a.contact_name, b.contact_name); by_name != 0) {
          return by_name < 0;
        }
        return a.contact_id < b.contact_id;
      });
  sink.begin(columns());
  for (const auto& r : rows) {
    const std::string flag = reciprocity_flag(r.referrals_in, r.referrals_out);
    const bool one_sided = r.referrals_in == 0 || r.referrals_out == 0;
    sink.row({{r.contact_name, r.referrals_in, r.referrals_out, r.referrals_in - r.referrals_out,
               cli::cell(r.last_in), cli::cell(r.last_out), cli::cell(cli::optional_text(flag)),
               r.contact_id}},
             one_sided ? output::Tone::warn : output::Tone::plain);
  }
  sink.end();
  return rows.size();
}

}  // namespace

std::string reciprocity_flag(std::int64_t referrals_in, std::int64_t referrals_out) {
  // Below this many referrals on the larger side a ratio says nothing.
  constexpr std::int64_t unbalanced_minimum = 3;
  constexpr std::int64_t unbalanced_ratio = 3;
  if (referrals_in > 0 && referrals_out == 0) return "one-sided (in only)";
  if (referrals_out > 0 && referrals_in == 0) return "one-sided (out only)";
  const auto larger = std::max(referrals_in, referrals_out);
  const auto smaller = std::min(referrals_in, referrals_out);
  if (larger >= unbalanced_minimum && larger >= unbalanced_ratio * smaller) return "unbalanced";
  return "";
}

void wire_reciprocity(CLI::App& sub, cli::Context& ctx, std::shared_ptr<PeriodOptions> options) {
  cli::set_example(sub, "refnet report reciprocity --since 2026-01-01 --format csv");
  sub.callback([options, &ctx] {
    print_rows(
        ctx, *options,
        [&](const Period& p, output::RowSink& sink) { return reciprocity(ctx.store(), p, sink); },
        "No referrals in the period.");
  });
}

}  // namespace refnet::report
