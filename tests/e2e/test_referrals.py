"""End-to-end: refer, ack and status: acknowledgement clocks and the referral lifecycle."""

import sqlite3
import unittest

from refnet_e2e import RefnetCase

# Every move the lifecycle allows (refnet(1) "Referral lifecycle": skipping forward is allowed; no-show only from scheduled).
ALLOWED = {
    "new": ["acknowledged", "scheduled", "seen", "closed", "declined", "cancelled"],
    "acknowledged": ["scheduled", "seen", "closed", "declined", "cancelled"],
    "scheduled": ["seen", "closed", "declined", "cancelled", "no-show"],
    "seen": ["closed"],
    "closed": [], "declined": [], "cancelled": [], "no-show": [],
}
# How to bring a new referral to each state.
PATH = {
    "new": [],
    "acknowledged": ["acknowledged"],
    "scheduled": ["acknowledged", "scheduled"],
    "seen": ["acknowledged", "scheduled", "seen"],
    "closed": ["acknowledged", "scheduled", "seen", "closed"],
    "declined": ["declined"],
    "cancelled": ["cancelled"],
    "no-show": ["acknowledged", "scheduled", "no-show"],
}
STAMP = {
    "acknowledged": "acknowledged_at", "scheduled": "scheduled_at", "seen": "seen_at",
    "closed": "closed_at", "declined": "declined_at", "cancelled": "cancelled_at",
    "no-show": "no_show_at",
}


class ReferralCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--role", "pcp", "--practice", "Elm Street")

    def referral(self, referral_id):
        """The stored referral as a dict of column → value."""
        return self.query_dicts("SELECT * FROM referral WHERE id = ?", referral_id)[0]

    def move(self, referral_id, status, *args):
        extra = ["--reason", "no capacity"] if status == "declined" else []
        return self.ok("status", str(referral_id), status, *extra, *args)


