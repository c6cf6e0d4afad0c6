"""End-to-end: followup logs a touchpoint, plans one with --due, and closes plans (done, dismiss)."""

import sqlite3
import unittest

from refnet_e2e import RefnetCase

LATER = "2026-11-27T10:30:00Z"  # the same Friday, after the plans made at 09:00


class FollowupCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--role", "pcp")
        self.bob = self.add("Bob Ray", "--role", "specialist")

    def touchpoint(self, touchpoint_id):
        return self.query_dicts("SELECT * FROM touchpoint WHERE id = ?", touchpoint_id)[0]

    def plan(self, who, due, *args, **kwargs):
        return self.ok("--format", "json", "followup", who, "--due", due, *args, **kwargs).json()["id"]

    def log(self, who, *args, **kwargs):
        return self.ok("--format", "json", "followup", who, *args, **kwargs).json()["id"]


class LogTest(FollowupCase):
    def test_log_a_touchpoint(self):
        result = self.ok("followup", "ann", "--via", "email", "--note", "thanked for the referral")
        self.assertEqual(result.out, "Logged email #1 with Ann Lee at 2026-11-27 09:00\n")
        self.assertEqual(result.err, "")
        stored = self.touchpoint(1)
        self.assertEqual((stored["contact_id"], stored["via"], stored["done_at"], stored["due"],
                          stored["origin"], stored["note"]),
                         (self.ann, "email", "2026-11-27T09:00:00Z", None, "manual",
                          "thanked for the referral"))

    def test_json_prints_the_touchpoint(self):
        record = self.ok("--format", "json", "followup", "Ann Lee", "--date",
                         "2026-11-26T14:00:00Z").json()
        self.assertIsInstance(record, dict)
        expected = {"id": 1, "contact_id": self.ann, "contact": "Ann Lee", "state": "done",
                    "via": "call", "due": None, "done_at": "2026-11-26T14:00:00Z",
                    "referral_id": None, "origin": "manual", "satisfied_by": None,
                    "dismissed_at": None, "note": None, "created": "2026-11-27T09:00:00Z"}
        for key, value in expected.items():
            self.assertEqual(record[key], value, key)

    def test_csv_prints_one_row(self):
        rows = self.ok("--format", "csv", "followup", "bob", "--via", "video", "--note",
                       "=SUM(A1)").csv()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["via"], "video")
        self.assertEqual(rows[0]["state"], "done")
        self.assertNotEqual(rows[0]["note"], "=SUM(A1)", "a formula must be neutralised")

    def test_audit_row(self):
        touchpoint = self.log("ann", "--via", "visit")
        entry = self.audit()[-1]
        self.assertEqual((entry["action"], entry["entity"], entry["entity_id"]),
                         ("followup", "touchpoint", touchpoint))
        self.assertIsNone(entry["old"])
        self.assertEqual(entry["new"]["via"], "visit")
        self.assertEqual(entry["new"]["done_at"], "2026-11-27T09:00:00Z")

    def test_about_a_referral_of_the_same_contact(self):
        referral = self.refer("--to", "bob", "--patient", "P")
        touchpoint = self.log("bob", "--referral", str(referral), "--via", "update")
        self.assertEqual(self.touchpoint(touchpoint)["referral_id"], referral)

    def test_refusals_change_nothing(self):
        theirs = self.refer("--to", "bob", "--patient", "P")
        self.refused(65, "followup", "ann", "--referral", str(theirs),
                     says=f"referral #{theirs} is with Bob Ray, not Ann Lee")
        self.refused(65, "followup", "ann", "--referral", "42", says="no referral #42")
        self.refused(2, "followup", "ann", "--referral", "x", says="invalid referral id 'x'")
        self.refused(2, "followup", "ann", "--via", "fax",
                     says=["invalid --via 'fax'", "call, email, visit"])
        self.refused(2, "followup", "ann", "--date", "tomorrow", says="future")
        self.refused(2, "followup", "ann", "--date", "2026-02-30", says="invalid --date")
        self.refused(2, "followup", "ann", "--date", "", says="invalid --date ''")
        self.refused(2, "followup", "ann", "--referral", "", says="invalid referral id ''")
        self.refused(2, "followup", "ann", "--date", "yesterday", "--due", "friday",
                     says=["--date", "--due"])
        self.refused(2, "followup", says="CONTACT")
        self.refused(2, "followup", "ann", "--when", "now", says="--when")
        self.refused(65, "followup", "Zed", says="no contact matches 'Zed'")
        self.add("Ann Leeds")
        self.refused(65, "followup", "ann", says=["'ann' matches 2 contacts", "Ann Leeds"])


