// refnet demo: a synthetic referral network, built as a small chronological simulation so that
// every row follows the rules the real commands follow (lifecycle order, SLA clocks, follow-ups
// satisfied by the next logged touchpoint) and the reports have something to say.
#include "demo/generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "domain/npi.hpp"
#include "domain/referral_status.hpp"
#include "domain/vocabulary.hpp"
#include "error.hpp"
#include "pipe.hpp"
#include "vocabulary.hpp"

namespace refnet::demo {
namespace {

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

// Moves one referral through its lifecycle in memory, stamping each step, never past now; the
// referral is then written once, whole. Every step is checked against the lifecycle rules.
class Lifecycle {
 public:
  Lifecycle(store::Referral& referral, const domain::ServiceLevels& sla, Timestamp now)
      : r_(referral), sla_(sla), last_(referral.referred), now_(now) {}

  bool move(Status to, Timestamp at, store::Text reason = std::nullopt,
            store::Text note = std::nullopt) {
    if (stopped_) return false;
    at = std::max(at, last_ + minutes(1));
    if (at > now_) {
      stopped_ = true;
      return false;
    }
    if (!domain::can_move(r_.status, to)) {
      throw std::logic_error(fmt::format("demo: {} -> {} is not a lifecycle move",
                                         domain::to_string(r_.status), domain::to_string(to)));
    }
    switch (to) {
      case Status::new_:
        break;
      case Status::acknowledged:
        r_.acknowledged = at;
        break;
      case Status::scheduled:
        r_.scheduled = at;
        break;
      case Status::seen:
        r_.seen = at;
        r_.report_due = domain::report_due(at, sla_);
        break;
      case Status::closed:
        r_.closed = at;
        break;
      case Status::declined:
        r_.declined = at;
        break;
      case Status::cancelled:
        r_.cancelled = at;
        break;
      case Status::no_show:
        r_.no_show = at;
        break;
    }
    if (reason) r_.decline_reason = std::move(reason);
    // As `refnet status --note` does: appended on a line of its own.
    if (note) {
      if (r_.note && !r_.note->empty()) {
        *r_.note += "\n" + *note;
      } else {
        r_.note = std::move(note);
      }
    }
    r_.status = to;
    last_ = at;
    return true;
  }
  Timestamp last() const { return last_; }

