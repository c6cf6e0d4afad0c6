"""void: a referral, touchpoint or event entered in error leaves everything, and stays on record."""

import csv
import io
import json
import unittest

from refnet_e2e import RefnetCase


class VoidCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--role", "pcp")
        self.raj = self.add("Raj Patel", "--role", "specialist")
        self.kept = self.refer("--from", "ann", "--patient", "P-KEEP", "--date", "2026-11-20T09:00:00Z")
        self.wrong = self.refer("--from", "ann", "--patient", "P-WRONG", "--date", "2026-11-21T09:00:00Z")


class VoidReferralTest(VoidCase):
    def test_a_voided_referral_leaves_every_listing_report_and_export(self):
        out = self.ok("void", "--referral", str(self.wrong), "--reason", "entered for the wrong patient").out
        self.assertIn(f"Voided referral #{self.wrong} (from Ann Lee, patient P-WRONG)", out)
        self.assertIn("with it", out, "its open thank-you goes with it")
        ids = lambda rows: [r["id"] for r in rows]  # noqa
        self.assertEqual(ids(self.rows("list", "referrals")), [self.kept])
        exported = json.loads(self.ok("export", "referrals", "--format", "json").out)
        self.assertEqual(ids(exported), [self.kept])
        recip = self.rows("report", "reciprocity")
        self.assertEqual([(r["contact"], r["in"]) for r in recip], [("Ann Lee", 1)])
        summary = {(r["section"], r["metric"]): r["value"] for r in self.rows("report", "summary")}
        self.assertEqual(summary[("referrals", "in")], 1)
        overdue = self.rows("report", "overdue")
        self.assertNotIn("P-WRONG", json.dumps(overdue))
        completions = self.ok("__complete", "referrals", "").out
        self.assertNotIn(str(self.wrong), completions.split())
        # Its thank-you plan is voided with it; the kept referral's stays.
        plans = self.rows("list", "followups")
        self.assertEqual([p["referral_id"] for p in plans], [self.kept])
        # Still in the database and the log, and listed with --voided.
        voided = self.rows("list", "referrals", "--voided")
        self.assertEqual([(v["id"], v["patient"], v["reason"]) for v in voided],
                         [(self.wrong, "P-WRONG", "entered for the wrong patient")])
        self.assertEqual(self.query("SELECT entity, id FROM voided ORDER BY entity"),
                         [("referral", self.wrong), ("touchpoint", plans[0]["id"] + 1)])
        log = self.rows("log", "--referral", str(self.wrong))
        self.assertEqual([e["action"] for e in log][-1], "void")
        self.assertIn("entered for the wrong patient", self.ok("log", "--referral", str(self.wrong)).out)
        # show names it as voided; its id is never given again.
        self.refused(65, "show", "--referral", str(self.wrong), says=["was voided", "--voided"])
        again = self.refer("--to", "raj", "--patient", "P-NEW")
        self.assertGreater(again, self.wrong)

    def test_redacted_and_csv(self):
        self.ok("void", "--referral", str(self.wrong), "--reason", "duplicate")
        rows = list(csv.DictReader(io.StringIO(self.ok("list", "referrals", "--voided", "--redact",
                                                       "--format", "csv").out)))
        self.assertEqual(len(rows), 1)
        self.assertTrue(rows[0]["patient"].startswith("P-"))
        self.assertNotEqual(rows[0]["patient"], "P-WRONG")

    def test_touchpoints_that_happened_stay(self):
        call = self.ok("--format", "json", "followup", "ann", "--via", "call", "--referral",
                       str(self.wrong)).json()["id"]
        self.ok("void", "--referral", str(self.wrong), "--reason", "duplicate")
        done = [t for t in self.rows("list", "followups") if t["id"] == call]
        self.assertEqual(len(done), 1)
        self.assertIsNone(done[0]["referral_id"])

    def test_a_file_naming_a_voided_id_gets_another(self):
        self.ok("void", "--referral", str(self.wrong), "--reason", "duplicate")
        path = self.write_file("ids.csv", "id,direction,contact,patient,referred\n"
                               f"{self.wrong},in,Ann Lee,P-IMP,2026-11-22T09:00:00Z\n")
        self.ok("import", "referrals", path)
        imported = [r["id"] for r in self.rows("list", "referrals") if r["patient"] == "P-IMP"]
        self.assertEqual(len(imported), 1)
        self.assertNotEqual(imported[0], self.wrong)
        # Voiding it in turn works: its id is its own.
        self.ok("void", "--referral", str(imported[0]), "--reason", "test row")

    def test_import_after_a_void_gives_new_ids(self):
        self.ok("void", "--referral", str(self.wrong), "--reason", "duplicate")
        path = self.write_file("more.csv", "direction,contact,patient,referred\nin,Ann Lee,P-IMP,2026-11-22T09:00:00Z\n")
        self.ok("import", "referrals", path)
        ids = [r["id"] for r in self.rows("list", "referrals")]
        self.assertNotIn(self.wrong, ids)
        self.assertEqual(len(ids), 2)


