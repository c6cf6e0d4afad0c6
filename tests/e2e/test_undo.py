"""undo: takes back one command's changes (its change set in the audit trail), and is audited."""

import json
import unittest

from refnet_e2e import POSTGRES, RefnetCase


def build_network(case):
    """A small network with something of every kind for commands to change."""
    case.init()
    ids = {}
    ids["gala"] = case.ok("--format", "json", "event", "Cardiology Gala", "--kind", "social",
                          "--date", "2026-10-01").json()["id"]
    ids["ann"] = case.add("Ann Lee", "--role", "pcp", "--practice", "Elm Clinic", "--tag", "spanish",
                          "--npi", "1234567893")
    ids["raj"] = case.add("Raj Patel", "--role", "specialist", "--event", "Cardiology Gala",
                          "--tag", "cardio")
    ids["dup"] = case.add("A. Lee", "--role", "pcp", "--practice", "Oak Clinic",
                          "--npi", "1245319599", "--tag", "Spanish", "--tag", "board")
    ids["in1"] = case.refer("--from", "ann", "--patient", "P-001", "--reason", "chest pain",
                            "--date", "2026-10-20T09:00:00Z")
    ids["out1"] = case.refer("--to", "raj", "--patient", "P-002", "--date", "2026-10-25T09:00:00Z")
    ids["dupref"] = case.refer("--from", str(ids["dup"]), "--patient", "P-003",
                               "--date", "2026-10-26T09:00:00Z")
    ids["call"] = case.ok("--format", "json", "followup", "ann", "--via", "call", "--referral",
                          str(ids["in1"]), "--note", "thanked her").json()["id"]
    ids["plan"] = case.ok("--format", "json", "followup", "raj", "--due", "2026-11-10",
                          "--note", "ask about the echo").json()["id"]
    return ids


class UndoCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def records(self):
        """The database as SQL text without the audit trail (undo adds to it) and the search
        index's own storage (its segments are laid out anew; what it finds is compared apart). On
        PostgreSQL the index is rows of words, compared with the rest."""
        if POSTGRES:
            return self.dump(without=("audit",))
        return "\n".join(line for line in self.dump().splitlines()
                         if not line.startswith(('INSERT INTO "audit"', 'INSERT INTO "search_')))

    def found(self):
        words = ["ann", "lee", "elm", "oak", "raj", "chest", "echo", "thanked", "gala", "wrong",
                 "renamed", "note"]
        return {w: self.ok("search", w, "--format", "json").json() for w in words}

    def round_trip(self, *command):
        """Runs `command`, then undo: the records and what search finds are as before."""
        before, found = self.records(), self.found()
        self.ok(*command)
        self.assertNotEqual(self.records(), before, f"refnet {' '.join(command)} changed nothing")
        result = self.ok("undo")
        self.assertIn("Undid change #", result.out)
        self.assertEqual(self.records(), before, f"undo did not take back {' '.join(command)}")
        self.assertEqual(self.found(), found)
        self.ok("db", "check")
        return result


class RoundTripTest(UndoCase):
    def test_contacts(self):
        self.round_trip("add", "Mia Wong", "--role", "allied", "--event", "Cardiology Gala",
                        "--tag", "pt", "--note", "physio note")
        self.round_trip("edit", "ann", "--name", "Ann Renamed", "--phone", "555-0100",
                        "--tag", "new", "--untag", "spanish")
        self.round_trip("archive", "raj")
        self.ok("archive", "raj")
        self.round_trip("archive", "raj", "--undo")

    def test_merge_puts_both_contacts_and_their_history_back(self):
        result = self.round_trip("merge", str(self.ids["ann"]), str(self.ids["dup"]))
        self.assertIn(f"contact #{self.ids['dup']}", result.out)
        self.assertIn(f"referral #{self.ids['dupref']}", result.out)

    def test_merge_that_moved_the_npi_is_taken_back_too(self):
        # Raj has no NPI: the duplicate's moves to him, and must be free again for it.
        self.round_trip("merge", str(self.ids["raj"]), str(self.ids["dup"]))

    def test_referrals(self):
        self.round_trip("refer", "--from", "raj", "--patient", "P-NEW", "--reason", "wrong",
                        "--urgency", "urgent")
        self.round_trip("ack", str(self.ids["in1"]))
        self.round_trip("status", str(self.ids["out1"]), "scheduled", "--appointment",
                        "2026-11-20 10:00")
        self.ok("status", str(self.ids["out1"]), "seen")
        self.round_trip("status", str(self.ids["out1"]), "new", "--correct", "--reason", "typo")
        self.round_trip("edit", "--referral", str(self.ids["in1"]), "--contact", "raj",
                        "--direction", "out", "--patient", "P-009", "--date", "2026-10-21")

    def test_voids_come_back_with_what_pointed_at_them(self):
        self.round_trip("void", "--referral", str(self.ids["in1"]), "--reason", "wrong patient")
        self.round_trip("void", "--touchpoint", str(self.ids["call"]), "--reason", "never called")
        self.round_trip("void", "--event", str(self.ids["gala"]), "--reason", "never held")
        self.assertEqual(self.query("SELECT count(*) FROM voided"), [(0,)])

    def test_followups_and_events(self):
        self.round_trip("followup", "raj", "--via", "email", "--note", "sent the note")
        self.round_trip("followup", "ann", "--due", "friday", "--note", "lunch note")
        self.round_trip("followup", "done", str(self.ids["plan"]))
        self.round_trip("followup", "dismiss", str(self.ids["plan"]))
        self.round_trip("event", "Grand Rounds", "--kind", "cme", "--date", "2026-11-01",
                        "--met", "ann", "--met", "raj", "--note", "good note")