class ReferTest(ReferralCase):
    def test_inbound_table_output_says_when_acknowledgement_is_due(self):
        result = self.ok("refer", "--from", "ann", "--patient", "MRN-1001", "--reason", "chest pain")
        self.assertEqual(
            result.out,
            "Referral #1 from Ann Lee (patient MRN-1001): acknowledge by 2026-12-01 09:00"
            " (routine 2bd)\nThank-you follow-up planned, due 2026-11-28 09:00\n")
        self.assertEqual(result.err, "")

    def test_outbound_table_output(self):
        result = self.ok("refer", "--to", "ann", "--patient", "JD", "--urgency", "urgent")
        self.assertEqual(
            result.out,
            "Referral #1 to Ann Lee (patient JD): acknowledgement expected by 2026-11-28 09:00"
            " (urgent 24h)\n")

    def test_json_prints_the_written_referral(self):
        result = self.ok("--format", "json", "refer", "--to", "Ann Lee", "--patient", "MRN-7",
                         "--reason", "echo", "--urgency", "emergent", "--note", "called ahead")
        record = result.json()
        self.assertIsInstance(record, dict)
        expected = {
            "id": 1, "direction": "out", "contact_id": self.ann, "contact": "Ann Lee",
            "patient": "MRN-7", "reason": "echo", "urgency": "emergent", "status": "new",
            "referred": "2026-11-27T09:00:00Z", "acknowledge_due": "2026-11-27T11:00:00Z",
            "acknowledged": None, "scheduled": None, "seen": None, "closed": None,
            "declined": None, "cancelled": None, "no_show": None, "report_due": None,
            "decline_reason": None, "note": "called ahead",
        }
        for key, value in expected.items():
            self.assertEqual(record[key], value, key)
        self.assertEqual(result.err, "")

    def test_patient_and_reason_are_trimmed(self):
        referral = self.refer("--from", "ann", "--patient", " MRN-9 ", "--reason", " knee ")
        stored = self.referral(referral)
        self.assertEqual((stored["patient"], stored["reason"]), ("MRN-9", "knee"))

    def test_csv_prints_one_row(self):
        rows = self.ok("--format", "csv", "refer", "--from", "ann", "--patient", "A,B").csv()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["patient"], "A,B")
        self.assertEqual(rows[0]["direction"], "in")
        self.assertEqual(rows[0]["acknowledge_due"], "2026-12-01T09:00:00Z")

    def test_audit_rows(self):
        referral = self.refer("--from", "ann", "--patient", "MRN-1")
        entries = self.audit()[-2:]
        self.assertEqual([(e["action"], e["entity"]) for e in entries],
                         [("refer", "referral"), ("plan", "touchpoint")])
        self.assertEqual(entries[0]["entity_id"], referral)
        self.assertIsNone(entries[0]["old"])
        self.assertEqual(entries[0]["new"]["status"], "new")
        self.assertEqual(entries[0]["new"]["patient"], "MRN-1")
        self.assertEqual(entries[0]["new"]["direction"], "in")
        self.assertEqual(entries[1]["new"]["referral_id"], referral)

    def test_acknowledgement_due_by_urgency(self):
        cases = [
            ("routine", "2026-12-01T09:00:00Z"),   # Friday + 2 business days: over the weekend
            ("urgent", "2026-11-28T09:00:00Z"),    # 24h is elapsed time, weekend or not
            ("emergent", "2026-11-27T11:00:00Z"),
        ]
        for urgency, due in cases:
            for direction in ("--from", "--to"):
                with self.subTest(urgency=urgency, direction=direction):
                    referral = self.refer(direction, "ann", "--patient", "P", "--urgency", urgency)
                    self.assertEqual(self.referral(referral)["acknowledge_due"], due)

    def test_business_days_skip_a_holiday_from_the_config(self):
        self.write_config('[calendar]\nholidays = ["2026-11-30", "2026-12-25"]\n')
        result = self.ok("refer", "--from", "ann", "--patient", "P")
        self.assertIn("acknowledge by 2026-12-02 09:00 (routine 2bd)", result.out)
        # A referral dated on the Saturday: Sunday and the Monday holiday do not count.
        referral = self.refer("--to", "ann", "--patient", "Q", now="2026-11-28T10:00:00Z")
        self.assertEqual(self.referral(referral)["acknowledge_due"], "2026-12-02T10:00:00Z")
        # Urgent is hours, not business days: the holiday does not move it.
        referral = self.refer("--to", "ann", "--patient", "R", "--urgency", "urgent")
        self.assertEqual(self.referral(referral)["acknowledge_due"], "2026-11-28T09:00:00Z")

    def test_business_days_follow_the_local_calendar(self):
        # Friday 22:00 in New York is already Saturday in UTC; the clock counts New York days.
        new_york = {"TZ": "America/New_York"}
        result = self.ok("refer", "--from", "ann", "--patient", "P", env=new_york,
                         now="2026-11-28T03:00:00Z")
        self.assertIn("acknowledge by 2026-12-01 22:00 (routine 2bd)", result.out)
        self.assertEqual(self.referral(1)["acknowledge_due"], "2026-12-02T03:00:00Z")

    def test_service_levels_from_the_config(self):
        self.write_config('[sla.acknowledge]\nroutine = "1bd"\nurgent = "4h"\n'
                          '[sla]\nfollowup_after_referral = "2d"\n')
        result = self.ok("refer", "--from", "ann", "--patient", "P")
        self.assertEqual(
            result.out,
            "Referral #1 from Ann Lee (patient P): acknowledge by 2026-11-30 09:00 (routine 1bd)\n"
            "Thank-you follow-up planned, due 2026-11-29 09:00\n")
        referral = self.refer("--from", "ann", "--patient", "Q", "--urgency", "urgent")
        self.assertEqual(self.referral(referral)["acknowledge_due"], "2026-11-27T13:00:00Z")

    def test_back_dated_referral_counts_from_its_date(self):
        referral = self.refer("--from", "ann", "--patient", "P", "--date", "2026-11-25T15:30:00Z")
        stored = self.referral(referral)
        self.assertEqual(stored["referred_at"], "2026-11-25T15:30:00Z")
        self.assertEqual(stored["acknowledge_due"], "2026-11-27T15:30:00Z")
        self.assertEqual(stored["created_at"], "2026-11-27T09:00:00Z")
        self.assertEqual(self.query("SELECT due FROM touchpoint"), [("2026-11-26T15:30:00Z",)])
        # A weekday name means the last one: Thursday 2026-11-26, start of the day.
        referral = self.refer("--to", "ann", "--patient", "Q", "--date", "thursday")
        self.assertEqual(self.referral(referral)["referred_at"], "2026-11-26T00:00:00Z")

    def test_times_stay_within_the_years_refnet_can_keep(self):
        # A time in the year -1 or 10000 was stored as text no later command could read back.
        self.refused(2, "refer", "--from", "ann", "--patient", "P", "--date",
                     "0000-01-01T00:30+01:00", says="the year 0000 to 9999")
        self.refused(2, "followup", "ann", "--due", "+3652425d", says="the year 0000 to 9999")
        # An SLA of 10000 years ends with the calendar.
        self.write_config('[sla.acknowledge]\nroutine = "3652425d"\n')
        referral = self.refer("--from", "ann", "--patient", "P")
        self.assertEqual(self.referral(referral)["acknowledge_due"], "9999-12-31T23:59:59Z")
        self.assertEqual(len(self.rows("list", "referrals")), 1)

    def test_inbound_plans_a_thank_you_follow_up(self):
        referral = self.refer("--from", "ann", "--patient", "P")
        plans = self.query("SELECT contact_id, referral_id, via, due, origin, done_at, created_at"
                           " FROM touchpoint")
        self.assertEqual(plans, [(self.ann, referral, "call", "2026-11-28T09:00:00Z",
                                  "after-referral", None, "2026-11-27T09:00:00Z")])

    def test_outbound_plans_nothing(self):
        self.refer("--to", "ann", "--patient", "P")
        self.assertEqual(self.query("SELECT count(*) FROM touchpoint"), [(0,)])

    def test_refusals_change_nothing(self):
        self.add("Ann Leeds")
        self.refused(2, "refer", "--to", "ann lee", "--from", "ann lee", "--patient", "P",
                     says="--to")
        self.refused(2, "refer", "--patient", "P", says=["--to", "--from"])
        self.refused(2, "refer", "--from", "ann lee", says="--patient")
        self.refused(2, "refer", "--from", "ann lee", "--patient", "  ", says="--patient")
        self.refused(2, "refer", "--from", "ann lee", "--patient", "P", "--urgency", "asap",
                     says=["invalid --urgency 'asap'", "routine, urgent or emergent"])
        self.refused(2, "refer", "--from", "ann lee", "--patient", "P", "--date", "2026-13-01",
                     says="invalid --date '2026-13-01'")
        self.refused(2, "refer", "--from", "ann lee", "--patient", "P", "--date", "tomorrow",
                     says="future")
        self.refused(2, "refer", "--from", "ann lee", "--patient", "P", "--date", "",
                     says="invalid --date ''")
        self.refused(2, "refer", "--from", "ann lee", "--patient", "P", "--priority", "high",
                     says="--priority")
        self.refused(65, "refer", "--from", "ann", "--patient", "P",
                     says=["'ann' matches 2 contacts", "Ann Lee", "Ann Leeds"])
        self.refused(65, "refer", "--from", "Zed", "--patient", "P", says="no contact matches 'Zed'")
        self.refused(65, "refer", "--to", "77", "--patient", "P", says="no contact with id 77")
        self.ok("archive", "ann leeds")
        self.refused(65, "refer", "--to", "ann leeds", "--patient", "P", says="archived")


