"""show CONTACT, show --referral ID, and log: the card, the timeline and the audit trail."""

import os
import unittest

from refnet_e2e import POSTGRES, RefnetCase


def build_relationship(case):
    """Ann refers to us twice and we refer to her once; Bob is a bystander."""
    case.init()
    ids = {}
    ids["ann"] = case.add("Ann Lee", "--role", "pcp", "--specialty", "Family Medicine",
                          "--practice", "Elm Street", "--npi", "1234567893", "--phone", "555-0100",
                          "--email", "ann@example.org", "--city", "Springfield", "--source", "linkedin",
                          "--tag", "diabetes", "--note", "prefers fax", now="2026-11-01T10:00:00Z")
    ids["bob"] = case.add("Bob Stone", "--role", "specialist", now="2026-11-01T11:00:00Z")
    ids["in1"] = case.refer("--from", "Ann", "--patient", "P-1", "--reason", "knee pain",
                            "--date", "2026-11-10T09:00:00Z", now="2026-11-10T09:00:00Z")
    ids["in2"] = case.refer("--from", "Ann", "--patient", "P-2", "--urgency", "urgent",
                            "--date", "2026-11-20T09:00:00Z", now="2026-11-20T09:00:00Z")
    ids["out1"] = case.refer("--to", "Ann", "--patient", "P-3", "--date", "2026-11-15T09:00:00Z",
                             now="2026-11-15T09:00:00Z")
    ids["bob1"] = case.refer("--to", "Bob", "--patient", "P-9", now="2026-11-16T09:00:00Z")
    case.ok("ack", str(ids["in1"]), "--date", "2026-11-10T15:00:00Z", now="2026-11-10T15:00:00Z")
    case.ok("status", str(ids["in1"]), "scheduled", "--date", "2026-11-12T10:00:00Z",
            now="2026-11-12T10:00:00Z")
    case.ok("status", str(ids["in1"]), "seen", "--date", "2026-11-14T10:00:00Z",
            now="2026-11-14T10:00:00Z")
    case.ok("status", str(ids["in1"]), "closed", "--date", "2026-11-18T10:00:00Z",
            now="2026-11-18T10:00:00Z")
    case.ok("followup", "Ann", "--via", "call", "--referral", str(ids["in1"]), "--note", "thanked her",
            "--date", "2026-11-11T10:00:00Z", now="2026-11-11T10:00:00Z")
    case.ok("followup", "Ann", "--due", "2026-12-01T09:00:00Z", "--via", "visit",
            "--note", "lunch", now="2026-11-21T10:00:00Z")
    case.ok("event", "Fall CME", "--kind", "cme", "--date", "2026-10-10", "--met", "Ann",
            now="2026-11-21T11:00:00Z")
    return ids


