// Overdue debts on SQLite: listed for report overdue, or counted on the indexes alone (summary).
#include "store/sqlite/overdue.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "parallel.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace refnet::store {

using namespace detail;

namespace {

// How each kind of debt is found, as each_overdue lists it and count_overdue counts it: {at} is
// the parameter holding as-of (?1 there), ?2 the keep-in-touch cutoff. `r` is a referral with its
// status at as-of in `state`, `t` a planned follow-up with `s` the touchpoint that satisfied it,
// `c` a contact.
struct Debts {
  const char* with;       // the CTE `r` reads, when it is not the referral table
  const char* referrals;  // the referrals `r`
  const char* unacknowledged;
  const char* report_owed;
  const char* appointment_passed;
  const char* scheduled;  // `r` is scheduled at as-of
  const char* plans;      // `t` (and `s`), from the touchpoint table
  const char* plan_open;  // open at as-of, whenever due
  const char* plan_past_due;
  const char* contact_active;
  const char* last_activity;  // of `c`, by as-of
};

// As-of is now or later: what is open now is the answer, each kind read off a partial index of
// open items; the last activity is a seek per direction to the end of the contact's range of
// referral_contact_history.
constexpr Debts present{
    "",
    "referral r",
    "r.status = 'new' AND r.acknowledge_due < {at}",
    "r.status = 'seen' AND r.report_due < {at}",
    "r.status = 'scheduled' AND r.appointment_at IS NOT NULL AND r.appointment_at < {at}",
    "r.status = 'scheduled' AND r.appointment_at IS NOT NULL",
    "touchpoint t",
    "t.done_at IS NULL AND t.satisfied_by IS NULL AND t.dismissed_at IS NULL",
    "t.due < {at}",
    "c.archived_at IS NULL",
    R"sql(max(c.created_at,
    coalesce((SELECT max(referred_at) FROM referral r
              WHERE r.contact_id = c.id AND r.direction = 'in'), ''),
    coalesce((SELECT max(referred_at) FROM referral r
              WHERE r.contact_id = c.id AND r.direction = 'out'), ''),
    coalesce((SELECT max(done_at) FROM touchpoint t WHERE t.contact_id = c.id), '')))sql",
};

// As-of is in the past: the database as it stood then (refnet(1) --as-of). A referral counts
// from when it was made, at the furthest step stamped by as-of; the ones under way at as-of are
// those open now plus those that ended after it, both off their partial indexes (referral_ended
// holds referred_at for this). A plan counts from when it was made until it was done, dismissed
// or satisfied by a touchpoint done by as-of; a contact from its creation until its archiving.
constexpr Debts past{
    R"sql(WITH under_way AS (
      SELECT id, direction, contact_id, patient, acknowledge_due, report_due, appointment_at,
             CASE WHEN seen_at <= {at} THEN 'seen' WHEN scheduled_at <= {at} THEN 'scheduled'
                  WHEN acknowledged_at <= {at} THEN 'acknowledged' ELSE 'new' END AS state
      FROM referral WHERE {open} AND referred_at <= {at}
      UNION ALL
      SELECT id, direction, contact_id, patient, acknowledge_due, report_due, appointment_at,
             CASE WHEN seen_at <= {at} THEN 'seen' WHEN scheduled_at <= {at} THEN 'scheduled'
                  WHEN acknowledged_at <= {at} THEN 'acknowledged' ELSE 'new' END
      FROM referral
      WHERE {ended} AND coalesce(closed_at, declined_at, cancelled_at, no_show_at) > {at}
        AND referred_at <= {at}))sql",
    "under_way r",
    "r.state = 'new' AND r.acknowledge_due < {at}",
    "r.state = 'seen' AND r.report_due < {at}",
    "r.state = 'scheduled' AND r.appointment_at IS NOT NULL AND r.appointment_at < {at}",
    "r.state = 'scheduled' AND r.appointment_at IS NOT NULL",
    "touchpoint t LEFT JOIN touchpoint s ON s.id = t.satisfied_by",
    "t.due IS NOT NULL AND t.created_at <= {at} AND NOT coalesce(t.done_at <= {at}, 0)"
    " AND NOT coalesce(t.dismissed_at <= {at}, 0) AND NOT coalesce(s.done_at <= {at}, 0)",
    // The table read whole, not touchpoint_plan: its lookups of the satisfying touchpoints for
    // every plan due before a mid-history as-of cost more than the scan (0.27 s against 0.17 s).
    "+t.due < {at}",
    "c.created_at <= {at} AND (c.archived_at IS NULL OR c.archived_at > {at})",
    R"sql(max(c.created_at,
    coalesce((SELECT max(referred_at) FROM referral r
              WHERE r.contact_id = c.id AND r.direction = 'in' AND r.referred_at <= {at}), ''),
    coalesce((SELECT max(referred_at) FROM referral r
              WHERE r.contact_id = c.id AND r.direction = 'out' AND r.referred_at <= {at}), ''),
    coalesce((SELECT max(done_at) FROM touchpoint t
              WHERE t.contact_id = c.id AND t.done_at <= {at}), '')))sql",
};