class AckTest(ReferralCase):
    def setUp(self):
        super().setUp()
        self.inbound = self.refer("--from", "ann", "--patient", "MRN-1", "--date", "2026-11-26T10:00Z",
                                  "--note", "fax")

    def test_ack_stamps_and_says_so(self):
        result = self.ok("ack", str(self.inbound), "--note", "called back")
        self.assertEqual(result.out, f"Referral #{self.inbound} (from Ann Lee) is now acknowledged\n")
        self.assertEqual(result.err, "")
        stored = self.referral(self.inbound)
        self.assertEqual(stored["status"], "acknowledged")
        self.assertEqual(stored["acknowledged_at"], "2026-11-27T09:00:00Z")
        self.assertEqual(stored["note"], "fax\ncalled back")

    def test_ack_json_csv_and_audit(self):
        outbound = self.refer("--to", "ann", "--patient", "MRN-2")
        record = self.ok("--format", "json", "ack", f"#{self.inbound}", "--date",
                         "2026-11-26T16:00:00Z").json()
        self.assertEqual(record["status"], "acknowledged")
        self.assertEqual(record["acknowledged"], "2026-11-26T16:00:00Z")
        rows = self.ok("--format", "csv", "ack", str(outbound)).csv()
        self.assertEqual([r["status"] for r in rows], ["acknowledged"])
        entry = self.audit()[-1]
        self.assertEqual((entry["action"], entry["entity"], entry["entity_id"]),
                         ("ack", "referral", outbound))
        self.assertEqual(entry["old"]["status"], "new")
        self.assertEqual(entry["new"]["status"], "acknowledged")
        self.assertIsNone(entry["old"]["acknowledged_at"])
        self.assertEqual(entry["new"]["acknowledged_at"], "2026-11-27T09:00:00Z")

    def test_ack_refusals(self):
        self.refused(65, "ack", str(self.inbound), "--date", "2026-11-26T09:59:00Z",
                     says=["before referral", "2026-11-26 10:00"])
        self.refused(2, "ack", str(self.inbound), "--date", "next week", says="invalid --date")
        self.refused(2, "ack", str(self.inbound), "--date", "+1h", says="future")
        self.refused(2, "ack", str(self.inbound), "--date", "", says="invalid --date ''")
        self.refused(65, "ack", "99", says="no referral #99")
        self.refused(2, "ack", "abc", says="invalid referral id 'abc'")
        self.refused(2, "ack", says="REFERRAL")
        self.ok("ack", str(self.inbound))
        self.refused(65, "ack", str(self.inbound),
                     says="cannot move referral from acknowledged to acknowledged: allowed next:"
                          " scheduled, seen, closed, declined, cancelled")