class ShowContact(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_relationship)

    def card(self, *args):
        return self.ok("show", *args, "--format", "json").json()

    def test_json_is_one_object_with_contact_referrals_touchpoints_events(self):
        card = self.card("Ann")
        self.assertIsInstance(card, dict)
        self.assertEqual(set(card), {"contact", "referrals", "touchpoints", "events"})
        contact = card["contact"]
        self.assertEqual(contact["id"], self.ids["ann"])
        self.assertEqual(contact["name"], "Ann Lee")
        for key, value in [("role", "pcp"), ("specialty", "Family Medicine"), ("practice", "Elm Street"),
                           ("npi", "1234567893"), ("phone", "555-0100"), ("email", "ann@example.org"),
                           ("city", "Springfield"), ("source", "linkedin"), ("note", "prefers fax"),
                           ("created", "2026-11-01T10:00:00Z"), ("archived", None)]:
            self.assertEqual(contact[key], value, key)
        self.assertIn("diabetes", contact["tags"])

    def test_referrals_both_ways_and_only_hers(self):
        card = self.card("Ann")
        referrals = card["referrals"]
        self.assertEqual(sorted(r["id"] for r in referrals),
                         sorted([self.ids["in1"], self.ids["in2"], self.ids["out1"]]))
        self.assertEqual({r["direction"] for r in referrals}, {"in", "out"})
        self.assertTrue(all(r["contact"] == "Ann Lee" for r in referrals))
        closed = next(r for r in referrals if r["id"] == self.ids["in1"])
        self.assertEqual(closed["status"], "closed")
        self.assertEqual(closed["closed"], "2026-11-18T10:00:00Z")

    def test_reciprocity_in_out_balance(self):
        contact = self.card("Ann")["contact"]
        self.assertEqual(contact["referrals_in"], 2)
        self.assertEqual(contact["referrals_out"], 1)
        self.assertEqual(contact["balance"], 1)
        self.assertEqual(contact["last_in"], "2026-11-20T09:00:00Z")
        self.assertEqual(contact["last_out"], "2026-11-15T09:00:00Z")
        self.assertEqual(contact["last_touch"], "2026-11-11T10:00:00Z")
        bob = self.card("Bob")["contact"]
        self.assertEqual((bob["referrals_in"], bob["referrals_out"], bob["balance"]), (0, 1, -1))
        self.assertIsNone(bob["last_in"])

    def test_touchpoints_and_events(self):
        card = self.card("Ann")
        notes = [t["note"] for t in card["touchpoints"]]
        self.assertIn("thanked her", notes)
        self.assertIn("lunch", notes)
        self.assertTrue(all(t["contact"] == "Ann Lee" for t in card["touchpoints"]))
        self.assertEqual([e["name"] for e in card["events"]], ["Fall CME"])
        self.assertEqual(self.card("Bob")["events"], [])

    def test_table_card_shows_details_reciprocity_and_sections(self):
        out = self.ok("show", "Ann Lee").out
        # Every detail is on the card, also those too wide for a listing's table.
        for text in ("Ann Lee", "Family Medicine", "Elm Street", "1234567893", "Springfield",
                     "diabetes", "555-0100", "ann@example.org", "prefers fax", "2026-11-01 10:00",
                     "P-1", "P-2", "P-3", "Fall CME"):
            self.assertIn(text, out)
        self.assertRegex(out, r"Phone:\s+555-0100")
        self.assertRegex(out, r"Email:\s+ann@example.org")
        self.assertRegex(out, r"Note:\s+prefers fax")
        self.assertRegex(out, r"Referrals in:\s+2\b")
        self.assertRegex(out, r"Referrals out:\s+1\b")
        self.assertRegex(out, r"Balance:\s+1\b")
        self.assertNotIn("P-9", out)  # Bob's referral
        lines = out.splitlines()
        for section in ("Referrals", "Touchpoints", "Events"):
            self.assertTrue(any(line.startswith(section) for line in lines), f"{section} section")

    def test_table_says_none_for_empty_sections(self):
        out = self.ok("show", "Bob").out
        self.assertRegex(out, r"Events: none")
        self.assertIn("Bob Stone", out)

    def test_contact_by_id_npi_and_name_part(self):
        for who in (str(self.ids["ann"]), "1234567893", "ann", "LEE"):
            with self.subTest(who=who):
                self.assertEqual(self.card(who)["contact"]["id"], self.ids["ann"])

    def test_archived_contact_shows_with_its_archive_time(self):
        self.ok("archive", "Bob", now="2026-11-25T10:00:00Z")
        self.assertEqual(self.card("Bob")["contact"]["archived"], "2026-11-25T10:00:00Z")

    def test_csv_and_tsv_are_refused_with_exit_2_and_a_hint(self):
        for fmt in ("csv", "tsv"):
            with self.subTest(fmt=fmt):
                result = self.fails(2, "show", "Ann", "--format", fmt)
                self.assertEqual(result.out, "")
                self.assertIn("list", result.err)  # points to a listing that does csv

    def test_unknown_contact_exits_65(self):
        result = self.fails(65, "show", "Nobody Here")
        self.assertEqual(result.out, "")
        self.fails(65, "show", "999")

    def test_ambiguous_contact_lists_candidates(self):
        self.add("Anna Berg")
        result = self.fails(65, "show", "ann")
        self.assertIn("Ann Lee", result.err)
        self.assertIn("Anna Berg", result.err)

    def test_nothing_to_show_is_a_usage_error(self):
        self.fails(2, "show")
        self.fails(2, "show", "Ann", "--referral", "1")

    def test_show_changes_nothing(self):
        before = self.dump()
        self.ok("show", "Ann")
        self.ok("show", "--referral", str(self.ids["in1"]))
        self.assertEqual(self.dump(), before)


