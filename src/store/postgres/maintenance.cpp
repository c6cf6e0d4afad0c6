// db check on PostgreSQL: what the server can tell cheaply of its own soundness, foreign keys, and
// the kept counts.
#include <fmt/format.h>

#include <string>

#include "store/postgres/pg_store.hpp"
#include "store/postgres/query.hpp"

namespace refnet::store {

using namespace pg;

namespace {

// referral_day's rows as the referrals make them: per direction and UTC day (the first ten
// characters of referred_at), the referrals and the loops closed after the referral was made
// (the SQLite store's referral_day_recount).
constexpr const char* referral_day_recount = R"sql(
  SELECT direction, substr(referred_at, 1, 10) AS day, count(*) AS referrals,
         count(*) FILTER (WHERE closed_at >= referred_at) AS closed
  FROM referral GROUP BY direction, substr(referred_at, 1, 10))sql";

}  // namespace

std::vector<std::string> PgStore::integrity_problems() {
  // PostgreSQL has no PRAGMA integrity_check: the server checksums pages (when the cluster has
  // data checksums) and reports a damaged one on reading it, and amcheck is an extension a
  // refnet role cannot count on. What it can say cheaply, off its catalog, of refnet's tables
  // (those of the current schema): that every CHECK and foreign key constraint holds for every
  // row (one added NOT VALID, or never validated, is not known to: pg_constraint.convalidated),
  // that every index is valid, ready and live (a CREATE INDEX CONCURRENTLY or REINDEX that failed
  // leaves one that is not, and a unique index that is not enforces nothing: pg_index), and that
  // no trigger is disabled (ALTER TABLE ... DISABLE TRIGGER, or ENABLE REPLICA TRIGGER, which
  // fires only in replication: a disabled trigger keeps no audit actor, no append-only audit, no
  // kept count, and, for the internal ones of a foreign key, no foreign key). Nothing of the rows
  // is read: foreign_key_problems and count_problems read them.
  auto s = prepare(R"sql(
    SELECT what FROM (
      SELECT 1 AS part, t.relname AS tab, c.conname AS name,
             format('%s constraint %s on %s is not validated',
                    CASE c.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key'
                                   ELSE c.contype::text END,
                    c.conname, t.relname) AS what
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE t.relnamespace = to_regnamespace(current_schema()) AND NOT c.convalidated
      UNION ALL
      SELECT 2, t.relname, x.relname,
             format('index %s on %s is %s', x.relname, t.relname,
                    CASE WHEN NOT i.indislive THEN 'being dropped'
                         WHEN NOT i.indisready THEN 'not ready'
                         ELSE 'invalid' END)
      FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = to_regnamespace(current_schema())
        AND NOT (i.indisvalid AND i.indisready AND i.indislive)
      UNION ALL
      SELECT DISTINCT 3, t.relname, c.conname,
             format('foreign key %s on %s is not enforced: a trigger of it is disabled',
                    c.conname, t.relname)
      FROM pg_trigger g JOIN pg_constraint c ON c.oid = g.tgconstraint
      JOIN pg_class t ON t.oid = c.conrelid
      WHERE t.relnamespace = to_regnamespace(current_schema()) AND g.tgisinternal
        AND g.tgenabled IN ('D', 'R')
      UNION ALL
      SELECT 4, t.relname, g.tgname, format('trigger %s on %s is disabled', g.tgname, t.relname)
      FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
      WHERE t.relnamespace = to_regnamespace(current_schema()) AND NOT g.tgisinternal
        AND g.tgenabled IN ('D', 'R')) p
    ORDER BY part, tab COLLATE "C", name COLLATE "C")sql");
  std::vector<std::string> problems;
  while (s.executeStep()) problems.push_back(s.getColumn(0).getString());
  return problems;
}