// One part of Debts with as-of in the parameter `at`.
std::string expand(const char* part, std::string_view at) {
  return fmt::format(fmt::runtime(part), fmt::arg("at", at),
                     fmt::arg("open", open_status_condition),
                     fmt::arg("ended", ended_status_condition));
}

// The counts by kind, in OverdueCounts' order. At the present each kind is its own range of its
// own partial index, the directions told apart in it (a condition on direction would draw the
// planner to referral_steps and every referral of that direction).
std::string present_count_sql() {
  const auto at = [](const char* part) { return expand(part, "?1"); };
  const auto& d = present;
  return fmt::format(R"sql(
    SELECT a.i, a.o, (SELECT count(*) FROM {4} WHERE {5} AND {8}), b.i, b.o,
           (SELECT count(*) FROM {0} WHERE {3}),
           (SELECT count(*) FROM contact c WHERE {6} AND {7} < ?2)
    FROM (SELECT coalesce(sum(r.direction = 'in'), 0) AS i, coalesce(sum(r.direction = 'out'), 0) AS o
          FROM {0} WHERE {1}) a,
         (SELECT coalesce(sum(r.direction = 'in'), 0) AS i, coalesce(sum(r.direction = 'out'), 0) AS o
          FROM {0} WHERE {2}) b)sql",
                     d.referrals, at(d.unacknowledged), at(d.report_owed), at(d.appointment_passed),
                     d.plans, at(d.plan_open), at(d.contact_active), at(d.last_activity),
                     at(d.plan_past_due));
}

// In the past the same counts are read in parts on two connections at once: part 0 (?3) the
// referrals under way, rebuilt and counted in one pass, and the contacts; each other part the
// plans among the touchpoint ids ?4 to ?5 (every plan due by then is read, and each satisfied one
// looks up its satisfier: 0.19 s on one connection at a mid-history as-of of the demo's million
// referrals, as long as the rest). A part not asked for is skipped before anything is read.
std::string past_count_sql() {
  const auto at = [](const char* part) { return expand(part, "?1"); };
  const auto& d = past;
  return fmt::format(R"sql({0}
    SELECT k.a, k.b, 0, k.c, k.d, k.e, (SELECT count(*) FROM contact c WHERE {7} AND {8} < ?2)
    FROM (SELECT coalesce(sum({2} AND r.direction = 'in'), 0) AS a,
                 coalesce(sum({2} AND r.direction = 'out'), 0) AS b,
                 coalesce(sum({3} AND r.direction = 'in'), 0) AS c,
                 coalesce(sum({3} AND r.direction = 'out'), 0) AS d, coalesce(sum({4}), 0) AS e
          FROM {1}) k
    WHERE ?3 = 0
    UNION ALL
    SELECT 0, 0, count(*), 0, 0, 0, 0 FROM {5}
    WHERE ?3 > 0 AND t.id BETWEEN ?4 AND ?5 AND {6} AND {9})sql",
                     at(d.with), d.referrals, at(d.unacknowledged), at(d.report_owed),
                     at(d.appointment_passed), d.plans, at(d.plan_open), at(d.contact_active),
                     at(d.last_activity), at(d.plan_past_due));
}

