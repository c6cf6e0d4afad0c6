// The demo's referrals: who refers when, and how each referral moves through its lifecycle.
#include "demo/simulation.hpp"

namespace refnet::demo::detail {

namespace {

// Moves one referral through its lifecycle in memory, stamping each step, never past now; the
// referral is then written once, whole. Every step is checked against the lifecycle rules.
class Lifecycle {
 public:
  Lifecycle(store::Referral& referral, const domain::ServiceLevels& sla, Timestamp now)
      : r_(referral), sla_(sla), last_(referral.referred), now_(now) {}

  // The visit booked when the referral was scheduled (`status ID scheduled --date WHEN`).
  void book(Timestamp appointment) {
    if (!stopped_ && r_.status == Status::scheduled) r_.appointment = appointment;
  }

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

}  // namespace

double Simulation::day_weight(int day) const {
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

double Simulation::weight(const Person& p, int day) const {
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

void Simulation::weigh_week(int day) {
  const int middle = std::min(day + 3, Timeline::today());
  cumulative_.resize(people_.size());
  double total = 0;
  for (std::size_t i = 0; i < people_.size(); ++i) {
    total += weight(people_[i], middle);
    cumulative_[i] = total;
  }
}

std::size_t Simulation::pick_person(int day, Timestamp at) {
  for (int attempt = 0; attempt < 24; ++attempt) {
    const double x = rng_.unit() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    const auto i = std::min(static_cast<std::size_t>(it - cumulative_.begin()), people_.size() - 1);
    const auto& p = people_[i];
    if (day >= p.first_day && day < p.quiet_from && p.created <= at && p.volume > 0) return i;
  }
  return 0;  // the anchor is there every day
}

void Simulation::simulate_referrals() {
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

void Simulation::refer(int day, Timestamp at) {
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

std::string Simulation::reason(const Person& p, Direction direction) {
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

void Simulation::progress(store::Referral& r) {
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
    life.book(appointment);
    if (rng_.chance(40)) {
      const auto before = std::chrono::duration_cast<minutes>(appointment - t).count();
      const auto when =
          in_office_hours(t + minutes(rng_.between(1, std::max<std::int64_t>(1, before))));
      life.move(Status::cancelled, when, std::nullopt, std::string(rng_.pick(words::cancel_notes)));
      return;
    }
    // Now and then the outcome is recorded days late: until then the referral waits as
    // scheduled and the overdue list asks for it.
    if (rng_.chance(150) && appointment < now && appointment + days(rng_.between(1, 6)) > now) {
      return;
    }
    if (rng_.chance(45)) {
      life.move(Status::no_show, appointment, std::nullopt,
                std::string(rng_.pick(words::no_show_notes)));
      return;
    }
  }
  if (!life.move(Status::seen, appointment)) return;

  // Reports still owed after the visit: more often recent, rarely long forgotten.
  const bool recent = now - life.last() <= days(60);
  if (rng_.chance(recent ? 40 : 1)) return;
  // The consultant's report back to us is late more often than ours to the referrer.
  const auto late = rng_.chance(in ? 80 : 300);
  const auto delay = late ? minutes(rng_.between(15 * 24 * 60, (in ? 40 : 60) * 24 * 60))
                     : in ? minutes(rng_.between(60, 12 * 24 * 60))
                          : minutes(rng_.between(2 * 24 * 60, 13 * 24 * 60));
  life.move(Status::closed, in_office_hours(life.last() + delay));
}

}  // namespace refnet::demo::detail
