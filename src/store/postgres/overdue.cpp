// Overdue debts on PostgreSQL: listed for report overdue, or counted on the indexes alone
// (summary); and what is upcoming (digest). The SQLite store's queries (sqlite/overdue.cpp) in
// PostgreSQL's words, so both give the same lists in the same order.
#include "store/postgres/overdue.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"
#include "store/postgres/schema.hpp"

namespace refnet::store {

using namespace pg;

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
  // What the last activity of `c` by as-of is the latest of: its creation, its latest referral
  // each way, its latest touchpoint done. None is NULL (created_at never is, the others are
  // coalesced), so greatest() is SQLite's scalar max.
  std::array<const char*, 4> activity;
};

// As-of is now or later: what is open now is the answer, each kind read off a partial index of
// open items; each part of the last activity is a seek to the end of the contact's range of
// referral_contact_history (per direction) or touchpoint_contact.
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
    {"c.created_at",
     "coalesce((SELECT max(referred_at) FROM referral r"
     " WHERE r.contact_id = c.id AND r.direction = 'in'), '')",
     "coalesce((SELECT max(referred_at) FROM referral r"
     " WHERE r.contact_id = c.id AND r.direction = 'out'), '')",
     "coalesce((SELECT max(done_at) FROM touchpoint t WHERE t.contact_id = c.id), '')"},
};

// As-of is in the past: the database as it stood then (refnet(1) --as-of). A referral counts
// from when it was made, at the furthest step stamped by as-of; the ones under way at as-of are
// those open now plus those that ended after it, both off their partial indexes (referral_ended
// holds referred_at for this). The open ones made by as-of are few (open referrals are mostly
// recent) but the planner takes them to be spread over time as all referrals are, and would read
// them off referral_referred with every referral made by then (460,000 of a million, 0.3 s):
// their ids come off referral_open alone, then each row by its key (374 of them, 14 ms). A plan
// counts from when it was made until it was done, dismissed or satisfied by a touchpoint done by
// as-of; a contact from its creation until its archiving.
constexpr Debts past{
    R"sql(WITH under_way AS (
      SELECT id, direction, contact_id, patient, acknowledge_due, report_due, appointment_at,
             CASE WHEN seen_at <= {at} THEN 'seen' WHEN scheduled_at <= {at} THEN 'scheduled'
                  WHEN acknowledged_at <= {at} THEN 'acknowledged' ELSE 'new' END AS state
      FROM referral
      WHERE id = ANY (ARRAY(SELECT id FROM referral WHERE {open} AND referred_at <= {at}))
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
    "t.due IS NOT NULL AND t.created_at <= {at} AND NOT coalesce(t.done_at <= {at}, false)"
    " AND NOT coalesce(t.dismissed_at <= {at}, false) AND NOT coalesce(s.done_at <= {at}, false)",
    "t.due < {at}",
    "c.created_at <= {at} AND (c.archived_at IS NULL OR c.archived_at > {at})",
    {"c.created_at",
     "coalesce((SELECT max(referred_at) FROM referral r"
     " WHERE r.contact_id = c.id AND r.direction = 'in' AND r.referred_at <= {at}), '')",
     "coalesce((SELECT max(referred_at) FROM referral r"
     " WHERE r.contact_id = c.id AND r.direction = 'out' AND r.referred_at <= {at}), '')",
     "coalesce((SELECT max(done_at) FROM touchpoint t"
     " WHERE t.contact_id = c.id AND t.done_at <= {at}), '')"},
};

// One part of Debts with as-of in the parameter `at`.
std::string expand(const char* part, std::string_view at) {
  return fmt::format(fmt::runtime(part), fmt::arg("at", at), fmt::arg("open", open_status),
                     fmt::arg("ended", ended_status));
}

// The last activity of `c` by as-of in the parameter `at`.
std::string last_activity(const Debts& d, std::string_view at) {
  std::vector<std::string> parts;
  for (const char* part : d.activity) parts.push_back(expand(part, at));
  return fmt::format("greatest({})", fmt::join(parts, ", "));
}

// The last activity of `c` by as-of in `at` is before the keep-in-touch cutoff ?2: each part is,
// tested in turn, so that an active contact (most are) is settled by its first seek or two rather
// than by all four (greatest() seeks them all: 60,000 seeks for 20,000 contacts, 160 ms).
std::string inactive(const Debts& d, std::string_view at) {
  std::vector<std::string> parts;
  for (const char* part : d.activity) parts.push_back(expand(part, at) + " < ?2");
  return fmt::format("({})", fmt::join(parts, " AND "));
}

// The counts by kind, in OverdueCounts' order, each kind its own range of its own partial index
// at the present.
std::string present_count_sql() {
  const auto at = [](const char* part) { return expand(part, "?1"); };
  const auto& d = present;
  return fmt::format(R"sql(
    SELECT a.i, a.o, (SELECT count(*) FROM {4} WHERE {5} AND {8}), b.i, b.o,
           (SELECT count(*) FROM {0} WHERE {3}),
           (SELECT count(*) FROM contact c WHERE {6} AND {7})
    FROM (SELECT count(*) FILTER (WHERE r.direction = 'in') AS i,
                 count(*) FILTER (WHERE r.direction = 'out') AS o
          FROM {0} WHERE {1}) a,
         (SELECT count(*) FILTER (WHERE r.direction = 'in') AS i,
                 count(*) FILTER (WHERE r.direction = 'out') AS o
          FROM {0} WHERE {2}) b)sql",
                     d.referrals, at(d.unacknowledged), at(d.report_owed), at(d.appointment_passed),
                     d.plans, at(d.plan_open), at(d.contact_active), inactive(d, "?1"),
                     at(d.plan_past_due));
}