std::string list_sql(const Debts& d) {
  return fmt::format(R"sql({0}
    SELECT kind, contact_id, name, referral_id, touchpoint_id, patient, via, due, last FROM (
      SELECT CASE r.direction WHEN 'in' THEN 'acknowledge' ELSE 'chase-acknowledgement' END AS kind,
             r.contact_id, c.name, r.id AS referral_id, NULL AS touchpoint_id, r.patient,
             NULL AS via, r.acknowledge_due AS due, NULL AS last
      FROM {1} JOIN contact c ON c.id = r.contact_id
      WHERE {2}
      UNION ALL
      SELECT 'followup', t.contact_id, c.name, t.referral_id, t.id, NULL, t.via, t.due, NULL
      FROM {5} JOIN contact c ON c.id = t.contact_id
      WHERE {6} AND {9}
      UNION ALL
      SELECT CASE r.direction WHEN 'in' THEN 'send-report' ELSE 'chase-report' END,
             r.contact_id, c.name, r.id, NULL, r.patient, NULL, r.report_due, NULL
      FROM {1} JOIN contact c ON c.id = r.contact_id
      WHERE {3}
      UNION ALL
      SELECT 'record-outcome', r.contact_id, c.name, r.id, NULL, r.patient, NULL, r.appointment_at,
             NULL
      FROM {1} JOIN contact c ON c.id = r.contact_id
      WHERE {4}
      UNION ALL
      SELECT 'keep-in-touch', c.id, c.name, NULL, NULL, NULL, NULL,
             strftime('%Y-%m-%dT%H:%M:%SZ', last_activity, '+' || ?3 || ' seconds'), last_activity
      FROM (SELECT c.id, c.name, {8} AS last_activity
            FROM contact c WHERE {7}) c
      WHERE c.last_activity < ?2)
    ORDER BY due, kind, contact_id, referral_id, touchpoint_id)sql",
                     expand(d.with, "?1"), d.referrals, expand(d.unacknowledged, "?1"),
                     expand(d.report_owed, "?1"), expand(d.appointment_passed, "?1"), d.plans,
                     expand(d.plan_open, "?1"), expand(d.contact_active, "?1"),
                     expand(d.last_activity, "?1"), expand(d.plan_past_due, "?1"));
}

constexpr int plan_slices = 16;

void add_counts(OverdueCounts& to, const OverdueCounts& from) {
  to.acknowledge += from.acknowledge;
  to.chase_acknowledgement += from.chase_acknowledgement;
  to.followup += from.followup;
  to.send_report += from.send_report;
  to.chase_report += from.chase_report;
  to.record_outcome += from.record_outcome;
  to.keep_in_touch += from.keep_in_touch;
}

// What is planned in [?1, ?2): the follow-ups open at as-of and due then, the appointments of the
// referrals scheduled at as-of.
std::string upcoming_sql(const Debts& d) {
  return fmt::format(R"sql({0}
    SELECT kind, contact_id, name, referral_id, touchpoint_id, patient, via, at FROM (
      SELECT 'followup' AS kind, t.contact_id, c.name, t.referral_id, t.id AS touchpoint_id,
             NULL AS patient, t.via, t.due AS at
      FROM {1} JOIN contact c ON c.id = t.contact_id
      WHERE {2} AND t.due >= ?1 AND t.due < ?2
      UNION ALL
      SELECT 'appointment', r.contact_id, c.name, r.id, NULL, r.patient, NULL, r.appointment_at
      FROM {3} JOIN contact c ON c.id = r.contact_id
      WHERE {4} AND r.appointment_at >= ?1 AND r.appointment_at < ?2)
    ORDER BY at, kind, contact_id, referral_id, touchpoint_id)sql",
                     expand(d.with, "?1"), d.plans, expand(d.plan_open, "?1"), d.referrals,
                     expand(d.scheduled, "?1"));
}

}  // namespace