class ShowReferral(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_relationship)

    def test_json_has_referral_timeline_and_touchpoints(self):
        card = self.ok("show", "--referral", str(self.ids["in1"]), "--format", "json").json()
        self.assertEqual(set(card), {"referral", "timeline", "touchpoints"})
        self.assertEqual(card["referral"]["id"], self.ids["in1"])
        self.assertEqual(card["referral"]["patient"], "P-1")
        self.assertEqual(card["referral"]["reason"], "knee pain")
        self.assertEqual(card["timeline"], [
            {"status": "referred", "at": "2026-11-10T09:00:00Z"},
            {"status": "acknowledged", "at": "2026-11-10T15:00:00Z"},
            {"status": "scheduled", "at": "2026-11-12T10:00:00Z"},
            {"status": "seen", "at": "2026-11-14T10:00:00Z"},
            {"status": "closed", "at": "2026-11-18T10:00:00Z"},
        ])
        # The call logged about it, and the thank-you planned when it came in.
        self.assertIn("thanked her", [t["note"] for t in card["touchpoints"]])
        self.assertTrue(all(t["referral_id"] == self.ids["in1"] for t in card["touchpoints"]))

    def test_skipped_steps_stay_out_of_the_timeline(self):
        self.ok("status", str(self.ids["out1"]), "seen", "--date", "2026-11-20T10:00:00Z")
        card = self.ok("show", "--referral", str(self.ids["out1"]), "--format", "json").json()
        self.assertEqual([step["status"] for step in card["timeline"]], ["referred", "seen"])
        self.assertIsNone(card["referral"]["acknowledged"])

    def test_declined_shows_reason(self):
        self.ok("status", str(self.ids["bob1"]), "declined", "--reason", "not my field")
        card = self.ok("show", "--referral", f"#{self.ids['bob1']}", "--format", "json").json()
        self.assertEqual(card["referral"]["decline_reason"], "not my field")
        self.assertEqual(card["timeline"][-1]["status"], "declined")

    def test_table_timeline(self):
        out = self.ok("show", "--referral", str(self.ids["in1"])).out
        self.assertIn("Timeline", out)
        for status in ("referred", "acknowledged", "scheduled", "seen", "closed"):
            self.assertRegex(out, rf"(?m)^{status}\s+2026-11-")
        self.assertIn("Ann Lee", out)
        self.assertRegex(out, r"Note:|Report due:")  # the card holds every field, not a table's few
        self.assertRegex(out, r"Closed:\s+2026-11-18 10:00")

    def test_csv_refused(self):
        self.fails(2, "show", "--referral", str(self.ids["in1"]), "--format", "csv")

    def test_unknown_and_malformed_referral(self):
        self.fails(65, "show", "--referral", "999")
        self.fails(2, "show", "--referral", "abc")


