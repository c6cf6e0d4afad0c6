#include "report/reciprocity.hpp"

#include <algorithm>

#include "report/window.hpp"

namespace refnet::report {

namespace {

// Below this many referrals on the larger side a ratio says nothing.
constexpr std::int64_t unbalanced_minimum = 3;
constexpr std::int64_t unbalanced_ratio = 3;

output::Cell cell(const std::optional<domain::Timestamp>& t) {
  if (t) return *t;
  return std::monostate{};
}

}  // namespace

std::string reciprocity_flag(std::int64_t referrals_in, std::int64_t referrals_out) {
  if (referrals_in > 0 && referrals_out == 0) return "one-sided (in only)";
  if (referrals_out > 0 && referrals_in == 0) return "one-sided (out only)";
  const auto larger = std::max(referrals_in, referrals_out);
  const auto smaller = std::min(referrals_in, referrals_out);
  if (larger >= unbalanced_minimum && larger >= unbalanced_ratio * smaller) return "unbalanced";
  return "";
}

std::vector<output::Column> reciprocity_columns() {
  return {
      {"contact", "Contact"},
      {"in", "In", true},
      {"out", "Out", true},
      {"balance", "Balance", true, output::Tone::bold},
      {"last_in", "Last in"},
      {"last_out", "Last out"},
      {"flag", "Flag", false, output::Tone::warn},
      {"contact_id", "Contact ID", true, output::Tone::plain, false},
  };
}

std::size_t reciprocity(store::Store& store, const Period& period, output::RowSink& sink) {
  sink.begin(reciprocity_columns());
  std::size_t rows = 0;
  store.each_reciprocity(period.since, referral_end(period), [&](const store::ReciprocityRow& r) {
    const std::string flag = reciprocity_flag(r.referrals_in, r.referrals_out);
    output::Cell flag_cell = std::monostate{};
    if (!flag.empty()) flag_cell = flag;
    const bool one_sided = r.referrals_in == 0 || r.referrals_out == 0;
    sink.row({{r.contact_name, r.referrals_in, r.referrals_out, r.referrals_in - r.referrals_out,
               cell(r.last_in), cell(r.last_out), flag_cell, r.contact_id}},
             one_sided ? output::Tone::warn : output::Tone::plain);
    ++rows;
  });
  sink.end();
  return rows;
}

}  // namespace refnet::report