class StatusTest(ReferralCase):
    def test_every_allowed_transition(self):
        for start, targets in ALLOWED.items():
            for target in targets:
                with self.subTest(start=start, target=target):
                    referral = self.refer("--from", "ann", "--patient", f"{start}-{target}",
                                          "--date", "2026-11-20T08:00:00Z")
                    for step in PATH[start]:
                        self.move(referral, step, "--date", "2026-11-21T08:00:00Z")
                    count = len(self.audit())
                    result = self.move(referral, target, "--date", "2026-11-22T08:00:00Z")
                    self.assertTrue(result.out.startswith(
                        f"Referral #{referral} (from Ann Lee) is now {target}"), result.out)
                    stored = self.referral(referral)
                    self.assertEqual(stored["status"], target)
                    self.assertEqual(stored[STAMP[target]], "2026-11-22T08:00:00Z")
                    entries = self.audit()[count:]
                    self.assertEqual(len(entries), 1)
                    action = "ack" if target == "acknowledged" else "status"
                    self.assertEqual((entries[0]["action"], entries[0]["entity_id"]),
                                     (action, referral))
                    self.assertEqual(entries[0]["old"]["status"], start)
                    self.assertEqual(entries[0]["new"]["status"], target)

    def test_forbidden_transitions_name_the_allowed_next_states(self):
        cases = [
            ("seen", "scheduled"), ("seen", "acknowledged"), ("seen", "cancelled"),
            ("scheduled", "acknowledged"), ("acknowledged", "no-show"), ("new", "no-show"),
        ]
        for start, target in cases:
            with self.subTest(start=start, target=target):
                referral = self.refer("--to", "ann", "--patient", "P")
                for step in PATH[start]:
                    self.move(referral, step)
                extra = ["--reason", "x"] if target == "declined" else []
                self.refused(65, "status", str(referral), target, *extra,
                             says=f"cannot move referral from {start} to {target}: allowed next: "
                                  + ", ".join(ALLOWED[start]))

    def test_status_csv_prints_one_row(self):
        referral = self.refer("--to", "ann", "--patient", "P")
        rows = self.ok("--format", "csv", "status", str(referral), "scheduled").csv()
        self.assertEqual([(r["id"], r["status"], r["scheduled"]) for r in rows],
                         [(str(referral), "scheduled", "2026-11-27T09:00:00Z")])

    def test_final_states_cannot_change(self):
        for start in ("closed", "declined", "cancelled", "no-show"):
            with self.subTest(start=start):
                referral = self.refer("--to", "ann", "--patient", "P")
                for step in PATH[start]:
                    self.move(referral, step)
                for target in ("acknowledged", "seen", "closed", "cancelled"):
                    result = self.refused(65, "status", str(referral), target,
                                          says=[f"referral is {start}", "final"])
                    self.assertIn("refnet refer", result.err)
                    self.assertIn(f"refnet status {referral} {target} --correct --reason", result.err)

    def test_declined_needs_a_reason(self):
        referral = self.refer("--from", "ann", "--patient", "P")
        self.refused(65, "status", str(referral), "declined", says="needs a reason")
        self.refused(65, "status", str(referral), "declined", "--reason", "   ",
                     says="needs a reason")
        record = self.ok("--format", "json", "status", str(referral), "declined", "--reason",
                         " out of network ").json()
        self.assertEqual(record["status"], "declined")
        self.assertEqual(record["decline_reason"], "out of network")
        self.assertEqual(record["declined"], "2026-11-27T09:00:00Z")
        entry = self.audit()[-1]
        self.assertIsNone(entry["old"]["decline_reason"])
        self.assertEqual(entry["new"]["decline_reason"], "out of network")

    def test_reason_belongs_to_declined_only(self):
        referral = self.refer("--from", "ann", "--patient", "P")
        self.refused(2, "status", str(referral), "cancelled", "--reason", "moved away",
                     says=["--reason", "declined", "--note"])

    def test_status_words(self):
        referral = self.refer("--to", "ann", "--patient", "P")
        self.refused(2, "status", str(referral), "done",
                     says=["invalid STATUS 'done'", "acknowledged, scheduled, seen"])
        self.refused(2, "status", str(referral), "new", says="invalid STATUS 'new'")
        self.refused(2, "status", str(referral), says="STATUS")
        self.ok("status", str(referral), "ACK")
        self.ok("status", str(referral), "Scheduled")
        self.ok("status", str(referral), "no_show")
        self.assertEqual(self.referral(referral)["status"], "no-show")

    def test_date_before_the_referral_is_refused(self):
        referral = self.refer("--from", "ann", "--patient", "P", "--date", "2026-11-25T12:00:00Z")
        self.refused(65, "status", str(referral), "seen", "--date", "2026-11-24",
                     says=[f"before referral #{referral} was made", "2026-11-25 12:00"])
        self.refused(65, "status", str(referral), "scheduled", "--date", "2026-11-25T11:59:59Z",
                     says="before referral")

    def test_date_before_the_previous_step_is_refused(self):
        referral = self.refer("--from", "ann", "--patient", "P", "--date", "2026-11-20T12:00:00Z")
        self.ok("ack", str(referral), "--date", "2026-11-23T12:00:00Z")
        self.refused(65, "status", str(referral), "scheduled", "--date", "2026-11-22",
                     says=["before", "acknowledged", "2026-11-23 12:00"])
        self.ok("status", str(referral), "scheduled", "--date", "2026-11-23T12:00:00Z")

    def test_date_in_the_future_is_refused(self):
        referral = self.refer("--from", "ann", "--patient", "P")
        self.refused(2, "status", str(referral), "seen", "--date", "tomorrow", says="future")
        self.refused(2, "status", str(referral), "seen", "--date", "2026-11-27T09:00:01Z",
                     says="future")

    def test_scheduled_with_a_time_to_come_books_the_appointment(self):
        referral = self.refer("--from", "ann", "--patient", "MRN-77")
        self.ok("ack", str(referral))
        result = self.move(referral, "scheduled", "--date", "tuesday 10:30")
        self.assertIn("is now scheduled; appointment 2026-12-01 10:30", result.out)
        stored = self.referral(referral)
        # Booked now, for Tuesday.
        self.assertEqual((stored["scheduled_at"], stored["appointment_at"]),
                         ("2026-11-27T09:00:00Z", "2026-12-01T10:30:00Z"))
        self.assertEqual(self.audit()[-1]["new"]["appointment_at"], "2026-12-01T10:30:00Z")
        listed = self.rows("list", "referrals")[0]
        self.assertEqual(listed["appointment"], "2026-12-01T10:30:00Z")
        card = self.ok("show", "--referral", str(referral)).out
        self.assertRegex(card, r"(?m)^Appointment: +2026-12-01 10:30$")
        exported = self.ok("export", "referrals").csv()[0]
        self.assertEqual(exported["appointment"], "2026-12-01T10:30:00Z")

    def test_a_passed_appointment_asks_for_the_outcome_until_it_is_recorded(self):
        referral = self.refer("--from", "ann", "--patient", "MRN-78")
        self.move(referral, "scheduled", "--appointment", "2026-11-30T14:00:00Z")
        self.ok("followup", "ann")  # nothing else owed to Ann: the list holds the appointment only

        def owed(now):
            items = self.ok("--format", "json", "report", "overdue", now=now).json()
            return [(i["kind"], i["owed"], i["due"]) for i in items if i["referral_id"] == referral]

        self.assertEqual(owed("2026-11-30T13:00:00Z"), [])
        self.assertEqual(owed("2026-12-01T09:00:00Z"), [
            ("record-outcome",
             f"record the outcome of the appointment for referral #{referral} (patient MRN-78)",
             "2026-11-30T14:00:00Z")])
        overdue = self.rows("list", "referrals", "--overdue", now="2026-12-01T09:00:00Z")
        self.assertEqual([r["id"] for r in overdue], [referral])
        self.ok("status", str(referral), "no-show", now="2026-12-01T09:30:00Z")
        self.assertEqual(owed("2026-12-01T10:00:00Z"), [])

    def test_an_appointment_on_a_day_is_that_whole_day(self):
        referral = self.refer("--from", "ann", "--patient", "MRN-79")
        self.move(referral, "scheduled", "--appointment", "tuesday")
        # Kept as the day's last second, as --due tuesday is: not passed on Tuesday morning.
        self.assertEqual(self.referral(referral)["appointment_at"], "2026-12-01T23:59:59Z")

    def test_an_appointment_is_only_for_scheduled(self):
        referral = self.refer("--from", "ann", "--patient", "P", "--date", "2026-11-20T08:00:00Z")
        self.refused(2, "status", str(referral), "acknowledged", "--appointment", "friday",
                     says="--appointment is only for scheduled")
        self.refused(2, "status", str(referral), "scheduled", "--appointment", "2026-02-30",
                     says="February 2026 has 28 days")
        # A --date in the past for scheduled is when it was scheduled, as before.
        self.move(referral, "scheduled", "--date", "2026-11-26T09:00:00Z")
        stored = self.referral(referral)
        self.assertEqual((stored["scheduled_at"], stored["appointment_at"]),
                         ("2026-11-26T09:00:00Z", None))

    def test_skip_forward_leaves_skipped_steps_unstamped(self):
        referral = self.refer("--to", "ann", "--patient", "P", "--date", "2026-11-20T08:00:00Z")
        record = self.ok("--format", "json", "status", str(referral), "seen", "--date",
                         "2026-11-24T14:00:00Z").json()
        self.assertEqual(record["status"], "seen")
        self.assertIsNone(record["acknowledged"])
        self.assertIsNone(record["scheduled"])
        self.assertEqual(record["seen"], "2026-11-24T14:00:00Z")
        stored = self.referral(referral)
        self.assertIsNone(stored["acknowledged_at"])
        self.assertIsNone(stored["scheduled_at"])

    def test_report_due_is_set_at_seen(self):
        inbound = self.refer("--from", "ann", "--patient", "P", "--date", "2026-11-20T08:00:00Z")
        outbound = self.refer("--to", "ann", "--patient", "Q", "--date", "2026-11-20T08:00:00Z")
        self.ok("status", str(inbound), "scheduled", "--date", "2026-11-21T08:00:00Z")
        self.assertIsNone(self.referral(inbound)["report_due"])
        result = self.ok("status", str(inbound), "seen", "--date", "2026-11-24T14:00:00Z")
        self.assertEqual(result.out, f"Referral #{inbound} (from Ann Lee) is now seen;"
                                     " our report back due 2026-12-08 14:00\n")
        self.assertEqual(self.referral(inbound)["report_due"], "2026-12-08T14:00:00Z")
        result = self.ok("status", str(outbound), "seen", "--date", "2026-11-24T14:00:00Z")
        self.assertEqual(result.out, f"Referral #{outbound} (to Ann Lee) is now seen;"
                                     " the consultant's report due 2026-12-08 14:00\n")
        closed = self.ok("--format", "json", "status", str(inbound), "closed").json()
        self.assertEqual(closed["report_due"], "2026-12-08T14:00:00Z",
                         "closing keeps when the report was due")
        self.assertEqual(closed["closed"], "2026-11-27T09:00:00Z")

    def test_report_due_follows_the_config(self):
        self.write_config('[sla]\nreport_back_within = "3bd"\n'
                          '[calendar]\nholidays = ["2026-11-30"]\n')
        referral = self.refer("--from", "ann", "--patient", "P", "--date", "2026-11-20T08:00:00Z")
        self.ok("status", str(referral), "seen", "--date", "2026-11-27T08:00:00Z")
        # Friday + 3 business days, Monday a holiday: Thursday.
        self.assertEqual(self.referral(referral)["report_due"], "2026-12-03T08:00:00Z")

    def test_notes_accumulate(self):
        referral = self.refer("--from", "ann", "--patient", "P", "--note", "first")
        self.ok("ack", str(referral), "--note", "second")
        self.ok("status", str(referral), "seen", "--note", "third")
        self.assertEqual(self.referral(referral)["note"], "first\nsecond\nthird")

    def test_unknown_referral(self):
        self.refused(65, "status", "12", "seen", says=["no referral #12", "refnet list referrals"])
        self.refused(2, "status", "-3", "seen")


