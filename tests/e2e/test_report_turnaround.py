"""report turnaround: nearest-rank medians and 90th percentiles on referrals timed by hand."""

import unittest

from refnet_e2e import RefnetCase

DAY = "2026-10-05"  # every referral is made at 08:00 UTC on this day unless said otherwise


def at(hours):
    """The instant `hours` after 2026-10-05T08:00:00Z."""
    from datetime import datetime, timedelta, timezone
    start = datetime(2026, 10, 5, 8, 0, tzinfo=timezone.utc)
    return (start + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_network(case):
    """Outbound routine: four referrals acknowledged after 2, 4, 6 and 30 hours; three of them
    seen after 24, 48 and 72 hours; one closed after 100 hours.
    Outbound urgent: one acknowledged after 1 hour.
    Inbound routine: three acknowledged after 0.5, 1.5 and 2.5 hours, one scheduled after 10.
    Inbound routine: one acknowledged "before" it was made, as an import could leave it.
    Inbound urgent: one made on 2026-11-20, acknowledged after 3 hours (for --since)."""
    case.init()
    case.add("Olga Consultant", "--role", "specialist", "--source", "linkedin",
             now="2026-01-01T08:00:00Z")
    case.add("Ann Pcp", "--role", "pcp", "--source", "linkedin", now="2026-01-01T08:00:00Z")
    out = [case.refer("--to", "Olga", "--patient", f"O-{i}", "--date", at(0)) for i in range(4)]
    for ref, hours in zip(out, [2, 4, 6, 30]):
        case.ok("ack", str(ref), "--date", at(hours))
    for ref, hours in zip(out, [48, 72, 24]):
        case.ok("status", str(ref), "seen", "--date", at(hours))
    case.ok("status", str(out[0]), "closed", "--date", at(100))
    urgent = case.refer("--to", "Olga", "--patient", "O-U", "--urgency", "urgent", "--date", at(0))
    case.ok("ack", str(urgent), "--date", at(1))

    inbound = [case.refer("--from", "Ann", "--patient", f"A-{i}", "--date", at(0)) for i in range(3)]
    for ref, hours in zip(inbound, [0.5, 1.5, 2.5]):
        case.ok("ack", str(ref), "--date", at(hours))
    case.ok("status", str(inbound[0]), "scheduled", "--date", at(10))
    bad = case.refer("--from", "Ann", "--patient", "A-BAD", "--date", at(0))
    case.ok("ack", str(bad), "--date", at(1))
    case.query("UPDATE referral SET acknowledged_at = '2026-10-01T00:00:00Z' WHERE id = ?", bad)
    late = case.refer("--from", "Ann", "--patient", "A-LATE", "--urgency", "urgent",
                      "--date", "2026-11-20T08:00:00Z")
    case.ok("ack", str(late), "--date", "2026-11-20T11:00:00Z")


def table(rows):
    return {(r["direction"], r["urgency"], r["step"]): (r["count"], r["median_hours"], r["p90_hours"])
            for r in rows}


class TurnaroundReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.seed(build_network)

    def test_medians_and_90th_percentiles_by_nearest_rank(self):
        rows = self.rows("report", "turnaround")
        self.assertEqual(table(rows), {
            # [0.5, 1.5, 2.5]: ranks ceil(1.5) = 2 and ceil(2.7) = 3. The acknowledgement dated
            # before its referral is left out.
            ("in", "routine", "acknowledged"): (3, 1.5, 2.5),
            ("in", "routine", "scheduled"): (1, 10.0, 10.0),
            ("in", "urgent", "acknowledged"): (1, 3.0, 3.0),
            # [0.5, 1.5, 2.5, 3]: median rank 2, 90th rank ceil(3.6) = 4.
            ("in", "all", "acknowledged"): (4, 1.5, 3.0),
            ("in", "all", "scheduled"): (1, 10.0, 10.0),
            # [2, 4, 6, 30]: median rank 2 (the lower middle, not the average 5), 90th rank 4.
            ("out", "routine", "acknowledged"): (4, 4.0, 30.0),
            # [24, 48, 72]: ranks 2 and 3.
            ("out", "routine", "seen"): (3, 48.0, 72.0),
            ("out", "routine", "closed"): (1, 100.0, 100.0),
            ("out", "urgent", "acknowledged"): (1, 1.0, 1.0),
            # [1, 2, 4, 6, 30]: ranks ceil(2.5) = 3 and ceil(4.5) = 5.
            ("out", "all", "acknowledged"): (5, 4.0, 30.0),
            ("out", "all", "seen"): (3, 48.0, 72.0),
            ("out", "all", "closed"): (1, 100.0, 100.0),
        })

    def test_rows_come_by_direction_urgency_and_step_in_lifecycle_order(self):
        rows = self.rows("report", "turnaround")
        self.assertEqual([(r["direction"], r["urgency"], r["step"]) for r in rows], [
            ("in", "routine", "acknowledged"), ("in", "routine", "scheduled"),
            ("in", "urgent", "acknowledged"),
            ("in", "all", "acknowledged"), ("in", "all", "scheduled"),
            ("out", "routine", "acknowledged"), ("out", "routine", "seen"),
            ("out", "routine", "closed"),
            ("out", "urgent", "acknowledged"),
            ("out", "all", "acknowledged"), ("out", "all", "seen"), ("out", "all", "closed")])
        self.assertEqual(list(rows[0].keys()),
                         ["direction", "urgency", "step", "count", "median_hours", "p90_hours"])

    def test_the_period_and_as_of(self):
        # Only the referral of 2026-11-20.
        self.assertEqual(table(self.rows("report", "turnaround", "--since", "2026-11-01")), {
            ("in", "urgent", "acknowledged"): (1, 3.0, 3.0),
            ("in", "all", "acknowledged"): (1, 3.0, 3.0),
        })
        # As of 2026-10-05T14:00Z: acknowledgements after 0.5 to 6 hours had happened, nothing
        # later; the referral of 2026-11-20 had not been made.
        figures = table(self.rows("report", "turnaround", "--as-of", "2026-10-05T14:00:00Z"))
        self.assertEqual(figures, {
            ("in", "routine", "acknowledged"): (3, 1.5, 2.5),
            ("in", "all", "acknowledged"): (3, 1.5, 2.5),
            ("out", "routine", "acknowledged"): (3, 4.0, 6.0),
            ("out", "urgent", "acknowledged"): (1, 1.0, 1.0),
            ("out", "all", "acknowledged"): (4, 2.0, 6.0),
        })

    def test_csv_parses_with_the_same_numbers(self):
        rows = self.ok("report", "turnaround", "--format", "csv").csv()
        first = rows[0]
        self.assertEqual((first["direction"], first["urgency"], first["step"], first["count"],
                          first["median_hours"], first["p90_hours"]),
                         ("in", "routine", "acknowledged", "3", "1.5", "2.5"))
        self.assertEqual(len(rows), 12)


def nearest_rank(values, percent):
    ordered = sorted(values)
    return ordered[-(-percent * len(ordered) // 100) - 1]


class TurnaroundAtScale(RefnetCase):
    """A demo's thousands of referrals, read by the report in slices on two connections, against
    the same figures worked out here from every row."""

    STEPS = ("acknowledged", "scheduled", "seen", "closed")

    def setUp(self):
        super().setUp()
        self.seed(lambda case: case.ok("demo", "--contacts", "300", "--referrals", "6000",
                                       "--seed", "11", now="2026-11-27T09:00:00Z"))

    def expected(self, since, end, as_of):
        from datetime import datetime
        seconds = lambda text: datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").timestamp()
        groups = {}
        for direction, urgency, referred, *steps in self.query(
                "SELECT direction, urgency, referred_at, acknowledged_at, scheduled_at, seen_at,"
                " closed_at FROM referral WHERE referred_at >= ? AND referred_at < ?", since, end):
            for step, stamp in zip(self.STEPS, steps):
                if stamp is None or stamp < referred or stamp > as_of:
                    continue
                value = int(seconds(stamp) - seconds(referred))
                for key in ((direction, urgency, step), (direction, "all", step)):
                    groups.setdefault(key, []).append(value)
        # Hours to one decimal by the database's round(), as the report says it rounds (a decimal
        # on PostgreSQL).
        hours = lambda secs: float(self.query("SELECT round(? / 3600.0, 1)", secs)[0][0])
        return {key: (len(values), hours(nearest_rank(values, 50)), hours(nearest_rank(values, 90)))
                for key, values in groups.items()}

    def test_every_group_matches_the_rows(self):
        now = "2026-11-27T09:00:00Z"
        figures = table(self.rows("report", "turnaround", now=now))
        self.assertEqual(figures, self.expected("", "9999", now))
        self.assertEqual(len(figures), 32)
        since, as_of = "2026-09-01", "2026-11-01T00:00:00Z"
        figures = table(self.rows("report", "turnaround", "--since", since, "--as-of", as_of,
                                  env={"TZ": "UTC"}, now=now))
        self.assertEqual(figures, self.expected(since, "2026-11-01T00:00:01Z", as_of))


class TurnaroundEmpty(RefnetCase):
    def test_an_empty_database_gives_empty_output(self):
        self.init()
        self.assertEqual(self.ok("report", "turnaround", "--format", "json").json(), [])
        self.assertEqual(self.ok("report", "turnaround", "--format", "tsv").out,
                         "direction\turgency\tstep\tcount\tmedian_hours\tp90_hours\n")


if __name__ == "__main__":
    unittest.main()
