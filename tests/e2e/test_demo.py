"""End-to-end: `refnet demo` fills an empty database with a synthetic network, deterministically."""

import json
import os
import re
import sqlite3
import unittest

from refnet_e2e import RefnetCase, sqlite_only

SUMMARY = re.compile(
    r"^Demo network in (?P<db>.+): (?P<contacts>\d+) contacts, (?P<events>\d+) events, "
    r"(?P<referrals>\d+) referrals, (?P<touchpoints>\d+) touchpoints \(seed (?P<seed>\d+)\)$")


def npi_is_valid(npi):
    """The CMS rule: Luhn over 80840 + the ten digits."""
    if not re.fullmatch(r"[12]\d{9}", npi):
        return False
    total = 0
    for position, char in enumerate(reversed("80840" + npi)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def dump(path):
    with sqlite3.connect(path) as conn:
        return "\n".join(conn.iterdump())


class DemoTest(RefnetCase):
    def scratch(self, name):
        return os.path.join(self.home, name)

    def test_fills_an_empty_database_and_prints_a_summary(self):
        result = self.ok("demo")
        self.assertEqual(result.err, "")
        first_line = result.out.splitlines()[0]
        match = SUMMARY.match(first_line)
        self.assertIsNotNone(match, result.out)
        self.assertEqual(match["db"], self.location)
        self.assertEqual((match["contacts"], match["events"], match["referrals"], match["seed"]),
                         ("60", "6", "400", "42"))
        counts = self.query("SELECT (SELECT count(*) FROM contact), (SELECT count(*) FROM event),"
                            " (SELECT count(*) FROM referral), (SELECT count(*) FROM touchpoint)")[0]
        self.assertEqual(counts, (60, 6, 400, int(match["touchpoints"])))

    def test_writes_one_audit_row_for_the_whole_demo(self):
        self.ok("demo", "--contacts", "20", "--referrals", "50", "--seed", "3")
        rows = self.query("SELECT action, entity, entity_id, old, new FROM audit")
        self.assertEqual(len(rows), 1, rows)
        action, entity, entity_id, old, new = rows[0]
        self.assertEqual((action, entity, entity_id, old), ("demo", "database", 0, None))
        summary = json.loads(new)
        touchpoints = self.query("SELECT count(*) FROM touchpoint")[0][0]
        self.assertEqual(summary, {"contacts": 20, "events": 2, "referrals": 50,
                                   "touchpoints": touchpoints, "seed": 3})

    def test_the_same_seed_gives_the_same_database(self):
        a, b, c = self.scratch("a.db"), self.scratch("b.db"), self.scratch("c.db")
        self.ok("--db", a, "demo", "--contacts", "40", "--referrals", "300", "--seed", "7")
        self.ok("--db", b, "demo", "--contacts", "40", "--referrals", "300", "--seed", "7")
        self.ok("--db", c, "demo", "--contacts", "40", "--referrals", "300", "--seed", "8")
        self.assertEqual(dump(a), dump(b))
        self.assertNotEqual(dump(a), dump(c))

    def test_refuses_a_database_that_holds_contacts(self):
        self.init()
        self.add("Dr. Ann Lee", "--role", "pcp")
        result = self.refused(65, "demo", says=("already holds contacts", "only an empty database"))
        self.assertIn("--db", result.err)  # the hint says where else to put it

    def test_refuses_to_run_twice(self):
        self.ok("demo", "--contacts", "10", "--referrals", "20")
        self.refused(65, "demo", "--contacts", "10", "--referrals", "20", says="already holds contacts")

    def test_bad_counts_are_usage_errors_and_create_nothing(self):
        self.fails(2, "demo", "--contacts", "0")
        self.fails(2, "demo", "--referrals", "-1")
        self.fails(2, "demo", "--contacts", "many")
        self.assertFalse(os.path.exists(self.db))

    def test_json_prints_the_summary_as_one_object(self):
        result = self.ok("--format", "json", "demo", "--contacts", "30", "--referrals", "100")
        record = result.json()
        self.assertIsInstance(record, dict)
        self.assertEqual(record["database"], self.location)
        self.assertEqual((record["contacts"], record["events"], record["referrals"], record["seed"]),
                         (30, 3, 100, 42))
        self.assertEqual(record["touchpoints"], self.query("SELECT count(*) FROM touchpoint")[0][0])

    def test_csv_prints_a_header_and_one_row(self):
        result = self.ok("--format", "csv", "demo", "--contacts", "5", "--referrals", "10")
        rows = result.csv()
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows[0]["contacts"], rows[0]["referrals"]), ("5", "10"))

    @sqlite_only("the file and its journal")
    def test_leaves_the_file_in_wal_with_no_journal_beside_it(self):
        # The fill itself writes through SQLite's rollback journal (see Store::RollbackJournal).
        self.ok("demo", "--contacts", "30", "--referrals", "200")
        for suffix in ("-journal", "-wal"):
            self.assertFalse(os.path.exists(self.db + suffix), suffix)
        self.assertEqual(self.query("PRAGMA journal_mode"), [("wal",)])
        self.assertEqual(self.query("PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(self.query("SELECT count(*) FROM referral"), [(200,)])

    @sqlite_only("the file and its journal")
    def test_another_connection_on_the_file_neither_blocks_nor_breaks_the_demo(self):
        # An empty database someone has open: the demo fills it in WAL, without waiting for the
        # other connection (the busy timeout is five minutes), and the reader sees the result.
        self.write_config('[database]\nbusy_timeout = "5m"\n')
        self.ok("init")
        reader = sqlite3.connect(self.db)
        self.addCleanup(reader.close)
        self.assertEqual(reader.execute("SELECT count(*) FROM contact").fetchone(), (0,))
        result = self.ok("demo", "--contacts", "30", "--referrals", "200")  # 60 s at most
        self.assertIn("30 contacts", result.out)
        self.assertEqual(reader.execute("SELECT count(*) FROM referral").fetchone(), (200,))
        self.assertEqual(reader.execute("PRAGMA journal_mode").fetchone(), ("wal",))

    def test_smallest_networks_work(self):
        self.ok("--db", self.scratch("one.db"), "demo", "--contacts", "1", "--referrals", "5")
        self.ok("--db", self.scratch("none.db"), "demo", "--contacts", "3", "--referrals", "0")

    def test_overdue_report_has_work_afterwards(self):
        self.ok("demo")
        items = self.ok("--format", "json", "report", "overdue").json()
        self.assertIsInstance(items, list)
        self.assertGreater(len(items), 0)
        self.assertEqual(self.run_refnet("report", "overdue", "--check").code, 1)

    def test_the_overdue_list_is_a_busy_practice_not_one_in_chaos(self):
        # The first thing `make demo` shows: most items days or weeks late, a few long ones, and
        # keep-in-touch clocks that ran out weeks ago, not years (an earlier demo opened with a
        # 641-day-old "get back in touch").
        for seed in ("42", "7", "2026"):
            with self.subTest(seed=seed):
                db = self.scratch(f"busy-{seed}.db")
                self.ok("--db", db, "demo", "--seed", seed)
                items = self.ok("--db", db, "--format", "json", "report", "overdue").json()
                late_days = sorted(item["late_hours"] / 24 for item in items)
                self.assertGreaterEqual(len(items), 5)
                self.assertLessEqual(len(items), 60)
                recent = [d for d in late_days if d <= 45]
                self.assertGreaterEqual(len(recent), len(items) * 2 / 3, late_days)
                self.assertLessEqual(sum(d > 120 for d in late_days), 2, late_days)
                keep = [i["late_hours"] / 24 for i in items if i["kind"] == "keep-in-touch"]
                self.assertLessEqual(max(keep, default=0), 180, keep)

    @sqlite_only("PRAGMA foreign_key_check")
    def test_every_reference_holds_though_the_demo_writes_with_foreign_keys_unchecked(self):
        # Store::UncheckedKeys: the demo's own ids are right by construction; db check, which
        # checks every foreign key, integrity and the kept counts, agrees.
        self.ok("demo", "--contacts", "80", "--referrals", "600", "--seed", "11")
        self.assertEqual(self.query("PRAGMA foreign_key_check"), [])
        result = self.ok("--format", "json", "db", "check")
        self.assertEqual(result.err, "")
        self.assertEqual({row["check"]: row["ok"] for row in result.json()},
                         {"integrity": True, "foreign_keys": True, "counts": True,
                          "schema_version": True})

    @sqlite_only("a trigger written in SQLite's SQL")
    def test_a_write_that_fails_mid_demo_stops_it_and_leaves_the_database_empty(self):
        # The simulation runs ahead of the writes on its own thread (demo/pipe.hpp); a failed
        # write must stop it rather than leave it waiting, and roll everything back.
        self.ok("init")
        self.write_sql("CREATE TRIGGER refuse_one BEFORE INSERT ON referral WHEN new.id = 500"
                       " BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END")
        self.refused(65, "demo", "--contacts", "200", "--referrals", "30000",
                     says="refused by a test trigger")
        self.assertEqual(self.query("SELECT (SELECT count(*) FROM contact),"
                                    " (SELECT count(*) FROM referral)"), [(0, 0)])

    @sqlite_only("reads the file with sqlite3")
    def test_the_data_keeps_the_rules_of_the_real_commands(self):
        self.ok("demo", "--contacts", "80", "--referrals", "600", "--seed", "11")
        conn = sqlite3.connect(self.db)
        self.addCleanup(conn.close)
        now = "2026-11-27T09:00:00Z"

        npis = [npi for (npi,) in conn.execute("SELECT npi FROM contact WHERE npi IS NOT NULL")]
        self.assertTrue(npis)
        self.assertEqual([n for n in npis if not npi_is_valid(n)], [])
        self.assertEqual(len(npis), len(set(npis)))
        names = [name for (name,) in conn.execute("SELECT name FROM contact")]
        self.assertEqual(len(names), len(set(names)), "names are unique, so a whole name finds one")
        for (email,) in conn.execute("SELECT email FROM contact WHERE email IS NOT NULL"):
            self.assertTrue(email.endswith("@example.org"), email)
        for (phone,) in conn.execute("SELECT phone FROM contact WHERE phone IS NOT NULL"):
            self.assertRegex(phone, r"^\d{3}-555-01\d\d$")
        roles = dict(conn.execute("SELECT role, count(*) FROM contact GROUP BY role"))
        self.assertEqual(roles["pcp"], 40)

        order = ["referred_at", "acknowledged_at", "scheduled_at", "seen_at", "closed_at"]
        exits = {"declined": "declined_at", "cancelled": "cancelled_at", "no-show": "no_show_at"}
        columns = order + list(exits.values()) + ["status", "patient", "report_due", "decline_reason",
                                                   "acknowledge_due"]
        statuses = set()
        for row in conn.execute(f"SELECT {', '.join(columns)} FROM referral"):
            r = dict(zip(columns, row))
            statuses.add(r["status"])
            self.assertRegex(r["patient"], r"^MRN-\d{6}$")
            self.assertGreater(r["acknowledge_due"], r["referred_at"])
            stamps = [r[c] for c in order if r[c] is not None]
            self.assertEqual(stamps, sorted(stamps), r)
            for stamp in stamps + [r[c] for c in exits.values() if r[c] is not None]:
                self.assertLessEqual(stamp, now, r)
            self.assertEqual(r["report_due"] is not None, r["seen_at"] is not None, r)
            if r["status"] in exits:
                self.assertIsNotNone(r[exits[r["status"]]], r)
                self.assertGreaterEqual(r[exits[r["status"]]], stamps[-1], r)
            else:
                self.assertEqual(stamps[-1], r[{"new": "referred_at"}.get(
                    r["status"], r["status"] + "_at")], r)
            if r["status"] == "no-show":
                self.assertIsNotNone(r["scheduled_at"], r)
            self.assertEqual(r["status"] == "declined", r["decline_reason"] is not None, r)
        self.assertTrue({"new", "closed", "declined", "cancelled", "no-show"} <= statuses, statuses)

        # Each inbound referral planned a thank-you; a satisfied plan names a later touchpoint
        # with the same contact.
        plans = conn.execute(
            "SELECT count(*) FROM touchpoint t JOIN referral r ON r.id = t.referral_id"
            " WHERE t.origin = 'after-referral' AND r.direction = 'in'").fetchone()[0]
        inbound = conn.execute("SELECT count(*) FROM referral WHERE direction = 'in'").fetchone()[0]
        self.assertEqual(plans, inbound)
        bad = conn.execute(
            "SELECT p.id FROM touchpoint p JOIN touchpoint s ON s.id = p.satisfied_by"
            " WHERE s.contact_id <> p.contact_id OR s.done_at < p.created_at OR s.done_at IS NULL"
        ).fetchall()
        self.assertEqual(bad, [])
        self.assertEqual(conn.execute(
            "SELECT count(*) FROM touchpoint WHERE coalesce(done_at, created_at) > ?",
            (now,)).fetchone()[0], 0)

        # Contacts met at an event are among its attendees.
        missing = conn.execute(
            "SELECT c.id FROM contact c WHERE c.event_id IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM event_contact m WHERE m.event_id = c.event_id AND m.contact_id = c.id)"
        ).fetchall()
        self.assertEqual(missing, [])


if __name__ == "__main__":
    unittest.main()