// In the past the same counts in one statement: the referrals under way rebuilt and counted in
// one pass, the plans and the contacts each counted on their own. (SQLite reads these in parts on
// two connections; the server parallelises a scan itself.)
std::string past_count_sql() {
  const auto at = [](const char* part) { return expand(part, "?1"); };
  const auto& d = past;
  return fmt::format(R"sql({0}
    SELECT k.a, k.b, (SELECT count(*) FROM {5} WHERE {6} AND {9}), k.c, k.d, k.e,
           (SELECT count(*) FROM contact c WHERE {7} AND {8})
    FROM (SELECT count(*) FILTER (WHERE {2} AND r.direction = 'in') AS a,
                 count(*) FILTER (WHERE {2} AND r.direction = 'out') AS b,
                 count(*) FILTER (WHERE {3} AND r.direction = 'in') AS c,
                 count(*) FILTER (WHERE {3} AND r.direction = 'out') AS d,
                 count(*) FILTER (WHERE {4}) AS e
          FROM {1}) k)sql",
                     at(d.with), d.referrals, at(d.unacknowledged), at(d.report_owed),
                     at(d.appointment_passed), d.plans, at(d.plan_open), at(d.contact_active),
                     inactive(d, "?1"), at(d.plan_past_due));
}

// The debts, unsorted: each_overdue dates the keep-in-touch items (due NULL here) and sorts them.
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
      SELECT 'keep-in-touch', c.id, c.name, NULL, NULL, NULL, NULL, NULL, {8}
      FROM contact c WHERE {7} AND {10}) debts)sql",
                     expand(d.with, "?1"), d.referrals, expand(d.unacknowledged, "?1"),
                     expand(d.report_owed, "?1"), expand(d.appointment_passed, "?1"), d.plans,
                     expand(d.plan_open, "?1"), expand(d.contact_active, "?1"),
                     last_activity(d, "?1"), expand(d.plan_past_due, "?1"), inactive(d, "?1"));
}

// What is planned in [?1, ?2): the follow-ups open at as-of and due then, the appointments of the
// referrals scheduled at as-of. The sort keys compare byte by byte (COLLATE "C", SQLite's BINARY)
// whatever the database's default collation, and ids that can be NULL sort first, as on SQLite.
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
      WHERE {4} AND r.appointment_at >= ?1 AND r.appointment_at < ?2) planned
    ORDER BY at COLLATE "C", kind COLLATE "C", contact_id, referral_id NULLS FIRST,
             touchpoint_id NULLS FIRST)sql",
                     expand(d.with, "?1"), d.plans, expand(d.plan_open, "?1"), d.referrals,
                     expand(d.scheduled, "?1"));
}

}  // namespace

namespace pg {

std::string open_plans_sql(bool at_present, std::string_view at, std::string_view due_condition) {
  const Debts& d = at_present ? present : past;
  return fmt::format("SELECT count(*) FROM {} WHERE {} AND {}", d.plans, expand(d.plan_open, at),
                     due_condition);
}

}  // namespace pg

OverdueCounts PgStore::count_overdue(AsOf as_of, Timestamp keep_in_touch_cutoff) {
  // The same debts as each_overdue, counted without contact names, patients or sorting.
  static const std::string now_sql = present_count_sql();
  static const std::string then_sql = past_count_sql();
  auto s = prepare(as_of.present ? now_sql : then_sql);
  put(s, 1, as_of.at);
  put(s, 2, keep_in_touch_cutoff);
  OverdueCounts counts;
  while (s.executeStep()) {
    std::int64_t* kinds[] = {&counts.acknowledge,  &counts.chase_acknowledgement,
                             &counts.followup,     &counts.send_report,
                             &counts.chase_report, &counts.record_outcome,
                             &counts.keep_in_touch};
    for (int i = 0; i < 7; ++i) *kinds[i] += s.getColumn(i).getInt64();
  }
  return counts;
}

void PgStore::each_overdue(AsOf as_of, Timestamp keep_in_touch_cutoff,
                           const std::function<void(const OverdueItem&)>& fn) {
  static const std::string now_sql = list_sql(present);
  static const std::string then_sql = list_sql(past);
  auto s = prepare(as_of.present ? now_sql : then_sql);
  put(s, 1, as_of.at);
  put(s, 2, keep_in_touch_cutoff);
  // A keep-in-touch item is due the cutoff's span in seconds after the last activity, and the
  // list goes by due, kind, contact, referral and follow-up (NULL first), as SQLite's ORDER BY
  // puts it. Dated and sorted here, not by the server: its timestamps begin at year 1, stored
  // times at year 0 (domain::parse_iso).
  const auto span = as_of.at - keep_in_touch_cutoff;
  std::vector<OverdueItem> items;
  while (s.executeStep()) {
    auto item = rows::read_debt_columns<OverdueItem>(s);
    item.last_activity = optional_time(s.getColumn(8));
    item.due = item.last_activity ? *item.last_activity + span : time(s.getColumn(7));
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end(), [](const OverdueItem& a, const OverdueItem& b) {
    return std::tie(a.due, a.kind, a.contact_id, a.referral_id, a.touchpoint_id) <
           std::tie(b.due, b.kind, b.contact_id, b.referral_id, b.touchpoint_id);
  });
  for (const auto& item : items) fn(item);
}

std::vector<UpcomingItem> PgStore::upcoming(AsOf as_of, Timestamp until) {
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
