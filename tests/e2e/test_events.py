"""End-to-end: event records who was met; meeting someone plans a circle-back follow-up."""

import sqlite3
import unittest

from refnet_e2e import RefnetCase


class EventCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--specialty", "cardiology")
        self.bob = self.add("Bob Ray", "--practice", "Oak Clinic")

    def plans(self):
        return self.query("SELECT contact_id, via, due, origin, done_at FROM touchpoint"
                          " WHERE due IS NOT NULL ORDER BY id")

    def event_row(self, event_id):
        return self.query_dicts("SELECT * FROM event WHERE id = ?", event_id)[0]


class EventTest(EventCase):
    def test_table_output(self):
        result = self.ok("event", "ACC Cardiology Update", "--kind", "cme", "--date", "2026-11-20",
                         "--location", "Boston", "--met", "ann", "--met", str(self.bob))
        self.assertEqual(result.out, "Recorded event #1 ACC Cardiology Update (cme, 2026-11-20);"
                                     " met 2 contacts; 2 follow-ups planned\n")
        self.assertEqual(result.err, "")
        stored = self.event_row(1)
        self.assertEqual((stored["name"], stored["kind"], stored["date"], stored["location"]),
                         ("ACC Cardiology Update", "cme", "2026-11-20", "Boston"))
        self.assertEqual(self.query("SELECT event_id, contact_id FROM event_contact ORDER BY 2"),
                         [(1, self.ann), (1, self.bob)])

    def test_the_same_name_on_the_same_day_is_refused(self):
        first = self.ok("--format", "json", "event", "Heart Summit", "--kind", "cme", "--date",
                        "2026-11-20").json()["id"]
        self.refused(65, "event", "Heart Summit", "--kind", "cme", "--date", "2026-11-20",
                     says=f"event #{first} is already Heart Summit on 2026-11-20")
        # Another day is another event.
        self.ok("event", "Heart Summit", "--kind", "cme", "--date", "2026-11-21")

    def test_without_anyone_met(self):
        result = self.ok("event", "Grand rounds", "--kind", "hosted", "--date", "2026-11-25")
        self.assertEqual(result.out, "Recorded event #1 Grand rounds (hosted, 2026-11-25)\n")
        self.assertEqual(self.plans(), [])

    def test_json_prints_the_event(self):
        record = self.ok("--format", "json", "event", "Mixer", "--kind", "SOCIAL", "--date",
                         "2026-11-26", "--met", "ann", "--note", "rooftop").json()
        self.assertIsInstance(record, dict)
        expected = {"id": 1, "name": "Mixer", "kind": "social", "date": "2026-11-26",
                    "location": None, "met": 1, "note": "rooftop"}
        for key, value in expected.items():
            self.assertEqual(record[key], value, key)

    def test_csv_prints_one_row(self):
        rows = self.ok("--format", "csv", "event", "Seminar, part 2", "--kind", "seminar",
                       "--date", "yesterday").csv()
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows[0]["name"], rows[0]["date"], rows[0]["met"]),
                         ("Seminar, part 2", "2026-11-26", "0"))

    def test_weekday_date_means_the_last_one(self):
        self.ok("event", "Lunch", "--kind", "social", "--date", "tuesday")
        self.assertEqual(self.event_row(1)["date"], "2026-11-24")

    def test_audit_rows(self):
        self.ok("event", "Mixer", "--kind", "social", "--date", "2026-11-26",
                "--met", "ann", "--met", "bob")
        entries = self.audit()[-3:]
        self.assertEqual([(e["action"], e["entity"]) for e in entries],
                         [("event", "event"), ("plan", "touchpoint"), ("plan", "touchpoint")])
        self.assertEqual(entries[0]["entity_id"], 1)
        self.assertIsNone(entries[0]["old"])
        self.assertEqual(entries[0]["new"]["name"], "Mixer")
        self.assertEqual(entries[0]["new"]["met"], [self.ann, self.bob])
        self.assertEqual({e["new"]["contact_id"] for e in entries[1:]}, {self.ann, self.bob})

    def test_meeting_plans_a_follow_up_due_in_24h(self):
        self.ok("event", "Mixer", "--kind", "social", "--date", "2026-11-20", "--met", "ann")
        # Recorded a week later: due counts from now, so it is not overdue the moment it is written.
        self.assertEqual(self.plans(),
                         [(self.ann, "call", "2026-11-28T09:00:00Z", "after-meeting", None)])

    def test_follow_up_delay_follows_the_config(self):
        self.write_config('[sla]\nfollowup_after_meeting = "2bd"\n')
        self.ok("event", "Mixer", "--kind", "social", "--date", "today", "--met", "ann")
        self.assertEqual(self.plans(),
                         [(self.ann, "call", "2026-12-01T09:00:00Z", "after-meeting", None)])

    def test_a_contact_named_twice_is_met_once(self):
        result = self.ok("event", "Mixer", "--kind", "social", "--date", "2026-11-26",
                         "--met", "ann", "--met", str(self.ann), "--met", "Ann Lee")
        self.assertIn("met 1 contact; 1 follow-up planned", result.out)
        self.assertEqual(len(self.plans()), 1)

    def test_a_contact_with_an_open_plan_gets_no_second_one(self):
        self.ok("followup", "ann", "--due", "monday")
        result = self.ok("event", "Mixer", "--kind", "social", "--date", "2026-11-26",
                         "--met", "ann", "--met", "bob")
        self.assertIn("met 2 contacts; 1 follow-up planned", result.out)
        self.assertEqual([p[0] for p in self.plans()], [self.ann, self.bob])

    def test_refusals_change_nothing(self):
        self.refused(2, "event", "Mixer", "--date", "2026-11-26", says="--kind")
        self.refused(2, "event", "Mixer", "--kind", "party", "--date", "2026-11-26",
                     says=["invalid --kind 'party'", "cme, conference, seminar"])
        self.refused(2, "event", "Mixer", "--kind", "social", says="--date")
        self.refused(2, "event", "Mixer", "--kind", "social", "--date", "2026-11-31",
                     says="invalid --date '2026-11-31'")
        self.refused(2, "event", "  ", "--kind", "social", "--date", "2026-11-26",
                     says="an event needs a name")
        self.refused(2, "event", "Mixer", "--kind", "social", "--date", "2026-11-26", "--venue", "x",
                     says="--venue")
        self.refused(65, "event", "Mixer", "--kind", "social", "--date", "2026-11-26",
                     "--met", "ann", "--met", "Zed", says="no contact matches 'Zed'")
        self.add("Ann Leeds")
        self.refused(65, "event", "Mixer", "--kind", "social", "--date", "2026-11-26",
                     "--met", "ann", says=["'ann' matches 2 contacts", "Ann Leeds"])

    def test_a_merged_duplicate_is_refused(self):
        dup = self.add("Dr. A. Lee")
        self.ok("merge", "Ann Lee", str(dup))
        self.refused(65, "event", "Mixer", "--kind", "social", "--date", "2026-11-26",
                     "--met", str(dup), says=[f"was merged into #{self.ann}", f"--met {self.ann}"])

    def test_name_is_trimmed(self):
        self.ok("event", "  Mixer  ", "--kind", "social", "--date", "2026-11-26")
        self.assertEqual(self.event_row(1)["name"], "Mixer")
        self.add("Carol Diaz", "--event", "Mixer")


