// refnet demo: a synthetic referral network, built as a small chronological simulation so that
// every row follows the rules the real commands follow (lifecycle order, SLA clocks, follow-ups
// satisfied by the next logged touchpoint) and the reports have something to say.
#include "demo/generator.hpp"

#include <thread>
#include <type_traits>

#include "demo/simulation.hpp"

namespace refnet::demo {

namespace detail {

void Simulation::prepare() {
  make_people();
  make_events();
  insert_people();
  schedule_relationship_touches();
  schedule_plans();
  // Ids are given here, in the order the rows reach the store, as SQLite would give them.
  next_referral_ = store_.last_id("referral") + 1;
  next_touchpoint_ = store_.last_id("touchpoint") + 1;
}

Summary Simulation::simulate(Pipe& pipe) {
  pipe_ = &pipe;
  simulate_referrals();
  drain(timeline_.now());
  write_open_plans();
  pipe_ = nullptr;
  summary_.contacts = static_cast<std::int64_t>(people_.size());
  summary_.events = static_cast<std::int64_t>(events_.size());
  return summary_;
}

std::int64_t Simulation::office_minute(int day) {
  std::int64_t low = 8 * 60;
  std::int64_t high = 17 * 60 + 30;
  const auto passed = timeline_.minutes_passed(day);
  if (passed < high) {
    high = passed;
    if (low >= high) low = 0;
  }
  return low + rng_.below(std::max<std::int64_t>(1, high - low));
}

Timestamp Simulation::office_time(int day) {
  return timeline_.at(day, office_minute(day));
}

Timestamp Simulation::in_office_hours(Timestamp t) {
  if (t >= timeline_.now()) return t;
  int day = timeline_.day_of(t);
  const auto minute = std::chrono::duration_cast<minutes>(t - timeline_.start(day)).count();
  const bool weekend = timeline_.weekday(day) == 0 || timeline_.weekday(day) == 6;
  if (!weekend && minute >= 8 * 60 && minute < 18 * 60) return t;
  if (weekend || minute >= 18 * 60) ++day;
  while (day < Timeline::today() && (timeline_.weekday(day) == 0 || timeline_.weekday(day) == 6))
    ++day;
  if (day > Timeline::today()) return timeline_.now() + minutes(1);  // tomorrow: not yet
  return timeline_.start(day) + minutes(8 * 60 + rng_.below(150));
}

Timestamp Simulation::before_timeline(std::int64_t days_before) {
  return timeline_.start(0) - days(days_before) + minutes(8 * 60 + rng_.below(9 * 60));
}

}  // namespace detail

Summary generate(store::Store& store, const Options& options, domain::Timestamp now,
                 const domain::ServiceLevels& sla, std::string_view actor) {
  if (options.contacts < 1) throw Error(Exit::usage, "the demo needs at least one contact");
  if (options.referrals < 0) throw Error(Exit::usage, "the number of referrals cannot be negative");
  const auto bulk = store.bulk_load({"referral", "touchpoint"});
  detail::Simulation simulation(store, options, now, sla);
  simulation.prepare();
  Pipe pipe;
  Summary summary;
  std::thread simulating([&] {
    try {
      summary = simulation.simulate(pipe);
      pipe.close();
    } catch (const Pipe::Stopped&) {
      pipe.close();
    } catch (...) {
      pipe.close(std::current_exception());
    }
  });
  try {
    while (auto batch = pipe.take()) {
      for (const auto& row : *batch) {
        const auto [wanted, written] = std::visit(
            [&](const auto& record) {
              using Record = std::decay_t<decltype(record)>;
              if constexpr (std::is_same_v<Record, store::Referral>) {
                return std::pair(record.id, store.add_referral(record));
              } else {
                return std::pair(record.id, store.add_touchpoint(record));
              }
            },
            row);
        if (written != wanted)
          throw std::logic_error("the demo's ids went out of step with the store's");
      }
    }
  } catch (...) {
    pipe.stop();
    simulating.join();
    throw;
  }
  simulating.join();
  bulk->finish();
  // One audit row for the whole demo: a row per generated record would only be noise.
  store.audit(
      "demo", "database", 0, std::nullopt,
      fmt::format(R"({{"contacts":{},"events":{},"referrals":{},"touchpoints":{},"seed":{}}})",
                  summary.contacts, summary.events, summary.referrals, summary.touchpoints,
                  options.seed),
      actor, now, std::nullopt);
  return summary;
}

}  // namespace refnet::demo
