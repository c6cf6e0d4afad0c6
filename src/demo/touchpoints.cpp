// The demo's touchpoints: calls and plans scheduled ahead, and how each plan ends.
#include "demo/simulation.hpp"

namespace refnet::demo::detail {

void Simulation::schedule(Action action) {
  action.seq = ++seq_;
  actions_.push(action);
}

// A working practice keeps up its relationships whether or not they refer: a call, a note or a
// lunch every month or two, inside sla.keep_in_touch (90 days). Some lapsed a few weeks ago and a
// very few months ago, so the overdue list's keep-in-touch rows are days or weeks late, a couple
// of them long: a busy practice, not one in chaos.
void Simulation::schedule_relationship_touches() {
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const auto& p = people_[i];
    const std::int64_t gap = p.volume >= 2 ? 45 : 60;  // at most 4/3 of it: 80 days
    int end = Timeline::today();
    bool lapsed = true;  // the last touch is on `end`, and none since
    if (const auto lapse = rng_.below(100); lapse < 3) {
      end -= static_cast<int>(rng_.between(130, 180));
    } else if (lapse < 18) {
      end -= static_cast<int>(rng_.between(92, 125));
    } else {
      lapsed = false;
    }
    const int first = p.created < timeline_.start(0) ? static_cast<int>(rng_.below(gap))
                                                     : timeline_.day_of(p.created) + 1;
    for (int day = first + static_cast<int>(rng_.between(gap * 2 / 3, gap * 4 / 3)); day < end;
         day += static_cast<int>(rng_.between(gap * 2 / 3, gap * 4 / 3))) {
      const auto& touch = rng_.pick(words::relationship);
      schedule({office_time(day), 0, Act::touch, i, 0, {}, touch.via, touch.note});
    }
    // A lapsed relationship's clock runs from its last touch, on the day it lapsed.
    if (lapsed && end > first) {
      const auto& touch = rng_.pick(words::relationship);
      schedule({office_time(end), 0, Act::touch, i, 0, {}, touch.via, touch.note});
    }
  }
}

void Simulation::schedule_plans() {
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const auto& p = people_[i];
    // Meeting someone in person plans a circle-back (refnet(1) "Service levels"), for people
    // added within the 18 months.
    if (p.created >= timeline_.start(0) && domain::met_in_person(*p.fields.source)) {
      const auto note =
          p.event >= 0 ? std::string_view(events_[static_cast<std::size_t>(p.event)].followup_note)
                       : std::string_view("circle back after meeting");
      schedule(
          {p.created + minutes(rng_.between(1, 30)), 0, Act::plan_meeting, i, 0, {}, "call", note});
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

void Simulation::drain(Timestamp until) {
  while (!actions_.empty() && actions_.top().at <= until) {
    const Action a = actions_.top();
    actions_.pop();
    perform(a);
  }
}

void Simulation::perform(const Action& a) {
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
      const auto key = plan(p, a.at, domain::followup_after_meeting_due(a.at, sla_), a.via, a.note,
                            store::origin_after_meeting, std::nullopt);
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

std::uint64_t Simulation::plan(Person& p, Timestamp at, Timestamp due, std::string_view via,
                               std::string_view note, const char* origin,
                               std::optional<std::int64_t> referral) {
  const auto key = ++plan_keys_;
  p.open_plans.push_back({key, referral, via, note, origin, at, due});
  return key;
}

store::Touchpoint Simulation::plan_row(const Person& p, const Plan& plan) {
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

std::int64_t Simulation::write(store::Touchpoint t) {
  ++summary_.touchpoints;
  t.id = next_touchpoint_++;
  const auto id = t.id;
  pipe_->push(std::move(t));
  return id;
}

void Simulation::write_open_plans() {
  std::vector<std::pair<const Person*, const Plan*>> open;
  for (const auto& p : people_) {
    for (const auto& plan : p.open_plans) open.emplace_back(&p, &plan);
  }
  std::sort(open.begin(), open.end(),
            [](const auto& a, const auto& b) { return a.second->key < b.second->key; });
  for (const auto& [p, plan] : open) write(plan_row(*p, *plan));
}

}  // namespace refnet::demo::detail
