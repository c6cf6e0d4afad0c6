// The demo's simulation, internal to src/demo: its random numbers, its calendar, the people and
// plans it keeps in memory, and the Simulation that writes them, split by concern over
// generator.cpp (time), people.cpp (contacts and events), touchpoints.cpp and referrals.cpp.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "demo/generator.hpp"
#include "demo/pipe.hpp"
#include "demo/vocabulary.hpp"
#include "domain/npi.hpp"
#include "domain/referral_status.hpp"
#include "domain/vocabulary.hpp"
#include "error.hpp"

namespace refnet::demo::detail {

using domain::Direction;
using domain::Status;
using domain::Timestamp;
using domain::Urgency;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

// splitmix64: tiny, fast and identical on every platform, unlike the std distributions (whose
// output is implementation-defined). Only integer arithmetic and IEEE division decide anything.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n) for n > 0; the modulo bias is far below anything a demo can show.
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }
  std::int64_t between(std::int64_t low, std::int64_t high) { return low + below(high - low + 1); }
  bool chance(int per_mille) { return below(1000) < per_mille; }
  double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }  // [0, 1)

  template <typename Range>
  const auto& pick(const Range& items) {
    return *(std::begin(items) + below(static_cast<std::int64_t>(std::size(items))));
  }
  // Items with a `weight` member, chosen in proportion to it.
  template <typename Range>
  const auto& pick_weighted(const Range& items) {
    std::int64_t total = 0;
    for (const auto& item : items) total += item.weight;
    std::int64_t x = below(total);
    for (const auto& item : items) {
      if (x < item.weight) return item;
      x -= item.weight;
    }
    return *std::begin(items);
  }
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[static_cast<std::size_t>(below(static_cast<std::int64_t>(i)))]);
    }
  }

 private:
  std::uint64_t state_;
};

// The simulated stretch: about 18 months of local days ending today, each with its midnight.
class Timeline {
 public:
  static constexpr int length = 548;

  explicit Timeline(Timestamp now) : now_(now) {
    const std::chrono::sys_days today{domain::local_date(now)};
    for (int d = 0; d < length; ++d) {
      const domain::LocalDate date{today - days{length - 1 - d}};
      dates_.push_back(date);
      starts_.push_back(domain::local_midnight(date));
    }
  }

  static constexpr int today() { return length - 1; }
  Timestamp now() const { return now_; }
  Timestamp start(int day) const { return starts_[static_cast<std::size_t>(day)]; }
  const domain::LocalDate& date(int day) const { return dates_[static_cast<std::size_t>(day)]; }
  unsigned weekday(int day) const {
    return std::chrono::weekday{std::chrono::sys_days{date(day)}}.c_encoding();  // 0 = Sunday
  }
  // Minutes of `day` that have passed by now: the whole day except for today.
  std::int64_t minutes_passed(int day) const {
    if (day < today()) return 24 * 60;
    return std::max<std::int64_t>(0,
                                  std::chrono::duration_cast<minutes>(now_ - start(day)).count());
  }
  // `minute` minutes after the local midnight of `day`, never after now.
  Timestamp at(int day, std::int64_t minute) const {
    return std::min(start(day) + minutes(minute), now_);
  }
  // The day index holding `t`, clamped to the timeline.
  int day_of(Timestamp t) const {
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
    return std::max(0, static_cast<int>(it - starts_.begin()) - 1);
  }

 private:
  Timestamp now_;
  std::vector<domain::LocalDate> dates_;
  std::vector<Timestamp> starts_;
};

enum class Role { pcp, specialist, allied, facility, other };

// How a contact's referral volume moves over the 18 months: what the at-risk, trend and
// keep-in-touch reports are there to notice.
enum class Profile { steady, growing, declining, fading, newcomer, dormant, occasional, silent };

// A planned follow-up, kept in memory until its fate is known (satisfied, done, dismissed, or
// still open at the end) and then written once.
struct Plan {
  std::uint64_t key = 0;  // identifies it for a later done/dismiss
  std::optional<std::int64_t> referral;
  std::string_view via;
  std::string_view note;
  const char* origin = store::origin_manual;
  Timestamp planned;
  Timestamp due;
};

// The generator's view of one contact: its row plus how it behaves in the simulation.
struct Person {
  store::ContactFields fields;
  Timestamp created;
  Role role = Role::other;
  Profile profile = Profile::steady;
  const words::Specialty* specialty = nullptr;
  double volume = 1;                  // relative referral volume
  int in_per_mille = 500;             // share of the referrals with them that they send us
  int first_day = 0;                  // referrals only on or after this day...
  int quiet_from = Timeline::length;  // ...and before this one
  int event = -1;                     // index of the event where they were met
  std::int64_t id = 0;
  std::vector<Plan> open_plans;
  Timestamp touch_pending{};  // a logged touchpoint already on its way
};

struct DemoEvent {
  std::int64_t id = 0;
  int day = 0;
  Timestamp at;
  std::string name;
  std::string_view kind;
  std::string followup_note;
};

// Things that happen later than the moment they are decided: a call the day after a referral,
// ticking a plan done, dismissing it. Processed in time order as the simulation advances.
enum class Act : std::uint8_t { touch, plan_meeting, plan_manual, done, dismiss };

struct Action {
  Timestamp at;
  std::uint64_t seq = 0;  // ties keep their scheduling order, so the run is deterministic
  Act act = Act::touch;
  std::size_t person = 0;
  std::int64_t ref = 0;  // referral id (touch), plan key (done, dismiss)
  Timestamp due;         // plans
  std::string_view via;
  std::string_view note;
};