std::vector<std::string> PgStore::foreign_key_problems() {
  // The server enforces foreign keys, but not while their triggers are disabled, nor for rows
  // written while session_replication_role was replica: each foreign key of refnet's tables is
  // checked against the rows, as PRAGMA foreign_key_check does (a row with a NULL in its key
  // refers to nothing). A row is named by its id; a table without one (contact_tag,
  // event_contact, WITHOUT ROWID on SQLite) names it "?".
  // The statement for each is made of the catalog's names, quoted by the server (quote_ident):
  // no input is spliced.
  auto keys = prepare(R"sql(
    SELECT t.relname, p.relname,
           format('SELECT %s FROM %I r WHERE %s AND NOT EXISTS '
                  '(SELECT 1 FROM %I p WHERE ROW(%s) = ROW(%s)) ORDER BY 1',
                  CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a
                                    WHERE a.attrelid = c.conrelid AND a.attname = 'id'
                                      AND NOT a.attisdropped)
                       THEN 'r.id' ELSE 'NULL::bigint' END,
                  t.relname,
                  (SELECT string_agg(format('r.%I IS NOT NULL', a.attname), ' AND ' ORDER BY k.n)
                   FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                  p.relname,
                  (SELECT string_agg(format('p.%I', a.attname), ', ' ORDER BY k.n)
                   FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum),
                  (SELECT string_agg(format('r.%I', a.attname), ', ' ORDER BY k.n)
                   FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum))
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid
    WHERE c.contype = 'f' AND t.relnamespace = to_regnamespace(current_schema())
    ORDER BY t.relname COLLATE "C", c.conname COLLATE "C")sql");
  struct Key {
    std::string table, parent, check;
  };
  std::vector<Key> found;
  while (keys.executeStep()) {
    found.push_back({keys.getColumn(0).getString(), keys.getColumn(1).getString(),
                     keys.getColumn(2).getString()});
  }
  std::vector<std::string> problems;
  for (const auto& key : found) {
    auto s = prepare(key.check);
    while (s.executeStep()) {
      problems.push_back(fmt::format(
          "{} row {}: no parent in {}", key.table,
          s.getColumn(0).isNull() ? std::string("?") : s.getColumn(0).getString(), key.parent));
    }
  }
  return problems;
}

std::vector<std::string> PgStore::count_problems() {
  // The per-day counts of migration 7 against a count of the referrals themselves.
  std::vector<std::string> problems;
  auto s = prepare(fmt::format(R"sql(
    SELECT direction, day, sum(kept), sum(kept_closed), sum(made), sum(made_closed) FROM (
      SELECT direction, day, referrals AS kept, closed AS kept_closed, 0 AS made, 0 AS made_closed
      FROM referral_day
      UNION ALL
      SELECT direction, day, 0, 0, referrals, closed FROM ({}) r) c
    GROUP BY direction, day
    HAVING sum(kept) <> sum(made) OR sum(kept_closed) <> sum(made_closed)
    ORDER BY day, direction)sql",
                               referral_day_recount));
  while (s.executeStep()) {
    problems.push_back(fmt::format(
        "referral_day {} {}: kept {} referrals, {} closed; the referrals say {}, {} closed",
        s.getColumn(1).getString(), s.getColumn(0).getString(), s.getColumn(2).getInt64(),
        s.getColumn(3).getInt64(), s.getColumn(4).getInt64(), s.getColumn(5).getInt64()));
  }
  // The search index's totals (bm25's N and average length) against its documents.
  auto totals = prepare(R"sql(
    SELECT t.docs, t.tokens, d.docs, d.tokens
    FROM (SELECT count(*) AS docs, coalesce(sum(tokens), 0) AS tokens FROM search_doc) d
    LEFT JOIN search_total t ON true
    WHERE (t.docs, t.tokens) IS DISTINCT FROM (d.docs, d.tokens))sql");
  while (totals.executeStep()) {
    problems.push_back(
        fmt::format("search_total: kept {} documents of {} words; the index holds {} of {}",
                    totals.getColumn(0).isNull() ? "no" : totals.getColumn(0).getString(),
                    totals.getColumn(1).isNull() ? "no" : totals.getColumn(1).getString(),
                    totals.getColumn(2).getInt64(), totals.getColumn(3).getInt64()));
  }
  // summary takes the closings after as-of off the kept counts through referral_ended, which
  // holds only ended referrals: a closing time on any other is what no command writes (ended
  // states are final, import refuses a step the status never passed) but psql could.
  auto closings = prepare(R"sql(
    SELECT id, status FROM referral WHERE closed_at IS NOT NULL AND status <> 'closed' ORDER BY id)sql");
  while (closings.executeStep()) {
    problems.push_back(
        fmt::format("referral {} has a closing time but is {}: only a closed one may",
                    closings.getColumn(0).getInt64(), closings.getColumn(1).getString()));
  }
  return problems;
}

}  // namespace refnet::store