class AddAtEventTest(EventCase):
    def setUp(self):
        super().setUp()
        self.ok("event", "Heart Summit", "--kind", "conference", "--date", "2026-11-20")

    def test_add_with_event_and_source_plans_a_follow_up(self):
        result = self.ok("add", "Carol Diaz", "--event", "Heart Summit", "--source", "conference")
        self.assertEqual(result.out, "Added contact #3 Carol Diaz (other);"
                                     " follow-up planned, due 2026-11-28 09:00\n")
        self.assertEqual(self.plans(), [(3, "call", "2026-11-28T09:00:00Z", "after-meeting", None)])
        self.assertEqual(self.query("SELECT event_id, source FROM contact WHERE id = 3"),
                         [(1, "conference")])
        actions = [(e["action"], e["entity"]) for e in self.audit()[-3:]]
        self.assertEqual(actions, [("add", "contact"), ("met", "event"), ("plan", "touchpoint")])

    def test_add_with_event_alone_plans_a_follow_up(self):
        record = self.ok("--format", "json", "add", "Carol Diaz", "--event", "heart summit").json()
        self.assertEqual(record["event"], "Heart Summit")
        self.assertEqual(len(self.plans()), 1)

    def test_event_by_id_and_the_most_recent_of_a_name(self):
        self.ok("event", "Heart Summit", "--kind", "conference", "--date", "2025-11-20")
        self.ok("event", "Heart Summit", "--kind", "conference", "--date", "2026-11-21")
        carol = self.add("Carol Diaz", "--event", "Heart Summit")
        self.assertEqual(self.query("SELECT event_id FROM contact WHERE id = ?", carol), [(3,)])
        dan = self.add("Dan Wu", "--event", "1")
        self.assertEqual(self.query("SELECT event_id FROM contact WHERE id = ?", dan), [(1,)])

    def test_unknown_event_is_refused(self):
        self.refused(65, "add", "Carol Diaz", "--event", "Lung Summit", "--source", "conference",
                     says=["no event named 'Lung Summit'", "refnet event NAME"])
        self.refused(65, "add", "Carol Diaz", "--event", "9", says="no event with id 9")
        self.refused(65, "edit", "ann", "--event", "Lung Summit", says="no event named 'Lung Summit'")


if __name__ == "__main__":
    unittest.main()