class PlanTest(FollowupCase):
    def test_plan_with_a_weekday_relative_or_date(self):
        cases = [
            ("friday", "2026-12-04T23:59:59Z"),   # today is Friday: the coming one is next week's
            ("monday", "2026-11-30T23:59:59Z"),
            ("tomorrow", "2026-11-28T23:59:59Z"),
            ("+3d", "2026-11-30T09:00:00Z"),
            ("+4h", "2026-11-27T13:00:00Z"),
            ("2026-12-10", "2026-12-10T23:59:59Z"),
            ("2026-12-10T15:00Z", "2026-12-10T15:00:00Z"),
            # What people type (issue: "--due friday 14:30" was refused).
            ("next friday", "2026-12-04T23:59:59Z"),
            ("friday 14:30", "2026-12-04T14:30:00Z"),
            ("today 14:30", "2026-11-27T14:30:00Z"),
            ("tomorrow 9am", "2026-11-28T09:00:00Z"),
            ("14:30", "2026-11-27T14:30:00Z"),
            ("+1bd", "2026-11-30T09:00:00Z"),
            ("2w", "2026-12-11T09:00:00Z"),
            ("+2w", "2026-12-11T09:00:00Z"),
            ("in 3 days", "2026-11-30T09:00:00Z"),
        ]
        for due, stored in cases:
            with self.subTest(due=due):
                plan = self.plan("ann", due)
                self.assertEqual(self.touchpoint(plan)["due"], stored)
                self.assertIsNone(self.touchpoint(plan)["done_at"])

    def test_a_named_day_ends_at_local_midnight(self):
        new_york = {"TZ": "America/New_York"}
        result = self.ok("followup", "ann", "--due", "2026-12-10", env=new_york)
        self.assertEqual(result.out, "Planned follow-up #1 with Ann Lee (call), due 2026-12-10 23:59\n")
        self.assertEqual(self.touchpoint(1)["due"], "2026-12-11T04:59:59Z")

    def test_table_json_csv_and_audit(self):
        result = self.ok("followup", "ann", "--due", "friday", "--via", "visit", "--note", "lunch")
        self.assertEqual(result.out, "Planned follow-up #1 with Ann Lee (visit), due 2026-12-04 23:59\n")
        self.assertEqual(result.err, "")
        record = self.ok("--format", "json", "followup", "ann", "--due", "+3d").json()
        self.assertEqual((record["id"], record["state"], record["due"], record["done_at"],
                          record["origin"]),
                         (2, "planned", "2026-11-30T09:00:00Z", None, "manual"))
        rows = self.ok("--format", "csv", "followup", "bob", "--due", "2026-12-10").csv()
        self.assertEqual([(r["state"], r["due"]) for r in rows], [("planned", "2026-12-10T23:59:59Z")])
        entry = self.audit()[-1]
        self.assertEqual((entry["action"], entry["entity"], entry["entity_id"]),
                         ("plan", "touchpoint", 3))
        self.assertEqual(entry["new"]["due"], "2026-12-10T23:59:59Z")

    def test_planning_satisfies_nothing(self):
        first = self.plan("ann", "+1d")
        self.plan("ann", "+2d", now=LATER)
        self.assertIsNone(self.touchpoint(first)["satisfied_by"])

    def test_bad_due_is_a_usage_error(self):
        self.refused(2, "followup", "ann", "--due", "someday", says="invalid --due 'someday'")
        self.refused(2, "followup", "ann", "--due", "", says="--due")
        self.refused(2, "followup", "ann", "--due", "2026-02-30",
                     says="invalid --due '2026-02-30': February 2026 has 28 days")