class Log(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_relationship)

    def entries(self, *args):
        return self.ok("log", *args, "--format", "json").json()

    def test_every_mutation_is_logged_in_order(self):
        entries = self.entries()
        self.assertEqual([e["id"] for e in entries], sorted(e["id"] for e in entries))
        actions = [(e["action"], e["entity"], e["entity_id"]) for e in entries]
        self.assertIn(("add", "contact", self.ids["ann"]), actions)
        self.assertIn(("add", "contact", self.ids["bob"]), actions)
        for key in ("in1", "in2", "out1", "bob1"):
            self.assertIn(("refer", "referral", self.ids[key]), actions)
        statuses = [e for e in entries if e["entity"] == "referral" and e["entity_id"] == self.ids["in1"]
                    and e["old"] is not None]
        self.assertEqual([e["new"]["status"] for e in statuses],
                         ["acknowledged", "scheduled", "seen", "closed"])
        self.assertTrue(any(e["entity"] == "event" for e in entries))
        self.assertTrue(any(e["entity"] == "touchpoint" for e in entries))
        for e in entries:
            self.assertRegex(e["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertTrue(e["actor"])

    def test_each_mutating_command_leaves_an_entry(self):
        planned = lambda: self.ok("--format", "json", "followup", "Bob", "--due", "+3d").json()["id"]  # noqa
        steps = [
            (("add", "Cara Diaz"), "contact"),
            (("edit", "Cara", "--city", "Boston"), "contact"),
            (("add", "Cara D."), "contact"),
            (("merge", "Cara Diaz", "Cara D."), "contact"),
            (("archive", "Cara Diaz"), "contact"),
            (("refer", "--to", "Bob", "--patient", "P-7"), "referral"),
            (("ack", str(self.ids["bob1"])), "referral"),
            (("status", str(self.ids["bob1"]), "scheduled"), "referral"),
            (("followup", "Ann", "--via", "email"), "touchpoint"),
            (("followup", "Bob", "--due", "+2d", "--via", "visit"), "touchpoint"),
            (lambda: ("followup", "done", str(planned())), "touchpoint"),
            (lambda: ("followup", "dismiss", str(planned())), "touchpoint"),
            (("event", "Spring CME", "--kind", "cme", "--date", "2026-11-20", "--met", "Bob"), "event"),
        ]
        for args, entity in steps:
            if callable(args):
                args = args()
            with self.subTest(args=args):
                count = len(self.entries())
                self.ok(*args)
                new = self.entries()[count:]
                self.assertTrue(new, f"refnet {' '.join(args)} left no audit entry")
                self.assertIn(entity, {e["entity"] for e in new})
                for e in new:
                    self.assertTrue(e["new"] is not None or e["old"] is not None)
                    if e["old"] is not None and e["new"] is not None:
                        self.assertNotEqual(e["changes"], "", "a change says what changed")

    def test_json_old_and_new_are_objects(self):
        entries = self.entries()
        creation = next(e for e in entries if e["action"] == "add" and e["entity_id"] == self.ids["ann"])
        self.assertIsNone(creation["old"])
        self.assertIsInstance(creation["new"], dict)
        self.assertEqual(creation["new"]["name"], "Ann Lee")
        change = next(e for e in entries if e["old"] is not None)
        self.assertIsInstance(change["old"], dict)
        self.assertIsInstance(change["new"], dict)

    def test_edit_shows_old_and_new_values(self):
        self.ok("edit", "Ann", "--city", "Shelbyville", "--phone", "", now="2026-11-26T10:00:00Z")
        entries = self.entries("--contact", "Ann")
        edit = entries[-1]
        self.assertEqual(edit["action"], "edit")
        self.assertEqual(edit["old"]["city"], "Springfield")
        self.assertEqual(edit["new"]["city"], "Shelbyville")
        self.assertIn('city: "Springfield" → "Shelbyville"', edit["changes"])
        self.assertEqual(edit["at"], "2026-11-26T10:00:00Z")
        table = self.ok("log", "--contact", "Ann").out
        self.assertIn("Springfield", table)
        self.assertIn("→", table)
        self.assertIn("Shelbyville", table)

    def test_status_change_shows_old_and_new_status(self):
        entry = [e for e in self.entries("--referral", str(self.ids["in1"])) if e["old"]][0]
        self.assertIn('status: "new" → "acknowledged"', entry["changes"])
        self.assertEqual(entry["old"]["status"], "new")
        self.assertEqual(entry["new"]["status"], "acknowledged")

    def test_since(self):
        entries = self.entries("--since", "2026-11-18")
        self.assertTrue(entries)
        self.assertTrue(all(e["at"] >= "2026-11-18T00:00:00Z" for e in entries))
        everything = self.entries()
        self.assertEqual(entries, [e for e in everything if e["at"] >= "2026-11-18"])
        self.assertEqual(self.entries("--since", "2027-01-01"), [])

    def concerns(self, entry, key, value):
        return any(side and side.get(key) == value for side in (entry["old"], entry["new"]))

    def test_contact_filter_covers_everything_about_the_contact(self):
        ann = self.ids["ann"]
        entries = self.entries("--contact", "Ann")
        everything = self.entries()
        expected = [e for e in everything
                    if (e["entity"] == "contact" and e["entity_id"] == ann)
                    or (e["entity"] in ("referral", "touchpoint") and self.concerns(e, "contact_id", ann))
                    or (e["entity"] == "event" and any(ann in (side or {}).get("met", [])
                                                       for side in (e["old"], e["new"])))]
        self.assertEqual([e["id"] for e in entries], [e["id"] for e in expected])
        kinds = {(e["entity"], e["action"]) for e in entries}
        for kind in (("contact", "add"), ("referral", "refer"), ("referral", "status"),
                     ("touchpoint", "followup"), ("event", "event")):
            self.assertIn(kind, kinds)
        self.assertFalse(any(e["entity"] == "referral" and e["entity_id"] == self.ids["bob1"] for e in entries))
        bob = self.entries("--contact", "Bob")
        self.assertEqual({(e["entity"], e["entity_id"]) for e in bob},
                         {("contact", self.ids["bob"]), ("referral", self.ids["bob1"])})

    def test_referral_filter_covers_its_touchpoints(self):
        entries = self.entries("--referral", str(self.ids["in1"]))
        own = [e for e in entries if e["entity"] == "referral"]
        self.assertEqual(len(own), 5)  # refer, ack, scheduled, seen, closed
        self.assertTrue(all(e["entity_id"] == self.ids["in1"] for e in own))
        others = [e for e in entries if e["entity"] != "referral"]
        self.assertTrue(others, "the thank-you planned and the call logged about it")
        self.assertTrue(all(e["entity"] == "touchpoint" and self.concerns(e, "referral_id", self.ids["in1"])
                            for e in others))

    def test_filter_errors(self):
        self.fails(65, "log", "--contact", "Nobody")
        self.fails(65, "log", "--referral", "999")
        self.fails(2, "log", "--since", "whenever")
        self.fails(2, "log", "--contact", "Ann", "--referral", "1")

    def test_csv_log_parses(self):
        rows = self.ok("log", "--format", "csv").csv()
        self.assertEqual(len(rows), len(self.entries()))
        self.assertEqual(list(rows[0]), ["id", "change_set", "at", "actor", "action", "entity", "entity_id", "changes",
                                         "old", "new"])

    def test_bulk_commands_leave_one_entry_each(self):
        path = os.path.join(self.home, "in.csv")
        files = {
            "contacts": "name,role\nDan Diaz,pcp\n",
            "referrals": "direction,contact,patient,referred\nin,Bob Stone,P-20,2026-11-20T09:00:00Z\n",
            "touchpoints": "contact,via,done_at\nBob Stone,call,2026-11-20T09:00:00Z\n",
            "events": "name,kind,date\nWinter CME,cme,2026-11-02\n",
        }
        for entity, text in files.items():
            with self.subTest(entity=entity):
                with open(path, "w") as f:
                    f.write(text)
                count = len(self.entries())
                self.ok("import", entity, path, "--dry-run")
                self.assertEqual(len(self.entries()), count, "a dry run logs nothing")
                self.ok("import", entity, path)
                new = self.entries()[count:]
                self.assertEqual([(e["action"], e["entity"]) for e in new], [("import", "database")])
                self.assertEqual(new[0]["new"]["entity"], entity)
                self.assertEqual(new[0]["new"]["added"], 1)
        demo = os.path.join(self.home, "demo.db")
        self.ok("--db", demo, "demo", "--contacts", "5", "--referrals", "10")
        entries = self.ok("--db", demo, "log", "--format", "json").json()
        self.assertEqual([(e["action"], e["entity"]) for e in entries], [("demo", "database")])
        # init creates an empty database: no data changed, so nothing to log.
        fresh = os.path.join(self.home, "fresh.db")
        self.ok("--db", fresh, "init")
        self.assertEqual(self.ok("--db", fresh, "log", "--format", "json").json(), [])

    def test_refused_commands_log_nothing(self):
        in1, out1 = str(self.ids["in1"]), str(self.ids["out1"])
        self.ok("archive", "Bob")
        self.ok("followup", "Ann", "--via", "email")  # satisfies Ann's open plans
        done = str(self.ok("--format", "json", "followup", "Ann", "--via", "call").json()["id"])
        bad = os.path.join(self.home, "bad.csv")
        with open(bad, "w") as f:
            f.write("name,role\nGood One,pcp\nBad Role,wizard\n")
        refusals = [
            # a bad value
            (2, ("add", "Cara", "--role", "wizard")),
            (2, ("add", "Cara", "--npi", "1234567890")),
            (2, ("add", "")),
            (2, ("refer", "--from", "Ann", "--patient", "P", "--urgency", "soon")),
            (2, ("refer", "--from", "Ann", "--patient", "")),
            (2, ("followup", "Ann", "--via", "pigeon")),
            (2, ("followup", "Ann", "--date", "+2d")),
            (2, ("event", "X", "--kind", "party", "--date", "2026-11-01")),
            (2, ("status", out1, "misplaced")),
            (65, ("import", "contacts", bad)),
            # an unknown, ambiguous or retired contact
            (65, ("edit", "Nobody", "--city", "X")),
            (65, ("refer", "--from", "Nobody", "--patient", "P")),
            (65, ("refer", "--to", "Bob", "--patient", "P")),
            (65, ("followup", "Nobody")),
            (65, ("followup", "Bob", "--due", "+1d")),
            (65, ("event", "X", "--kind", "cme", "--date", "2026-11-01", "--met", "Nobody")),
            (65, ("merge", "Ann", "Nobody")),
            (65, ("merge", "Ann", "Ann")),
            (65, ("archive", "Bob")),
            (65, ("add", "Ann Twin", "--npi", "1234567893")),
            (65, ("ack", "999")),
            # a disallowed transition
            (2, ("status", in1, "new")),
            (65, ("ack", in1)),
            (65, ("status", in1, "seen")),
            (65, ("status", out1, "declined")),
            (65, ("followup", "done", done)),
            (65, ("followup", "dismiss", "999")),
            (65, ("demo",)),
        ]
        count = len(self.entries())
        for code, args in refusals:
            with self.subTest(args=args):
                self.refused(code, *args)
        self.assertEqual(len(self.entries()), count)

    def test_log_is_append_only_in_the_database(self):
        if POSTGRES:
            import psycopg2
            refused = psycopg2.Error
        else:
            import sqlite3
            refused = sqlite3.DatabaseError
        for sql in ("DELETE FROM audit", "UPDATE audit SET actor = 'someone'"):
            with self.subTest(sql=sql), self.assertRaises(refused):
                self.query(sql)
        if POSTGRES:
            with self.assertRaises(refused):
                self.query("TRUNCATE audit")


if __name__ == "__main__":
    unittest.main()
