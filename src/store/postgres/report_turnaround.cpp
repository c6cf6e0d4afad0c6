// report turnaround on PostgreSQL: each referral's time to every later step.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "domain/vocabulary.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/report_window.hpp"

namespace refnet::store {

using namespace pg;

namespace {

// The columns of the steps after the referral, in StepDurations' order.
constexpr int first_step_column = 3;
constexpr std::size_t step_count = 4;  // acknowledged, scheduled, seen, closed
constexpr std::array<std::string_view, 2> directions{"in", "out"};

constexpr int urgency_bits = StepDurations::urgency_bits;
static_assert(domain::urgencies.size() <= std::size_t{1} << urgency_bits);

}  // namespace

StepDurations PgStore::step_durations(std::optional<Timestamp> since, Timestamp end,
                                      Timestamp as_of) {
  // The period's referrals with the times of their later steps, off the referral_steps index
  // that holds them all; each duration is worked out here from the times as the store reads
  // them, as on SQLite.
  auto s = prepare(R"sql(
    SELECT direction, urgency, referred_at, acknowledged_at, scheduled_at, seen_at, closed_at
    FROM referral WHERE referred_at >= ?1 AND referred_at < ?2)sql");
  put_period(s, since, end);
  StepDurations out;
  while (s.executeStep()) {
    const auto direction = std::find(directions.begin(), directions.end(), s.text_view(0));
    const auto urgency =
        std::find(domain::urgencies.begin(), domain::urgencies.end(), s.text_view(1));
    // The table's CHECKs allow no other values.
    if (direction == directions.end() || urgency == domain::urgencies.end()) continue;
    auto& values = out.values[static_cast<std::size_t>(direction - directions.begin())];
    const auto tag = static_cast<std::int64_t>(urgency - domain::urgencies.begin());
    const auto referred = stored_time(s.text_view(2).value_or(""));  // NOT NULL
    for (std::size_t i = 0; i < step_count; ++i) {
      const auto at = optional_time(s, first_step_column + static_cast<int>(i));
      // A step dated before its referral is left out, and so is one after as-of.
      if (!at || *at < referred || *at > as_of) continue;
      values[i].push_back((*at - referred).count() << urgency_bits | tag);
    }
  }
  return out;
}

}  // namespace refnet::store