struct Later {
  bool operator()(const Action& a, const Action& b) const {
    return a.at != b.at ? a.at > b.at : a.seq > b.seq;
  }
};

class Simulation {
 public:
  Simulation(store::Store& store, const Options& options, Timestamp now,
             const domain::ServiceLevels& sla)
      : store_(store), options_(options), sla_(sla), rng_(options.seed), timeline_(now) {}

  // Writes the contacts and events, and plans what happens to them; on the writer's thread.
  void prepare();

  // Makes the referrals and touchpoints into `pipe`; touches nothing else the writer uses.
  Summary simulate(Pipe& pipe);

 private:
  // --- time ---

  // A minute of `day` in office hours (08:00-17:30), or in what has passed of today.
  std::int64_t office_minute(int day);
  Timestamp office_time(int day);
  // `t`, or when it falls outside office hours (08:00-18:00 on a weekday), the next morning the
  // office opens. Steps after now are never stamped, so they are left alone.
  Timestamp in_office_hours(Timestamp t);
  // Before the timeline: contacts already in the database when the 18 months begin.
  Timestamp before_timeline(std::int64_t days_before);

  // --- people ---

  void make_people();

  Profile random_profile();

  // Every network big enough shows each story at least once: a referrer fading away, a new
  // one, a specialist who went quiet, a contact nobody has talked to in months.
  void force_profiles();

  void describe(Person& p, bool anchor);

  std::string_view source_for(const Person& p);

  static void add_tag(store::ContactFields& f, std::string_view tag);

  std::string person_name(const Person& p, std::string_view& first, std::string_view& last);

  // `base`, or base with the city, or base with a number: names stay unique so that typing a
  // whole name always finds one contact.
  std::string unique_name(const std::string& base, std::string_view city);

  std::string new_npi(char first_digit);

  // --- events ---

  void make_events();

  void insert_people();

  // --- touchpoints planned ahead ---

  void schedule(Action action);

  // Calls, visits and emails that keep a relationship alive; they stop when a contact goes quiet.
  void schedule_relationship_touches();

  void schedule_plans();

  // --- the simulation ---

  void drain(Timestamp until);

  void perform(const Action& a);

  std::uint64_t plan(Person& p, Timestamp at, Timestamp due, std::string_view via,
                     std::string_view note, const char* origin,
                     std::optional<std::int64_t> referral);

  static store::Touchpoint plan_row(const Person& p, const Plan& plan);

  std::int64_t write(store::Touchpoint t);

  // Plans nobody has acted on by now stay open: some upcoming, some overdue.
  void write_open_plans();

  // How a plan ends: mostly a call or email that satisfies it (sometimes late), sometimes
  // ticked done or dismissed, now and then forgotten until the next touchpoint.
  template <typename Pool>
  void resolve(std::size_t person, std::uint64_t plan_key, Timestamp planned, const Pool& pool,
               std::int64_t referral) {
    auto& p = people_[person];
    if (p.touch_pending > planned && p.touch_pending <= planned + hours(30)) return;
    const auto roll = rng_.below(100);
    if (roll < 76) {
      const auto delay = rng_.chance(700)   ? minutes(rng_.between(60, 22 * 60))
                         : rng_.chance(800) ? minutes(rng_.between(24 * 60, 72 * 60))
                                            : minutes(rng_.between(3 * 24 * 60, 8 * 24 * 60));
      const auto& touch = rng_.pick(pool);
      const auto at = planned + delay;
      p.touch_pending = std::max(p.touch_pending, at);
      schedule({at, 0, Act::touch, person, referral, {}, touch.via, touch.note});
    } else if (roll < 86) {
      schedule({planned + minutes(rng_.between(60, 30 * 60)),
                0,
                Act::done,
                person,
                static_cast<std::int64_t>(plan_key),
                {},
                {},
                {}});
    } else if (roll < 92) {
      schedule({planned + minutes(rng_.between(60, 6 * 24 * 60)),
                0,
                Act::dismiss,
                person,
                static_cast<std::int64_t>(plan_key),
                {},
                {},
                {}});
    }
  }

  double day_weight(int day) const;

  double weight(const Person& p, int day) const;

  // Cumulative referral weights of everybody for one week of the timeline.
  void weigh_week(int day);

  std::size_t pick_person(int day, Timestamp at);

  void simulate_referrals();

  void refer(int day, Timestamp at);

  std::string reason(const Person& p, Direction direction);

  // Steps a referral through its lifecycle as far as its age allows: old ones are mostly
  // closed (or declined, cancelled, no-show), recent ones still new, acknowledged or scheduled.
  void progress(store::Referral& r);

  store::Store& store_;  // not on the simulation's thread: see simulate()
  Pipe* pipe_ = nullptr;
  std::int64_t next_referral_ = 1;
  std::int64_t next_touchpoint_ = 1;
  const Options& options_;
  const domain::ServiceLevels& sla_;
  Random rng_;
  Timeline timeline_;
  std::vector<Person> people_;
  std::vector<DemoEvent> events_;
  std::unordered_set<std::string> names_;
  std::unordered_set<std::string> npis_;
  std::priority_queue<Action, std::vector<Action>, Later> actions_;
  std::uint64_t seq_ = 0;
  std::uint64_t plan_keys_ = 0;
  std::vector<double> cumulative_;
  Summary summary_;
};

}  // namespace refnet::demo::detail