class CorrectTest(ReferralCase):
    """status --correct: a mistaken status put right, backwards or out of a final state."""

    def referred(self):
        referral = self.refer("--from", "ann", "--patient", "P-1", "--date", "2026-11-20T09:00:00Z")
        return referral, str(referral)

    def test_seen_typed_for_scheduled(self):
        referral, rid = self.referred()
        self.ok("ack", rid, "--date", "2026-11-21T09:00:00Z")
        self.ok("status", rid, "seen", "--date", "2026-11-25T09:00:00Z")
        self.assertIn("--correct --reason", self.refused(65, "status", rid, "scheduled").err)
        out = self.ok("status", rid, "scheduled", "--correct", "--reason", "typed seen for scheduled",
                      "--date", "2026-11-24T10:00:00Z").out
        self.assertEqual(out, f"Referral #{referral} (from Ann Lee) corrected to scheduled (was seen)\n")
        row = self.referral(referral)
        self.assertEqual((row["status"], row["acknowledged_at"], row["scheduled_at"], row["seen_at"],
                          row["report_due"]),
                         ("scheduled", "2026-11-21T09:00:00Z", "2026-11-24T10:00:00Z", None, None))
        # The log keeps the old values and the reason.
        entry = self.audit()[-1]
        self.assertEqual(entry["action"], "correct")
        old, new = entry["old"], entry["new"]
        self.assertEqual((old["status"], old["seen_at"]), ("seen", "2026-11-25T09:00:00Z"))
        self.assertEqual((new["status"], new["seen_at"], new["why"]),
                         ("scheduled", None, "typed seen for scheduled"))
        self.assertEqual(new["reason"], old["reason"], "the referral's own reason stays its own")
        # It moves on from there as usual, and its report is due from the new seen.
        self.ok("status", rid, "seen", "--date", "2026-11-26T09:00:00Z")
        self.assertEqual(self.referral(referral)["report_due"], "2026-12-10T09:00:00Z")

    def test_out_of_a_final_state_and_back_to_new(self):
        referral, rid = self.referred()
        self.move(referral, "declined")
        self.ok("status", rid, "new", "--correct", "--reason", "declined the wrong one")
        row = self.referral(referral)
        self.assertEqual((row["status"], row["declined_at"], row["decline_reason"]), ("new", None, None))
        # No longer counted as declined; acknowledged again as any new referral.
        self.ok("ack", rid)
        self.move(referral, "closed")
        self.ok("status", rid, "declined", "--correct", "--reason", "declined after all")
        row = self.referral(referral)
        self.assertEqual((row["status"], row["closed_at"], row["decline_reason"]),
                         ("declined", None, "declined after all"))
        self.assertIsNotNone(row["declined_at"])
        self.assertIsNotNone(row["acknowledged_at"], "the steps on the way stay")

    def test_closed_loops_count_the_correction(self):
        referral, rid = self.referred()
        self.move(referral, "closed")
        loop = lambda: [r["closed"] for r in self.rows("report", "closed-loop", "--since", "2026-11-01")  # noqa
                        if r["scope"] == "overall" and r["direction"] == "in"][0]
        self.assertEqual(loop(), 1)
        self.ok("status", rid, "seen", "--correct", "--reason", "no report yet")
        self.assertEqual(loop(), 0)

    def test_refusals_change_nothing(self):
        referral, rid = self.referred()
        self.move(referral, "seen")
        before = self.dump()
        for args, code, says in (
                (("status", rid, "scheduled", "--correct"), 2, "--correct needs --reason"),
                (("status", rid, "new"), 2, "only with --correct"),
                (("status", rid, "seen", "--correct", "--reason", "x"), 65, "already seen"),
                (("status", rid, "scheduled", "--correct", "--reason", "x", "--date", "2026-11-19T09:00:00Z"),
                 65, "before referral"),
                (("status", "99", "new", "--correct", "--reason", "x"), 65, "no referral #99")):
            with self.subTest(args=args):
                result = self.assertUnchanged(before, *args, code=code)
                self.assertIn(says, result.err)