 private:
  store::Referral& r_;
  const domain::ServiceLevels& sla_;
  Timestamp last_;
  Timestamp now_;
  bool stopped_ = false;
};

std::string lower_ascii(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (c == ' ' || c == '-' || c == '.') {
      if (!out.empty() && out.back() != '.') out += '.';
    }
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

class Simulation {
 public:
  Simulation(store::Store& store, const Options& options, Timestamp now,
             const domain::ServiceLevels& sla)
      : store_(store), options_(options), sla_(sla), rng_(options.seed), timeline_(now) {}

  // Writes the contacts and events, and plans what happens to them; on the writer's thread.
  void prepare() {
    make_people();
    make_events();
    insert_people();
    schedule_relationship_touches();
    schedule_plans();
    // Ids are given here, in the order the rows reach the store, as SQLite would give them.
    next_referral_ = store_.last_id("referral") + 1;
    next_touchpoint_ = store_.last_id("touchpoint") + 1;
  }

  // Makes the referrals and touchpoints into `pipe`; touches nothing else the writer uses.
  Summary simulate(Pipe& pipe) {
    pipe_ = &pipe;
    simulate_referrals();
    drain(timeline_.now());
    write_open_plans();
    pipe_ = nullptr;
    summary_.contacts = static_cast<std::int64_t>(people_.size());
    summary_.events = static_cast<std::int64_t>(events_.size());
    return summary_;
  }

 private:
  // --- time ---

  // A minute of `day` in office hours (08:00-17:30), or in what has passed of today.
  std::int64_t office_minute(int day) {
    std::int64_t low = 8 * 60;
    std::int64_t high = 17 * 60 + 30;
    const auto passed = timeline_.minutes_passed(day);
    if (passed < high) {
      high = passed;
      if (low >= high) low = 0;
    }
    return low + rng_.below(std::max<std::int64_t>(1, high - low));
  }
  Timestamp office_time(int day) { return timeline_.at(day, office_minute(day)); }
  // `t`, or when it falls outside office hours (08:00-18:00 on a weekday), the next morning the
  // office opens. Steps after now are never stamped, so they are left alone.
  Timestamp in_office_hours(Timestamp t) {
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
  // Before the timeline: contacts already in the database when the 18 months begin.
  Timestamp before_timeline(std::int64_t days_before) {
    return timeline_.start(0) - days(days_before) + minutes(8 * 60 + rng_.below(9 * 60));
  }

  // --- people ---

  void make_people() {
    const auto n = static_cast<std::size_t>(options_.contacts);
    // Exact shares, shuffled: about half PCPs, a third specialists, a few of the rest.
    constexpr int shares[] = {500, 330, 90, 50, 30};  // per mille: pcp, specialist, allied, ...
    std::vector<Role> roles;
    for (std::size_t i = 0; i < n; ++i) {
      const auto position = static_cast<int>((2 * i + 1) * 1000 / (2 * n));
      int role = 0;
      for (int limit = shares[0]; role < 4 && position >= limit; limit += shares[++role]) {
      }
      roles.push_back(static_cast<Role>(role));
    }
    rng_.shuffle(roles);
    // The first contact is the network's anchor: a steady, busy PCP who is always there.
    if (const auto pcp = std::find(roles.begin(), roles.end(), Role::pcp); pcp != roles.end()) {
      std::swap(roles[0], *pcp);
    } else {
      roles[0] = Role::pcp;  // a network of one
    }

    people_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      people_[i].role = roles[i];
      people_[i].profile = i == 0 ? Profile::steady : random_profile();
    }
    force_profiles();
    for (std::size_t i = 0; i < n; ++i) describe(people_[i], i == 0);
  }

  Profile random_profile() {
    struct Weighted {
      Profile profile;
      int weight;
    };
    static constexpr Weighted profiles[] = {{Profile::steady, 38},     {Profile::growing, 10},
                                            {Profile::declining, 10},  {Profile::fading, 7},
                                            {Profile::newcomer, 7},    {Profile::dormant, 10},
                                            {Profile::occasional, 14}, {Profile::silent, 4}};
    return rng_.pick_weighted(profiles).profile;
  }

  // Every network big enough shows each story at least once: a referrer fading away, a new
  // one, a specialist who went quiet, a contact nobody has talked to in months.
  void force_profiles() {
    std::vector<std::pair<Role, Profile>> wanted{
        {Role::pcp, Profile::fading},         {Role::pcp, Profile::newcomer},
        {Role::pcp, Profile::declining},      {Role::specialist, Profile::fading},
        {Role::specialist, Profile::dormant}, {Role::pcp, Profile::steady}};
    if (people_.size() < 10) wanted.resize(std::min<std::size_t>(people_.size() / 3, 2));
    std::vector<bool> taken(people_.size(), false);
    for (const auto& [role, profile] : wanted) {
      for (std::size_t i = 1; i < people_.size(); ++i) {
        if (taken[i] || people_[i].role != role) continue;
        people_[i].profile = profile;
        taken[i] = true;
        break;
      }
    }
  }

  void describe(Person& p, bool anchor) {
    switch (p.role) {
      case Role::pcp:
        p.specialty = &rng_.pick_weighted(words::primary_care);
        break;
      case Role::specialist:
        p.specialty = &rng_.pick_weighted(words::specialists);
        break;
      case Role::allied:
        p.specialty = &rng_.pick_weighted(words::allied);
        break;
      case Role::facility:
        p.specialty = &rng_.pick_weighted(words::facilities);
        break;
      case Role::other:
        p.specialty = &rng_.pick_weighted(words::others);
        break;
    }
    auto& f = p.fields;
    f.role = std::string(domain::roles[static_cast<std::size_t>(p.role)]);
    f.specialty = std::string(p.specialty->name);
    const auto& city = rng_.pick_weighted(words::cities);
    f.city = std::string(city.name);
    const std::string_view place = rng_.pick(words::places);

    if (p.role == Role::facility) {
      f.name = unique_name(fmt::format("{} {}", place, p.specialty->practice), city.name);
      if (rng_.chance(500)) f.practice = fmt::format("{} Health", place);
      if (rng_.chance(900)) f.npi = new_npi('2');
      f.email = fmt::format("referrals.{}@example.org", lower_ascii(f.name));
    } else {
      std::string_view first;
      std::string_view last;
      f.name = person_name(p, first, last);
      if (p.role == Role::pcp && rng_.chance(200)) {
        f.practice = fmt::format("{} Family Practice", rng_.pick(words::last_names));
      } else if (p.role == Role::specialist && rng_.chance(150)) {
        f.practice = fmt::format("{} Medical Center", place);
        add_tag(f, "hospital-affiliated");
      } else {
        f.practice = fmt::format("{} {}", place, p.specialty->practice);
      }
      const bool physician = p.role == Role::pcp || p.role == Role::specialist;
      if (rng_.chance(physician ? 970 : p.role == Role::allied ? 750 : 100)) f.npi = new_npi('1');
      if (rng_.chance(800)) {
        const auto at = f.name.find(". ", f.name.find(' ') + 1);  // a middle initial, if any
        const std::string initial =
            at == std::string::npos ? "" : lower_ascii(f.name.substr(at - 1, 1)) + ".";
        f.email =
            fmt::format("{}.{}{}@example.org", lower_ascii(first), initial, lower_ascii(last));
      }
    }
    if (rng_.chance(920)) f.phone = fmt::format("{}-555-01{:02}", city.area_code, rng_.below(100));
    if (!p.specialty->tag.empty() && rng_.chance(450)) add_tag(f, p.specialty->tag);
    if (rng_.chance(350)) add_tag(f, rng_.pick(words::tags));
    if (rng_.chance(80)) f.note = std::string(rng_.pick(words::contact_notes));

    // Volume: a few contacts send most referrals (a heavy tail without pow or log).
    constexpr double base[] = {3.0, 2.0, 0.8, 1.2, 0.3};
    const double u = rng_.unit();
    p.volume = base[static_cast<std::size_t>(p.role)] * (0.2 + 5.0 * u * u * u * u);
    if (anchor) p.volume = base[0] * 4;
    switch (p.role) {
      case Role::pcp:
        p.in_per_mille = 950;
        break;
      case Role::specialist: {
        // Reciprocity differs: some never send back, most do a little, a few mostly send.
        const auto kind = rng_.below(100);
        p.in_per_mille = kind < 35   ? 0
                         : kind < 85 ? static_cast<int>(rng_.between(200, 500))
                                     : static_cast<int>(rng_.between(700, 900));
        break;
      }
      case Role::allied:
        p.in_per_mille = 80;
        break;
      case Role::facility:
        p.in_per_mille = 20;
        break;
      case Role::other:
        p.in_per_mille = 500;
        break;
    }

    // When they entered the network, and when they went quiet.
    constexpr int today = Timeline::today();
    p.created = before_timeline(rng_.between(1, 700));
    switch (p.profile) {
      case Profile::newcomer:
        p.first_day = today - static_cast<int>(rng_.between(20, 130));
        p.created = office_time(p.first_day - static_cast<int>(rng_.between(1, 14)));
        break;
      case Profile::fading:
        p.quiet_from = today - static_cast<int>(rng_.between(95, 170));
        p.volume = std::max(p.volume, base[static_cast<std::size_t>(p.role)]);
        break;
      case Profile::dormant:
        p.quiet_from = std::max(0, today - static_cast<int>(rng_.between(100, 420)));
        p.volume *= 0.5;
        break;
      case Profile::silent:
        p.volume = 0;
        break;
      default:
        break;
    }
    f.source = std::string(source_for(p));
  }

  std::string_view source_for(const Person& p) {
    struct Weighted {
      std::string_view source;
      int weight;
    };
    static constexpr Weighted established[] = {
        {"referral", 30},    {"visit", 15},   {"association", 8}, {"cme", 6},   {"conference", 6},
        {"hosted-event", 5}, {"linkedin", 6}, {"doximity", 7},    {"sermo", 2}, {"seminar", 3},
        {"workshop", 2},     {"social", 4},   {"other", 6}};
    static constexpr Weighted recent[] = {{"referral", 30}, {"visit", 25}, {"linkedin", 15},
                                          {"doximity", 15}, {"sermo", 5},  {"other", 10}};
    if (p.profile == Profile::newcomer) return rng_.pick_weighted(recent).source;
    return rng_.pick_weighted(established).source;
  }

  static void add_tag(store::ContactFields& f, std::string_view tag) {
    if (std::find(f.tags.begin(), f.tags.end(), tag) == f.tags.end()) f.tags.emplace_back(tag);
  }

  std::string person_name(const Person& p, std::string_view& first, std::string_view& last) {
    const auto compose = [&](std::string_view given, std::string_view initial,
                             std::string_view family) {
      const std::string middle = initial.empty() ? "" : fmt::format(" {}.", initial);
      switch (p.role) {
        case Role::pcp:
        case Role::specialist:
          return fmt::format("Dr. {}{} {}", given, middle, family);
        case Role::allied:
          return fmt::format("{}{} {}, {}", given, middle, family, p.specialty->credential);
        default:
          return fmt::format("{}{} {}", given, middle, family);
      }
    };
    static constexpr std::string_view initials[] = {"A", "B", "C", "D", "E", "F", "G", "H", "J",
                                                    "K", "L", "M", "N", "P", "R", "S", "T", "W"};
    for (int attempt = 0; attempt < 64; ++attempt) {
      first = rng_.pick(words::first_names);
      last = rng_.pick(words::last_names);
      std::string name = compose(first, attempt < 4 ? "" : rng_.pick(initials), last);
      if (names_.insert(name).second) return name;
    }
    return unique_name(compose(first, "", last), "");
  }

  // `base`, or base with the city, or base with a number: names stay unique so that typing a
  // whole name always finds one contact.
  std::string unique_name(const std::string& base, std::string_view city) {
    if (names_.insert(base).second) return base;
    if (!city.empty()) {
      std::string with_city = fmt::format("{} ({})", base, city);
      if (names_.insert(with_city).second) return with_city;
    }
    for (int n = 2;; ++n) {
      std::string numbered = fmt::format("{} {}", base, n);
      if (names_.insert(numbered).second) return numbered;
    }
  }

  std::string new_npi(char first_digit) {
    while (true) {
      std::string nine = fmt::format("{}{:08}", first_digit, rng_.below(100'000'000));
      if (!npis_.insert(nine).second) continue;
      return nine + static_cast<char>('0' + domain::npi_check_digit(nine));
    }
  }

  // --- events ---

  void make_events() {
    const auto n = static_cast<std::int64_t>(people_.size());
    const auto count = n < 3 ? 0 : std::clamp<std::int64_t>(n / 10, 2, 12);
    if (count == 0) return;
    events_.reserve(static_cast<std::size_t>(count));
    const auto spacing = std::min<std::int64_t>(60, 340 / count);
    const auto first_template = rng_.below(std::size(words::events));
    for (std::int64_t i = 0; i < count; ++i) {
      const auto& t = words::events[static_cast<std::size_t>(
          (first_template + i) % static_cast<std::int64_t>(std::size(words::events)))];
      DemoEvent e;
      // Each draw in its own statement: the order of operands is unspecified in C++.
      const auto last_event_age = rng_.between(3, 9);
      const auto jitter = rng_.below(spacing / 4 + 1);
      e.day =
          Timeline::today() - static_cast<int>(last_event_age + (count - 1 - i) * spacing + jitter);
      const bool evening = t.kind == "association" || t.kind == "social" || t.kind == "hosted";
      e.at = timeline_.at(e.day,
                          evening ? 17 * 60 + 30 + rng_.below(90) : 9 * 60 + rng_.below(5 * 60));
      e.name = std::string(t.name);
      e.kind = t.kind;
      e.followup_note = fmt::format("circle back after {}", t.name);
      store::Event row;
      row.name = e.name;
      row.kind = std::string(t.kind);
      row.date = domain::format_date(timeline_.date(e.day));
      row.location = std::string(t.location);
      static constexpr std::string_view notes[] = {"good turnout from primary care",
                                                   "bring more referral pads next time",
                                                   "ask the organisers about speaking next year"};
      if (rng_.chance(400)) row.note = std::string(rng_.pick(notes));
      row.created = e.at;
      e.id = store_.add_event(row);
      events_.push_back(std::move(e));
    }

    // New acquaintances: people first met at an event, created that evening.
    std::vector<std::size_t> candidates;
    for (std::size_t i = 1; i < people_.size(); ++i) {
      const auto& p = people_[i];
      const bool open_profile = p.profile == Profile::steady || p.profile == Profile::growing ||
                                p.profile == Profile::occasional || p.profile == Profile::silent;
      if (open_profile && p.role != Role::facility) candidates.push_back(i);
    }
    rng_.shuffle(candidates);
    const auto per_event = std::clamp<std::int64_t>(n / 25, 1, 60);
    std::size_t next = 0;
    for (std::size_t e = 0; e < events_.size(); ++e) {
      const auto& event = events_[e];
      for (std::int64_t k = 0; k < per_event && next < candidates.size(); ++k) {
        auto& p = people_[candidates[next++]];
        p.event = static_cast<int>(e);
        p.created = event.at + minutes(rng_.between(30, 180));
        p.first_day = std::min(Timeline::length, event.day + static_cast<int>(rng_.between(2, 30)));
        p.fields.event_id = event.id;
        p.fields.source = std::string(words::source_of_event_kind(event.kind));
        p.volume *= 1.5;                     // meeting in person is what events are for
        if (rng_.chance(250)) p.volume = 0;  // met, liked, never referred (yet)
      }
    }
  }

  void insert_people() {
    std::vector<std::size_t> order(people_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return people_[a].created < people_[b].created;
    });
    for (const auto i : order) {
      store::Contact contact;
      static_cast<store::ContactFields&>(contact) = people_[i].fields;
      contact.created = people_[i].created;
      people_[i].id = store_.add_contact(contact);
    }

    for (std::size_t i = 0; i < people_.size(); ++i) {
      const auto& p = people_[i];
      if (p.event < 0) continue;
      store_.add_event_contact(events_[static_cast<std::size_t>(p.event)].id, p.id);
    }
    // Old acquaintances met again at an event; `refnet event --met` plans a circle-back for them.
    const auto n = static_cast<std::int64_t>(people_.size());
    const auto per_event = std::clamp<std::int64_t>(n / 40, 1, 30);
    for (std::size_t e = 0; e < events_.size(); ++e) {
      const auto& event = events_[e];
      for (std::int64_t k = 0; k < per_event; ++k) {
        const auto i = static_cast<std::size_t>(rng_.below(n));
        const auto& p = people_[i];
        if (p.event >= 0 || p.created >= event.at || p.quiet_from <= event.day ||
            p.role == Role::facility) {
          continue;
        }
        store_.add_event_contact(event.id, p.id);
        schedule({event.at + minutes(rng_.between(60, 240)),
                  0,
                  Act::plan_meeting,
                  i,
                  0,
                  {},
                  "call",
                  event.followup_note});
      }
    }
  }

  // --- touchpoints planned ahead ---

  void schedule(Action action) {
    action.seq = ++seq_;
    actions_.push(action);
  }

  // Calls, visits and emails that keep a relationship alive; they stop when a contact goes quiet.
  void schedule_relationship_touches() {
    for (std::size_t i = 0; i < people_.size(); ++i) {
      const auto& p = people_[i];
      std::int64_t gap = p.volume >= 2 ? 60 : 90;
      if (p.profile == Profile::occasional || p.profile == Profile::dormant || p.volume == 0)
        gap = 150;
      const int end = p.quiet_from < Timeline::length ? p.quiet_from - 3 : Timeline::today();
      int day = p.created < timeline_.start(0) ? static_cast<int>(rng_.below(gap))
                                               : timeline_.day_of(p.created) + 1;
      for (day += static_cast<int>(rng_.between(gap / 2, gap * 3 / 2)); day <= end;
           day += static_cast<int>(rng_.between(gap / 2, gap * 3 / 2))) {
        const auto& touch = rng_.pick(words::relationship);
        schedule({office_time(day), 0, Act::touch, i, 0, {}, touch.via, touch.note});
      }
    }
  }

  void schedule_plans() {
    for (std::size_t i = 0; i < people_.size(); ++i) {
      const auto& p = people_[i];
      // Meeting someone in person plans a circle-back (refnet(1) "Service levels"), for people
      // added within the 18 months.
      if (p.created >= timeline_.start(0) && domain::met_in_person(*p.fields.source)) {
        const auto note =
            p.event >= 0
                ? std::string_view(events_[static_cast<std::size_t>(p.event)].followup_note)
                : std::string_view("circle back after meeting");
        schedule({p.created + minutes(rng_.between(1, 30)),
                  0,
                  Act::plan_meeting,
                  i,
                  0,
                  {},
                  "call",
                  note});
      }
      // Plans the physician made by hand in the last weeks: some still ahead, some overdue.
      const bool quiet = p.profile == Profile::dormant || p.profile == Profile::fading;
      if (i > 0 && rng_.chance(quiet ? 350 : 40)) {
        const int day = Timeline::today() - static_cast<int>(rng_.below(45));
        const auto at = office_time(day);
        if (at < p.created) continue;
        const auto& plan = quiet ? words::manual_plans[std::size(words::manual_plans) - 1]
                                 : words::manual_plans[static_cast<std::size_t>(
                                       rng_.below(std::size(words::manual_plans) - 1))];
        schedule(
            {at, 0, Act::plan_manual, i, 0, at + days(rng_.between(2, 21)), plan.via, plan.note});
      }
    }
  }

  // --- the simulation ---

  void drain(Timestamp until) {
    while (!actions_.empty() && actions_.top().at <= until) {
      const Action a = actions_.top();
      actions_.pop();
      perform(a);
    }
  }

  void perform(const Action& a) {
    auto& p = people_[a.person];
    switch (a.act) {
      case Act::touch: {
        store::Touchpoint t;
        t.contact_id = p.id;
        if (a.ref != 0) t.referral_id = a.ref;
        t.via = std::string(a.via);
        t.note = std::string(a.note);
        t.done_at = a.at;
        t.created = a.at;
        t.origin = store::origin_manual;
        const auto id = write(t);
        // refnet(1) followup: a logged touchpoint satisfies every open plan with that contact made
        // before it.
        std::erase_if(p.open_plans, [&](const Plan& plan) {
          if (plan.planned > a.at) return false;
          auto row = plan_row(p, plan);
          row.satisfied_by = id;
          write(row);
          return true;
        });
        break;
      }
      case Act::plan_meeting: {
        if (!p.open_plans.empty()) break;  // as `refnet add` and `event --met`: one plan is enough
        const auto key = plan(p, a.at, domain::followup_after_meeting_due(a.at, sla_), a.via,
                              a.note, store::origin_after_meeting, std::nullopt);
        resolve(a.person, key, a.at, words::after_meeting, 0);
        break;
      }
      case Act::plan_manual:
        plan(p, a.at, a.due, a.via, a.note, store::origin_manual, std::nullopt);
        break;
      case Act::done:
      case Act::dismiss: {
        const auto key = static_cast<std::uint64_t>(a.ref);
        const auto it = std::find_if(p.open_plans.begin(), p.open_plans.end(),
                                     [&](const Plan& plan) { return plan.key == key; });
        if (it == p.open_plans.end()) break;  // a logged touchpoint satisfied it first
        auto row = plan_row(p, *it);
        if (a.act == Act::done) {
          row.done_at = a.at;
        } else {
          row.dismissed_at = a.at;
        }
        write(row);
        p.open_plans.erase(it);
        break;
      }
    }
  }

  std::uint64_t plan(Person& p, Timestamp at, Timestamp due, std::string_view via,
                     std::string_view note, const char* origin,
                     std::optional<std::int64_t> referral) {
    const auto key = ++plan_keys_;
    p.open_plans.push_back({key, referral, via, note, origin, at, due});
    return key;
  }

  static store::Touchpoint plan_row(const Person& p, const Plan& plan) {
    store::Touchpoint t;
    t.contact_id = p.id;
    t.referral_id = plan.referral;
    t.via = std::string(plan.via);
    t.note = std::string(plan.note);
    t.created = plan.planned;
    t.due = plan.due;
    t.origin = plan.origin;
    return t;
  }

  std::int64_t write(store::Touchpoint t) {
    ++summary_.touchpoints;
    t.id = next_touchpoint_++;
    const auto id = t.id;
    pipe_->push(std::move(t));
    return id;
  }

  // Plans nobody has acted on by now stay open: some upcoming, some overdue.
  void write_open_plans() {
    std::vector<std::pair<const Person*, const Plan*>> open;
    for (const auto& p : people_) {
      for (const auto& plan : p.open_plans) open.emplace_back(&p, &plan);
    }
    std::sort(open.begin(), open.end(),
              [](const auto& a, const auto& b) { return a.second->key < b.second->key; });
    for (const auto& [p, plan] : open) write(plan_row(*p, *plan));
  }

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

  double day_weight(int day) const {
    const auto weekday = timeline_.weekday(day);
    double w = weekday == 0 ? 0.03 : weekday == 6 ? 0.07 : 1.0;
    w *= 0.85 + 0.3 * day / Timeline::length;  // the practice grows a little
    const auto& date = timeline_.date(day);
    const auto month = static_cast<unsigned>(date.month());
    const auto dom = static_cast<unsigned>(date.day());
    if ((month == 12 && dom >= 22) || (month == 1 && dom <= 2)) w *= 0.5;  // holidays
    if (month == 8) w *= 0.85;                                             // vacations
    if (day == Timeline::today()) {
      const auto passed = static_cast<double>(timeline_.minutes_passed(day) - 8 * 60);
      w *= std::clamp(passed / (9.5 * 60), 0.0, 1.0);
    }
    return w;
  }

  double weight(const Person& p, int day) const {
    if (day < p.first_day || day >= p.quiet_from) return 0;
    const double x = static_cast<double>(day) / Timeline::length;
    switch (p.profile) {
      case Profile::growing:
        return p.volume * (0.3 + 1.4 * x);
      case Profile::declining:
        return p.volume * (1.5 - 1.2 * x);
      case Profile::newcomer:
        return p.volume * 1.5;
      case Profile::occasional:
        return p.volume * 0.15;
      default:
        return p.volume;
    }
  }

  // Cumulative referral weights of everybody for one week of the timeline.
  void weigh_week(int day) {
    const int middle = std::min(day + 3, Timeline::today());
    cumulative_.resize(people_.size());
    double total = 0;
    for (std::size_t i = 0; i < people_.size(); ++i) {
      total += weight(people_[i], middle);
      cumulative_[i] = total;
    }
  }

  std::size_t pick_person(int day, Timestamp at) {
    for (int attempt = 0; attempt < 24; ++attempt) {
      const double x = rng_.unit() * cumulative_.back();
      const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
      const auto i =
          std::min(static_cast<std::size_t>(it - cumulative_.begin()), people_.size() - 1);
      const auto& p = people_[i];
      if (day >= p.first_day && day < p.quiet_from && p.created <= at && p.volume > 0) return i;
    }
    return 0;  // the anchor is there every day
  }

  void simulate_referrals() {
    // Spread the referrals over the days first, in proportion to each day's weight.
    std::vector<double> day_cumulative(Timeline::length);
    double total = 0;
    for (int d = 0; d < Timeline::length; ++d) {
      total += day_weight(d);
      day_cumulative[static_cast<std::size_t>(d)] = total;
    }
    std::vector<std::int64_t> per_day(Timeline::length, 0);
    for (std::int64_t i = 0; i < options_.referrals; ++i) {
      const auto it =
          std::upper_bound(day_cumulative.begin(), day_cumulative.end(), rng_.unit() * total);
      const auto d = std::min<std::ptrdiff_t>(it - day_cumulative.begin(), Timeline::today());
      ++per_day[static_cast<std::size_t>(d)];
    }

    std::vector<std::int64_t> day_minutes;
    for (int day = 0; day < Timeline::length; ++day) {
      if (day % 7 == 0) weigh_week(day);
      day_minutes.clear();
      for (std::int64_t k = 0; k < per_day[static_cast<std::size_t>(day)]; ++k) {
        day_minutes.push_back(office_minute(day));
      }
      std::sort(day_minutes.begin(), day_minutes.end());
      for (const auto minute : day_minutes) {
        const auto at = timeline_.at(day, minute);
        drain(at);
        refer(day, at);
      }
    }
  }

  void refer(int day, Timestamp at) {
    const auto person = pick_person(day, at);
    auto& p = people_[person];
    store::Referral r;
    r.direction = rng_.chance(p.in_per_mille) ? Direction::in : Direction::out;
    r.contact_id = p.id;
    r.patient = fmt::format("MRN-{}", rng_.between(100000, 999999));
    r.reason = reason(p, r.direction);
    const auto u = rng_.below(1000);
    r.urgency = u < 850 ? Urgency::routine : u < 970 ? Urgency::urgent : Urgency::emergent;
    r.referred = at;
    r.created = at;
    r.acknowledge_due = domain::acknowledge_due(at, r.urgency, sla_);
    if (rng_.chance(60)) r.note = std::string(rng_.pick(words::referral_notes));
    progress(r);
    r.id = next_referral_++;
    const auto id = r.id;
    const auto direction = r.direction;
    pipe_->push(std::move(r));
    ++summary_.referrals;
    if (direction == Direction::in) {
      // refnet(1) "Service levels": after an inbound referral a thank-you follow-up is planned (as
      // `refnet refer` does).
      const auto key = plan(p, at, domain::followup_after_referral_due(at, sla_), "call",
                            "thank for the referral", store::origin_after_referral, id);
      resolve(person, key, at, words::thanks, id);
    }
  }

  std::string reason(const Person& p, Direction direction) {
    if (p.role == Role::pcp) {
      return std::string(direction == Direction::in ? rng_.pick(words::consult_reasons)
                                                    : rng_.pick(words::primary_care_reasons));
    }
    const auto text = rng_.pick(p.specialty->reasons);
    if (direction == Direction::in && p.role == Role::specialist && rng_.chance(500)) {
      return fmt::format("co-management: {}", text);
    }
    return std::string(text);
  }

  // Steps a referral through its lifecycle as far as its age allows: old ones are mostly
  // closed (or declined, cancelled, no-show), recent ones still new, acknowledged or scheduled.
  void progress(store::Referral& r) {
    const auto now = timeline_.now();
    const auto age = now - r.referred;
    const bool in = r.direction == Direction::in;
    // A few recent referrals nobody acknowledged yet: the top of the overdue report.
    if (age <= days(21) && rng_.chance(150)) return;

    Lifecycle life(r, sla_, now);
    auto t = r.referred;
    if (!rng_.chance(in ? 80 : 150)) {  // skipped steps stay unstamped
      const auto window = std::max<std::int64_t>(
          6, std::chrono::duration_cast<minutes>(r.acknowledge_due - r.referred).count() * 9 / 10);
      const auto roll = rng_.below(100);
      const auto ack =
          roll < 60   ? r.referred + minutes(rng_.between(5, std::min<std::int64_t>(window, 240)))
          : roll < 93 ? r.referred + minutes(rng_.between(5, window))
                      : r.acknowledge_due + minutes(rng_.between(30, 3 * 24 * 60));
      if (!life.move(Status::acknowledged,
                     r.urgency == Urgency::emergent ? ack : in_office_hours(ack))) {
        return;
      }
      t = life.last();
    }
    if (rng_.chance(in ? 40 : 30)) {
      const auto when = in_office_hours(t + minutes(rng_.between(10, 3 * 24 * 60)));
      life.move(Status::declined, when,
                std::string(in ? rng_.pick(words::decline_in) : rng_.pick(words::decline_out)));
      return;
    }

    Timestamp appointment;
    const bool walk_in = r.urgency == Urgency::emergent ? rng_.chance(500) : rng_.chance(30);
    if (walk_in) {
      appointment = t + minutes(rng_.between(15, 240));
    } else {
      const auto booking = r.urgency == Urgency::routine  ? minutes(rng_.between(60, 5 * 24 * 60))
                           : r.urgency == Urgency::urgent ? minutes(rng_.between(30, 24 * 60))
                                                          : minutes(rng_.between(10, 90));
      const auto booked = t + booking;
      if (!life.move(Status::scheduled,
                     r.urgency == Urgency::emergent ? booked : in_office_hours(booked))) {
        return;
      }
      t = life.last();
      const auto wait = r.urgency == Urgency::routine  ? days(rng_.between(3, 35))
                        : r.urgency == Urgency::urgent ? days(rng_.between(1, 5))
                                                       : days(0);
      appointment = t + wait + minutes(rng_.between(30, 8 * 60));
      if (r.urgency != Urgency::emergent) appointment = in_office_hours(appointment);
      if (rng_.chance(40)) {
        const auto before = std::chrono::duration_cast<minutes>(appointment - t).count();
        const auto when =
            in_office_hours(t + minutes(rng_.between(1, std::max<std::int64_t>(1, before))));
        life.move(Status::cancelled, when, std::nullopt,
                  std::string(rng_.pick(words::cancel_notes)));
        return;
      }
      if (rng_.chance(45)) {
        life.move(Status::no_show, appointment, std::nullopt,
                  std::string(rng_.pick(words::no_show_notes)));
        return;
      }
    }
    if (!life.move(Status::seen, appointment)) return;

    // Reports still owed after the visit: more often recent, occasionally long forgotten.
    const bool recent = now - life.last() <= days(120);
    if (rng_.chance(recent ? 40 : 4)) return;
    // The consultant's report back to us is late more often than ours to the referrer.
    const auto late = rng_.chance(in ? 80 : 300);
    const auto delay = late ? minutes(rng_.between(15 * 24 * 60, (in ? 40 : 60) * 24 * 60))
                       : in ? minutes(rng_.between(60, 12 * 24 * 60))
                            : minutes(rng_.between(2 * 24 * 60, 13 * 24 * 60));
    life.move(Status::closed, in_office_hours(life.last() + delay));
  }

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

}  // namespace

Summary generate(store::Store& store, const Options& options, domain::Timestamp now,
                 const domain::ServiceLevels& sla, std::string_view actor) {
  if (options.contacts < 1) throw Error(Exit::usage, "the demo needs at least one contact");
  if (options.referrals < 0) throw Error(Exit::usage, "the number of referrals cannot be negative");
  const auto bulk = store.bulk_load({"referral", "touchpoint"});
  Simulation simulation(store, options, now, sla);
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
      actor, now);
  return summary;
}

}  // namespace refnet::demo