namespace detail {

std::string open_plans_sql(bool at_present, std::string_view at, std::string_view due_condition) {
  const Debts& d = at_present ? present : past;
  return fmt::format("SELECT count(*) FROM {} WHERE {} AND {}", d.plans, expand(d.plan_open, at),
                     due_condition);
}

}  // namespace detail

OverdueCounts SqliteStore::count_overdue(AsOf as_of, Timestamp keep_in_touch_cutoff) {
  // The same debts as each_overdue, counted without contact names, patients or sorting (0.13 s
  // instead of 0.30 s at the present on the demo's million referrals).
  const auto add = [](Query& s, OverdueCounts& counts) {
    while (s.executeStep()) {
      std::int64_t* kinds[] = {&counts.acknowledge,  &counts.chase_acknowledgement,
                               &counts.followup,     &counts.send_report,
                               &counts.chase_report, &counts.record_outcome,
                               &counts.keep_in_touch};
      for (int i = 0; i < 7; ++i) *kinds[i] += s.getColumn(i).getInt64();
    }
  };
  if (as_of.present) {
    static const std::string sql = present_count_sql();
    auto s = prepare(sql);
    put(s, 1, as_of.at);
    put(s, 2, keep_in_touch_cutoff);
    OverdueCounts counts;
    add(s, counts);
    return counts;
  }
  static const std::string sql = past_count_sql();
  std::vector<std::pair<std::int64_t, std::int64_t>> plan_ids;
  {  // done with before the read, whose snapshot it would otherwise hold
    SQLite::Statement bounds(*db_, "SELECT min(id), max(id) FROM touchpoint");
    if (bounds.executeStep() && !bounds.getColumn(0).isNull()) {
      plan_ids =
          id_ranges(bounds.getColumn(0).getInt64(), bounds.getColumn(1).getInt64(), plan_slices);
    }
  }
  std::array<OverdueCounts, 2> gathered;  // per worker
  read_on_two_connections(
      *db_, busy_timeout_, sql.c_str(), 1 + plan_ids.size(),
      [&](std::size_t part, int worker, Query& s) {
        put(s, 1, as_of.at);
        put(s, 2, keep_in_touch_cutoff);
        s.bind(3, static_cast<int64_t>(part));
        if (part > 0) {
          s.bind(4, static_cast<int64_t>(plan_ids[part - 1].first));
          s.bind(5, static_cast<int64_t>(plan_ids[part - 1].second));
        }
        add(s, gathered[static_cast<std::size_t>(worker)]);
      },
      [&] { gathered = {}; });
  auto counts = gathered[0];
  add_counts(counts, gathered[1]);
  return counts;
}

void SqliteStore::each_overdue(AsOf as_of, Timestamp keep_in_touch_cutoff,
                               const std::function<void(const OverdueItem&)>& fn) {
  static const std::string now_sql = list_sql(present);
  static const std::string then_sql = list_sql(past);
  auto s = prepare(as_of.present ? now_sql : then_sql);
  put(s, 1, as_of.at);
  put(s, 2, keep_in_touch_cutoff);
  s.bind(3, static_cast<int64_t>((as_of.at - keep_in_touch_cutoff).count()));
  while (s.executeStep()) {
    auto item = rows::read_debt_columns<OverdueItem>(s);
    item.due = time(s.getColumn(7));
    item.last_activity = optional_time(s.getColumn(8));
    fn(item);
  }
}

std::vector<UpcomingItem> SqliteStore::upcoming(AsOf as_of, Timestamp until) {
  static const std::string now_sql = upcoming_sql(present);
  static const std::string then_sql = upcoming_sql(past);
  auto s = prepare(as_of.present ? now_sql : then_sql);
  put(s, 1, as_of.at);
  put(s, 2, until);
  std::vector<UpcomingItem> items;
  while (s.executeStep()) {
    auto item = rows::read_debt_columns<UpcomingItem>(s);
    item.at = time(s.getColumn(7));
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace refnet::store