class VoidOthersTest(VoidCase):
    def test_a_voided_touchpoint_reopens_the_plans_it_satisfied(self):
        plans = [p["id"] for p in self.rows("list", "followups", "--open")]
        self.assertTrue(plans)
        call = self.ok("--format", "json", "followup", "ann", "--via", "call").json()["id"]
        self.assertEqual(self.rows("list", "followups", "--open"), [])
        self.ok("void", "--touchpoint", str(call), "--reason", "logged for the wrong contact")
        self.assertEqual([p["id"] for p in self.rows("list", "followups", "--open")], plans)
        voided = self.rows("list", "followups", "--voided")
        self.assertEqual([(v["id"], v["contact"], v["reason"]) for v in voided],
                         [(call, "Ann Lee", "logged for the wrong contact")])

    def test_a_voided_event_credits_no_one(self):
        event = self.ok("--format", "json", "event", "Spring CME", "--kind", "cme", "--date", "2026-03-01",
                        "--met", "ann").json()["id"]
        self.ok("edit", "ann", "--event", str(event))
        by_event = lambda: [r["name"] for r in self.rows("report", "sources") if r["by"] == "event"]  # noqa
        self.assertIn("Spring CME", by_event())
        self.ok("void", "--event", str(event), "--reason", "never took place")
        self.assertEqual(by_event(), ["no event"])
        self.assertEqual(self.rows("list", "events"), [])
        self.assertEqual([v["name"] for v in self.rows("list", "events", "--voided")], ["Spring CME"])
        self.assertIsNone(self.query("SELECT event_id FROM contact WHERE id = ?", self.ann)[0][0])


class VoidRefusalsTest(VoidCase):
    def test_refusals_change_nothing(self):
        self.ok("void", "--referral", str(self.kept), "--reason", "duplicate")
        before = self.dump()
        for args, code, says in (
                (("void", "--referral", str(self.wrong)), 2, "--reason"),
                (("void", "--referral", str(self.wrong), "--reason", "  "), 2, "--reason cannot be empty"),
                (("void", "--reason", "x"), 2, "say what to void"),
                (("void", "--referral", str(self.wrong), "--event", "1", "--reason", "x"), 2, "excludes"),
                (("void", "--referral", "99", "--reason", "x"), 65, "no referral #99"),
                (("void", "--referral", str(self.kept), "--reason", "x"), 65, "was voided"),
                (("void", "--touchpoint", "99", "--reason", "x"), 65, "no touchpoint #99"),
                (("void", "--event", "5", "--reason", "x"), 65, "no event #5"),
                (("list", "referrals", "--voided", "--open"), 2, "no other filter")):
            with self.subTest(args=args):
                result = self.assertUnchanged(before, *args, code=code)
                self.assertIn(says, result.err)


if __name__ == "__main__":
    unittest.main()