class WalkBackTest(UndoCase):
    def test_each_undo_takes_the_one_before_until_none_is_left(self):
        first = self.records()
        self.ok("add", "Mia Wong")
        self.ok("refer", "--from", "mia", "--patient", "P-MIA")
        self.ok("undo")
        self.assertEqual([c["name"] for c in self.rows("list", "contacts") if c["name"] == "Mia Wong"],
                         ["Mia Wong"], "the first undo takes back only the referral")
        self.ok("undo")
        self.assertEqual(self.records(), first)

    def test_nothing_left_to_undo(self):
        empty = self.home + "/empty.db"
        self.ok("--db", empty, "init")
        with open(empty, "rb") as f:
            before = f.read()
        result = self.fails(65, "--db", empty, "undo")
        self.assertIn("nothing to undo", result.err)
        with open(empty, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_dry_run_changes_nothing_and_says_what_it_would_do(self):
        self.ok("ack", str(self.ids["in1"]))
        before = self.dump()
        out = self.ok("undo", "--dry-run").out
        self.assertIn("Would undo change #", out)
        self.assertIn(f"referral #{self.ids['in1']}: status: \"acknowledged\" → \"new\"", out)
        self.assertIn("Nothing was changed (--dry-run).", out)
        self.assertEqual(self.dump(), before, "a dry run wrote")
        rows = self.rows("undo", "--dry-run")
        self.assertTrue(all(r["dry_run"] is True for r in rows))
        self.assertIn(("referral", self.ids["in1"]), [(r["entity"], r["entity_id"]) for r in rows])
        self.assertEqual(self.dump(), before)

    def test_undo_is_audited_and_is_not_itself_undone(self):
        self.ok("ack", str(self.ids["in1"]))
        self.ok("undo")
        entries = self.audit()
        ack = next(e for e in reversed(entries) if e["action"] == "ack")
        undo = [e for e in entries if e["action"] == "undo"]
        self.assertTrue(undo)
        self.assertTrue(all(e["change_set"] == undo[0]["change_set"] for e in undo))
        self.assertGreater(undo[0]["change_set"], ack["change_set"])
        self.assertIn('status: "acknowledged" → "new"', [e["changes"] for e in undo][0])
        self.refused(65, "undo", str(undo[0]["change_set"]), says="is an undo")
        self.refused(65, "undo", str(ack["change_set"]), says="taken back already")
        # The next undo walks past both, to the change before the ack.
        out = self.ok("undo", "--dry-run").out
        self.assertNotIn(f"change #{ack['change_set']} ", out)


class RefusalTest(UndoCase):
    def test_a_later_change_that_depends_on_it(self):
        added = self.ok("--format", "json", "add", "Mia Wong").json()["id"]
        change = self.audit()[-1]["change_set"]
        referral = self.refer("--from", "mia", "--patient", "P-MIA")
        self.refused(65, "undo", str(change),
                     says=[f"contact #{added}", f"referral #{referral}", "refer to it"])

    def test_a_record_changed_since(self):
        self.ok("refer", "--from", "raj", "--patient", "P-RAJ")
        change = self.audit()[-1]["change_set"]
        referral = self.rows("list", "referrals")[-1]["id"]
        self.ok("ack", str(referral))
        ack = self.audit()[-1]["change_set"]
        self.refused(65, "undo", str(change),
                     says=[f"referral #{referral} changed since", f"by change #{ack} (ack"])
        # Taking back the ack first lets the referral go.
        self.ok("undo")
        self.ok("undo")
        self.assertNotIn(referral, [r["id"] for r in self.rows("list", "referrals")])

    def test_an_older_independent_change_can_be_taken_back(self):
        self.ok("edit", "raj", "--city", "Springfield")
        city = self.audit()[-1]["change_set"]
        self.ok("ack", str(self.ids["in1"]))
        self.ok("undo", str(city))
        raj = next(c for c in self.rows("list", "contacts") if c["id"] == self.ids["raj"])
        self.assertIsNone(raj.get("city"))
        self.assertEqual(next(r for r in self.rows("list", "referrals")
                              if r["id"] == self.ids["in1"])["status"], "acknowledged")

    def test_an_import_is_not_undone_record_by_record(self):
        path = self.write_file("more.csv", "name,role\nZed Zhou,pcp\n")
        self.ok("import", "contacts", path)
        self.refused(65, "undo", says=["import of the whole database", "cannot be undone"])

    def test_no_such_change(self):
        self.refused(65, "undo", "99999", says="no change #99999")
        self.refused(2, "undo", "abc")


class ConflictTest(UndoCase):
    """An older change taken back after others: what it would put back must still fit."""

    def last_change(self):
        return self.audit()[-1]["change_set"]

    def test_an_id_taken_out_is_never_given_again(self):
        bob = self.add("Bob Roe")
        bob_added = self.last_change()
        referral = self.refer("--from", str(bob), "--patient", "P-BOB")
        self.ok("edit", "--referral", str(referral), "--contact", str(self.ids["ann"]))
        moved = self.last_change()
        self.ok("undo", str(bob_added))  # nothing refers to Bob any more
        zed = self.add("Zed Zhu")
        self.assertGreater(zed, bob, "Bob's id went to another contact")
        self.refused(65, "undo", str(moved), says=[f"contact #{bob} is gone"])

    def test_an_import_does_not_give_an_undone_id_either(self):
        referral = self.refer("--from", "raj", "--patient", "P-GONE")
        self.ok("undo")
        path = self.write_file("ids.csv", "id,direction,contact_id,patient,referred\n"
                               f"{referral},in,{self.ids['raj']},P-NEW,2026-11-29T10:00:00Z\n")
        self.ok("import", "referrals", path)
        new = [r["id"] for r in self.rows("list", "referrals") if r["patient"] == "P-NEW"]
        self.assertEqual(len(new), 1)
        self.assertNotEqual(new[0], referral, "the log would mix the undone referral into it")

    def test_a_later_edit_of_a_referral_reason_is_seen(self):
        self.ok("ack", str(self.ids["in1"]))
        ack = self.last_change()
        self.ok("edit", "--referral", str(self.ids["in1"]), "--reason", "knee pain")
        self.refused(65, "undo", str(ack), says=[f"referral #{self.ids['in1']} changed since (reason)"])

    def test_a_correction_keeps_its_why_apart_from_the_referral_reason(self):
        self.ok("status", str(self.ids["in1"]), "seen")
        self.round_trip("status", str(self.ids["in1"]), "new", "--correct", "--reason", "typo")

    def test_an_npi_held_by_another_since(self):
        self.ok("edit", "ann", "--npi", "1245319581")
        edit = self.last_change()
        other = self.add("Bob Roe", "--npi", "1234567893")
        self.refused(65, "undo", str(edit), says=[f"contact #{other} is active with the same NPI"])

    def test_a_name_and_practice_taken_again_since(self):
        self.ok("archive", "raj")
        archived = self.last_change()
        again = self.add("Raj Patel", "--role", "specialist")
        self.refused(65, "undo", str(archived),
                     says=[f"contact #{again} is active with the same name and practice"])

    def test_voids_taken_back_in_either_order(self):
        before = self.records()
        self.ok("void", "--referral", str(self.ids["in1"]), "--reason", "wrong")
        first = self.last_change()
        self.ok("void", "--touchpoint", str(self.ids["call"]), "--reason", "never called")
        second = self.last_change()
        self.ok("undo", str(first))
        self.ok("undo", str(second))
        self.assertEqual(self.records(), before)


class OutputTest(UndoCase):
    def test_json_rows_and_redaction(self):
        self.ok("edit", "--referral", str(self.ids["in1"]), "--patient", "P-SECRET")
        rows = self.rows("undo", "--redact")
        self.assertEqual([(r["entity"], r["entity_id"]) for r in rows], [("referral", self.ids["in1"])])
        self.assertNotIn("P-SECRET", json.dumps(rows))
        self.assertNotIn("P-001", json.dumps(rows))
        self.assertIs(rows[0]["dry_run"], False)


if __name__ == "__main__":
    unittest.main()
