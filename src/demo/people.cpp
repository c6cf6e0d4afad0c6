// The demo's people: contacts with their names, roles, volumes and profiles, and the events
// where some were met.
#include "demo/simulation.hpp"

namespace refnet::demo::detail {

namespace {

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

}  // namespace

void Simulation::make_people() {
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

Profile Simulation::random_profile() {
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

void Simulation::force_profiles() {
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

void Simulation::describe(Person& p, bool anchor) {
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
      f.email = fmt::format("{}.{}{}@example.org", lower_ascii(first), initial, lower_ascii(last));
    }
  }
  if (rng_.chance(920)) f.phone = fmt::format("{}-555-01{:02}", city.area_code, rng_.below(100));
  // Offices that take referrals have a fax line beside the phone (decided without a draw, so the
  // rest of the network comes out as it always has for a seed).
  if (f.phone && p.role != Role::other)
    f.fax = fmt::format("{}-555-02{}", city.area_code, f.phone->substr(f.phone->size() - 2));
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

std::string_view Simulation::source_for(const Person& p) {
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

void Simulation::add_tag(store::ContactFields& f, std::string_view tag) {
  if (std::find(f.tags.begin(), f.tags.end(), tag) == f.tags.end()) f.tags.emplace_back(tag);
}

std::string Simulation::person_name(const Person& p, std::string_view& first,
                                    std::string_view& last) {
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

std::string Simulation::unique_name(const std::string& base, std::string_view city) {
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

std::string Simulation::new_npi(char first_digit) {
  while (true) {
    std::string nine = fmt::format("{}{:08}", first_digit, rng_.below(100'000'000));
    if (!npis_.insert(nine).second) continue;
    return nine + static_cast<char>('0' + domain::npi_check_digit(nine));
  }
}

void Simulation::make_events() {
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
    e.at =
        timeline_.at(e.day, evening ? 17 * 60 + 30 + rng_.below(90) : 9 * 60 + rng_.below(5 * 60));
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

void Simulation::insert_people() {
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

}  // namespace refnet::demo::detail