class SatisfyTest(FollowupCase):
    def test_a_later_touchpoint_satisfies_open_plans_of_the_contact_and_says_which(self):
        first = self.plan("ann", "+3d")
        second = self.plan("ann", "2026-12-10", "--via", "visit")
        others = self.plan("bob", "+3d")
        result = self.ok("followup", "ann", "--via", "email", now=LATER)
        logged = 4
        self.assertEqual(result.out,
                         f"Logged email #{logged} with Ann Lee at 2026-11-27 10:30\n"
                         f"Satisfied planned follow-up #{first} (call, due 2026-11-30 09:00)\n"
                         f"Satisfied planned follow-up #{second} (visit, due 2026-12-10 23:59)\n")
        self.assertEqual(self.touchpoint(first)["satisfied_by"], logged)
        self.assertEqual(self.touchpoint(second)["satisfied_by"], logged)
        self.assertIsNone(self.touchpoint(others)["satisfied_by"])
        entries = self.audit()[-3:]
        self.assertEqual([(e["action"], e["entity_id"]) for e in entries],
                         [("followup", logged), ("satisfy", first), ("satisfy", second)])
        self.assertIsNone(entries[1]["old"]["satisfied_by"])
        self.assertEqual(entries[1]["new"]["satisfied_by"], logged)

    def test_satisfied_plan_shows_as_satisfied(self):
        plan = self.plan("ann", "+3d")
        self.log("ann", now=LATER)
        record = self.ok("--format", "json", "followup", "ann", "--due", "+1w").json()
        self.assertEqual(record["state"], "planned")
        self.refused(65, "followup", "done", str(plan), says="(it is satisfied)")

    def test_logging_a_call_clears_the_thank_you_after_a_referral(self):
        self.refer("--from", "ann", "--patient", "P")
        result = self.ok("followup", "ann", now=LATER)
        self.assertIn("Satisfied planned follow-up #1 (call, due 2026-11-28 09:00)", result.out)
        self.assertEqual(self.query("SELECT satisfied_by FROM touchpoint WHERE id = 1"), [(2,)])

    def test_a_touchpoint_dated_before_the_plan_was_made_does_not_satisfy_it(self):
        plan = self.plan("ann", "+3d")
        result = self.ok("followup", "ann", "--date", "2026-11-26T16:00:00Z", now=LATER)
        self.assertEqual(result.out, "Logged call #2 with Ann Lee at 2026-11-26 16:00\n")
        self.assertIsNone(self.touchpoint(plan)["satisfied_by"])
        self.assertEqual(self.audit()[-1]["action"], "followup")

    def test_a_merged_duplicate_is_refused_so_plans_of_keep_are_not_missed(self):
        dup = self.add("Dr. A. Lee")
        self.plan("ann", "+3d")
        self.ok("merge", "Ann Lee", str(dup))
        self.refused(65, "followup", str(dup), now=LATER,
                     says=[f"Dr. A. Lee (#{dup}) was merged into #{self.ann}",
                           f"refnet followup {self.ann}"])
        self.refused(65, "followup", str(dup), "--due", "+1d", says="was merged into")

    def test_no_plans_with_an_archived_contact(self):
        self.ok("archive", "bob")
        self.refused(65, "followup", str(self.bob), "--due", "+1d",
                     says=[f"Bob Ray (#{self.bob}) is archived"])
        self.log(str(self.bob), "--note", "met at the retirement party")

    def test_closed_plans_are_not_satisfied_again(self):
        dismissed = self.plan("ann", "+3d")
        done = self.plan("ann", "+4d")
        self.ok("followup", "dismiss", str(dismissed))
        self.ok("followup", "done", str(done))
        self.log("ann", now=LATER)
        self.assertIsNone(self.touchpoint(dismissed)["satisfied_by"])
        self.assertIsNone(self.touchpoint(done)["satisfied_by"])