class EditReferralTest(ReferralCase):
    """edit --referral: the contact, direction, patient, reason, urgency, date or note put right."""

    def setUp(self):
        super().setUp()
        self.raj = self.add("Raj Patel", "--role", "specialist")

    def test_to_meant_from_and_the_wrong_contact(self):
        referral = self.refer("--to", "ann", "--patient", "P-1", "--date", "2026-11-20T09:00:00Z")
        out = self.ok("edit", "--referral", str(referral), "--direction", "in", "--contact", "raj").out
        self.assertIn(f"Updated referral #{referral} (from Raj Patel, patient P-1)", out)
        self.assertIn("thank-you follow-up planned", out)
        row = self.referral(referral)
        self.assertEqual((row["direction"], row["contact_id"]), ("in", self.raj))
        # Every report counts it as it is now.
        recip = {r["contact"]: (r["in"], r["out"]) for r in self.rows("report", "reciprocity")}
        self.assertEqual(recip, {"Raj Patel": (1, 0)})
        # Audited old -> new.
        entry = [e for e in self.audit() if e["entity"] == "referral"][-1]
        self.assertEqual(entry["action"], "edit")
        self.assertEqual((entry["old"]["direction"], entry["old"]["contact_id"]), ("out", self.ann))
        self.assertEqual((entry["new"]["direction"], entry["new"]["contact_id"]), ("in", self.raj))
        # Its thank-you follows it to another contact, and goes when it is outbound again.
        out = self.ok("edit", "--referral", str(referral), "--contact", "ann").out
        self.assertIn("moved with it", out)
        plans = self.rows("list", "followups")
        self.assertEqual([(p["contact"], p["state"]) for p in plans], [("Ann Lee", "planned")])
        self.ok("edit", "--referral", str(referral), "--direction", "out")
        self.assertEqual([p["state"] for p in self.rows("list", "followups")], ["dismissed"])

    def test_due_times_follow_the_date_and_urgency(self):
        referral = self.refer("--from", "ann", "--patient", "P-1", "--date", "2026-11-20T09:00:00Z")
        self.assertEqual(self.referral(referral)["acknowledge_due"], "2026-11-24T09:00:00Z")  # 2bd
        self.ok("edit", "--referral", str(referral), "--urgency", "urgent", "--date", "2026-11-23T09:00:00Z",
                "--patient", " P-2 ", "--reason", "chest pain", "--note", "typed from the fax")
        row = self.referral(referral)
        self.assertEqual((row["referred_at"], row["acknowledge_due"], row["urgency"], row["patient"],
                          row["reason"], row["note"]),
                         ("2026-11-23T09:00:00Z", "2026-11-24T09:00:00Z", "urgent", "P-2", "chest pain",
                          "typed from the fax"))
        self.ok("edit", "--referral", str(referral), "--reason", "")
        self.assertIsNone(self.referral(referral)["reason"])
        self.assertIn("Nothing to change", self.ok("edit", "--referral", str(referral)).out)

    def test_refusals_change_nothing(self):
        referral = self.refer("--from", "ann", "--patient", "P-1", "--date", "2026-11-20T09:00:00Z")
        self.ok("ack", str(referral), "--date", "2026-11-21T09:00:00Z")
        self.ok("archive", "raj")
        before = self.dump()
        rid = str(referral)
        for args, code, says in (
                (("edit", "--referral", rid, "--date", "2026-11-22T09:00:00Z"), 65, "was acknowledged"),
                (("edit", "--referral", rid, "--date", "2026-11-28T09:00:00Z"), 2, "in the future"),
                (("edit", "--referral", rid, "--contact", "raj"), 65, "archived"),
                (("edit", "--referral", rid, "--direction", "sideways"), 2, "--direction"),
                (("edit", "--referral", rid, "--patient", " "), 2, "--patient cannot be empty"),
                (("edit", "--referral", rid, "--urgency", "soon"), 2, "--urgency"),
                (("edit", "--referral", rid, "--role", "pcp"), 2, "--role is a contact's"),
                (("edit", "ann", "--referral", rid), 2, "not both"),
                (("edit", "ann", "--patient", "P-9"), 2, "give its --referral ID"),
                (("edit", "--referral", "99", "--patient", "P-9"), 65, "no referral #99")):
            with self.subTest(args=args):
                result = self.assertUnchanged(before, *args, code=code)
                self.assertIn(says, result.err)


if __name__ == "__main__":
    unittest.main()