class DoneDismissTest(FollowupCase):
    def test_done_marks_the_plan_done(self):
        plan = self.plan("ann", "+3d")
        result = self.ok("followup", "done", str(plan), now=LATER)
        self.assertEqual(result.out, f"Follow-up #{plan} with Ann Lee done\n")
        self.assertEqual(result.err, "")
        self.assertEqual(self.touchpoint(plan)["done_at"], LATER)
        entry = self.audit()[-1]
        self.assertEqual((entry["action"], entry["entity"], entry["entity_id"]),
                         ("done", "touchpoint", plan))
        self.assertIsNone(entry["old"]["done_at"])
        self.assertEqual(entry["new"]["done_at"], LATER)

    def test_done_json_csv_and_date(self):
        first = self.plan("ann", "+3d")
        second = self.plan("bob", "+3d")
        record = self.ok("--format", "json", "followup", "done", str(first), "--date",
                         "2026-11-27T09:30:00Z", now=LATER).json()
        self.assertEqual((record["id"], record["state"], record["done_at"]),
                         (first, "done", "2026-11-27T09:30:00Z"))
        rows = self.ok("--format", "csv", "followup", "done", str(second)).csv()
        self.assertEqual([(r["id"], r["state"]) for r in rows], [(str(second), "done")])

    def test_done_satisfies_the_other_open_plans_of_the_contact(self):
        first = self.plan("ann", "+3d")
        second = self.plan("ann", "+1w")
        result = self.ok("followup", "done", str(second), now=LATER)
        self.assertEqual(result.out, f"Follow-up #{second} with Ann Lee done\n"
                                     f"Satisfied planned follow-up #{first} (call, due 2026-11-30 09:00)\n")
        self.assertEqual(self.touchpoint(first)["satisfied_by"], second)

    def test_dismiss(self):
        plan = self.plan("ann", "+3d")
        other = self.plan("ann", "+1w")
        result = self.ok("followup", "dismiss", str(plan), now=LATER)
        self.assertEqual(result.out, f"Dismissed follow-up #{plan} with Ann Lee\n")
        self.assertEqual(self.touchpoint(plan)["dismissed_at"], LATER)
        self.assertIsNone(self.touchpoint(other)["satisfied_by"], "dismissing is not a touchpoint")
        entry = self.audit()[-1]
        self.assertEqual((entry["action"], entry["entity"], entry["entity_id"]),
                         ("dismiss", "touchpoint", plan))
        self.assertEqual(entry["new"]["dismissed_at"], LATER)
        record = self.ok("--format", "json", "followup", "dismiss", str(other)).json()
        self.assertEqual(record["state"], "dismissed")
        third = self.plan("bob", "+1d")
        rows = self.ok("--format", "csv", "followup", "dismiss", str(third)).csv()
        self.assertEqual([(r["id"], r["state"]) for r in rows], [(str(third), "dismissed")])

    def test_only_an_open_plan_can_be_closed(self):
        done = self.plan("ann", "+3d")
        dismissed = self.plan("bob", "+3d")
        logged = self.log("bob", "--date", "2026-11-26")
        self.ok("followup", "done", str(done))
        self.ok("followup", "dismiss", str(dismissed))
        for verb in ("done", "dismiss"):
            with self.subTest(verb=verb):
                self.refused(65, "followup", verb, str(done),
                             says=[f"follow-up #{done} is not an open plan (it is done)",
                                   "refnet list followups --open"])
                self.refused(65, "followup", verb, str(dismissed), says="(it is dismissed)")
                self.refused(65, "followup", verb, str(logged), says="(it is done)")
                self.refused(65, "followup", verb, "99", says="no follow-up #99")
                self.refused(2, "followup", verb, "first", says="invalid follow-up id 'first'")
                self.refused(2, "followup", verb, says="ID")

    def test_done_and_dismiss_take_an_id_only(self):
        plan = self.plan("ann", "+3d")
        for verb in ("done", "dismiss"):
            with self.subTest(verb=verb):
                self.refused(2, "followup", "ann", verb, str(plan), says=f"followup {verb} takes")
                self.refused(2, "followup", verb, str(plan), "--due", "friday", says="--due")
                self.refused(2, "followup", verb, str(plan), "--via", "email", says="--via")

    def test_done_date_must_have_happened(self):
        plan = self.plan("ann", "+3d")
        self.refused(2, "followup", "done", str(plan), "--date", "tomorrow", says="future")
        self.refused(2, "followup", "done", str(plan), "--date", "soon", says="invalid --date")
        self.refused(2, "followup", "done", str(plan), "--date", "", says="invalid --date ''")


if __name__ == "__main__":
    unittest.main()
