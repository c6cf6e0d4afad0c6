"""report summary (and bare `report`): the period at a glance, on a network counted by hand."""

import unittest
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from refnet_e2e import RefnetCase


def build_network(case):
    """The clock is Friday 2026-11-27 09:00 UTC, so the default period is 2026-10-29 to 2026-11-27.

    In the period: four referrals in (Ann three times, Cara once) and two out (to Bob), of which
    two loops closed properly (Ann's of 11-02, Bob's of 11-03), one was closed with a date before
    the referral (does not count), one was declined. Outside it: Ann's closed referral of 10-05
    and Olaf's seen-but-not-closed one of 09-01 (still open). Sources are online ones so no
    meeting follow-up is planned behind the test's back; the follow-ups planned after inbound
    referrals are dismissed, and three plans are made by hand."""
    case.init()
    ids = {}
    ids["ann"] = case.add("Ann Lee", "--role", "pcp", "--source", "linkedin",
                          now="2026-01-05T10:00:00Z")
    ids["bob"] = case.add("Bob Stone", "--role", "specialist", "--source", "doximity",
                          now="2026-01-05T10:00:00Z")
    ids["olaf"] = case.add("Olaf Old", "--source", "referral", now="2026-01-05T10:00:00Z")
    ids["cara"] = case.add("Cara Diaz", "--role", "pcp", "--source", "sermo",
                           now="2026-11-10T10:00:00Z")
    ids["dan"] = case.add("Dan New", "--source", "linkedin", now="2026-11-25T10:00:00Z")

    def refer(direction, who, patient, day):
        at = f"{day}T10:00:00Z"
        return case.refer(direction, who, "--patient", patient, "--date", at, now=at)

    def status(ref, to, day, *extra):
        at = f"{day}T12:00:00Z"
        case.ok("status", str(ref), to, "--date", at, *extra, now=at)

    r = {}
    r["ann_oct"] = refer("--from", "Ann", "A-0", "2026-10-05")
    status(r["ann_oct"], "closed", "2026-10-10")
    r["olaf"] = refer("--to", "Olaf", "O-1", "2026-09-01")
    status(r["olaf"], "seen", "2026-09-10")
    r["ann1"] = refer("--from", "Ann", "A-1", "2026-11-02")
    status(r["ann1"], "closed", "2026-11-06")
    r["bob1"] = refer("--to", "Bob", "B-1", "2026-11-03")
    status(r["bob1"], "closed", "2026-11-12")
    r["ann2"] = refer("--from", "Ann", "A-2", "2026-11-09")
    status(r["ann2"], "closed", "2026-11-10")
    # The status machine never dates a closing before its referral; an import could.
    case.query("UPDATE referral SET closed_at = '2026-11-01T00:00:00Z' WHERE id = ?", r["ann2"])
    r["ann3"] = refer("--from", "Ann", "A-3", "2026-11-16")
    status(r["ann3"], "declined", "2026-11-17", "--reason", "out of area")
    r["cara"] = refer("--from", "Cara", "C-1", "2026-11-20")
    r["bob2"] = refer("--to", "Bob", "B-2", "2026-11-24")

    for plan in case.rows("list", "followups"):
        if plan.get("state", "planned") == "planned" and plan.get("due"):
            case.ok("followup", "dismiss", str(plan["id"]), now="2026-11-26T08:00:00Z")
    case.ok("followup", "Ann", "--due", "2026-11-25T09:00:00Z", "--via", "call",
            now="2026-11-26T08:30:00Z")  # past due
    case.ok("followup", "Bob", "--due", "2026-12-01T09:00:00Z", "--via", "email",
            now="2026-11-26T08:30:00Z")  # due within the week
    case.ok("followup", "Cara", "--due", "2026-12-10T09:00:00Z", "--via", "visit",
            now="2026-11-26T08:30:00Z")  # later
    return ids


def figures(rows):
    """{(section, metric): value} from summary rows."""
    return {(row["section"], row["metric"]): row["value"] for row in rows}


class SummaryReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def test_default_period_figures(self):
        f = figures(self.rows("report", "summary"))
        self.assertEqual(f[("referrals", "in")], 4)
        self.assertEqual(f[("referrals", "out")], 2)
        # Open at as-of whenever made: Olaf's seen one, Cara's and Bob's new ones.
        self.assertEqual(f[("referrals", "open")], 3)
        self.assertEqual(f[("closed_loop", "closed")], 2)
        self.assertEqual(f[("closed_loop", "referrals")], 6)
        self.assertEqual(f[("closed_loop", "rate_percent")], 33.3)
        self.assertEqual(f[("contacts", "new")], 2)
        self.assertEqual(f[("actions", "followups_past_due")], 1)
        self.assertEqual(f[("actions", "followups_due_7d")], 1)

    def test_overdue_is_the_overdue_report_count(self):
        f = figures(self.rows("report"))
        overdue = self.rows("report", "overdue")
        self.assertGreater(len(overdue), 0)
        self.assertEqual(f[("actions", "overdue")], len(overdue))

    def test_top_referrers_in_order_with_contact_ids(self):
        rows = self.rows("report", "summary")
        top = [(r["metric"], r["value"], r["contact_id"]) for r in rows
               if r["section"] == "top_referrers"]
        self.assertEqual(top, [("Ann Lee", 3, self.ids["ann"]), ("Cara Diaz", 1, self.ids["cara"])])
        others = [r for r in rows if r["section"] != "top_referrers"]
        self.assertTrue(all(r["contact_id"] is None for r in others))

    def test_bare_report_is_summary(self):
        for fmt in ("json", "csv", "table"):
            bare = self.ok("--format", fmt, "report")
            named = self.ok("--format", fmt, "report", "summary")
            self.assertEqual(bare.out, named.out, fmt)
        # Period options of `report` apply to the default report too.
        self.assertEqual(self.ok("report", "--since", "2026-10-01", "--format", "json").out,
                         self.ok("report", "summary", "--since", "2026-10-01", "--format", "json").out)

    def test_since_until_override_the_default_period(self):
        f = figures(self.rows("report", "--since", "2026-10-01", "--until", "2026-10-31"))
        self.assertEqual(f[("referrals", "in")], 1)
        self.assertEqual(f[("referrals", "out")], 0)
        self.assertEqual(f[("closed_loop", "closed")], 1)
        self.assertEqual(f[("closed_loop", "rate_percent")], 100.0)
        self.assertEqual(f[("contacts", "new")], 0)

    def test_a_lone_until_ends_the_default_window(self):
        # As a lone --since starts one: the 30 days ending with --until's day.
        lone = self.ok("report", "--until", "2026-10-31").out.splitlines()[0]
        self.assertEqual(lone, "Summary 2026-10-02 to 2026-10-31 (as of 2026-11-27 09:00)")
        self.assertEqual(figures(self.rows("report", "--until", "2026-10-31")),
                         figures(self.rows("report", "--since", "2026-10-02", "--until",
                                           "2026-10-31")))

    def test_as_of_moves_the_period_and_the_open_count(self):
        # As of the end of 2026-11-10: the 30 days are 10-12 .. 11-10. Bob's first referral closed
        # only on 11-12, so it was still open then; Ann's 11-09 one carries a closing dated before
        # it was made, so it never counts as closed.
        f = figures(self.rows("report", "--as-of", "2026-11-10"))
        self.assertEqual(f[("referrals", "in")], 2)
        self.assertEqual(f[("referrals", "out")], 1)
        self.assertEqual(f[("referrals", "open")], 2)
        self.assertEqual(f[("closed_loop", "closed")], 1)
        self.assertEqual(f[("closed_loop", "rate_percent")], 33.3)
        self.assertEqual(f[("contacts", "new")], 1)

    def test_refnet_now_fixes_the_clock(self):
        later = figures(self.rows("report", now="2026-12-20T09:00:00Z"))
        # 2026-11-21 .. 2026-12-20: only Bob's referral of 11-24.
        self.assertEqual(later[("referrals", "in")], 0)
        self.assertEqual(later[("referrals", "out")], 1)

    def test_csv_has_the_same_rows_and_no_heading(self):
        result = self.ok("--format", "csv", "report")
        self.assertTrue(result.out.startswith("section,metric,value,contact_id\r\n")
                        or result.out.startswith("section,metric,value,contact_id\n"), result.out)
        rows = result.csv()
        self.assertEqual({(r["section"], r["metric"]): r["value"] for r in rows}[("referrals", "in")],
                         "4")
        self.assertEqual(len(rows), len(self.rows("report")))

    def test_table_has_a_heading_with_the_period(self):
        out = self.ok("report").out
        lines = out.splitlines()
        self.assertEqual(lines[0], "Summary 2026-10-29 to 2026-11-27 (as of 2026-11-27 09:00)")
        self.assertIn("Section", lines[1])
        self.assertIn("Ann Lee", out)
        self.assertNotIn("\x1b[", out)

    def test_practice_name_heads_the_table_only(self):
        self.write_config('[practice]\nname = "Lakeside Cardiology"\n')
        self.assertTrue(self.ok("report").out.startswith("Lakeside Cardiology: Summary 2026-10-29"))
        self.assertNotIn("Lakeside", self.ok("--format", "csv", "report").out)
        self.assertNotIn("Lakeside", self.ok("--format", "json", "report").out)


class EmptySummary(RefnetCase):
    def test_empty_database_gives_zeros(self):
        self.init()
        rows = self.rows("report")
        f = figures(rows)
        for key in [("referrals", "in"), ("referrals", "out"), ("referrals", "open"),
                    ("actions", "overdue"), ("closed_loop", "closed"), ("contacts", "new")]:
            self.assertEqual(f[key], 0, key)
        self.assertIsNone(f[("closed_loop", "rate_percent")])
        self.assertFalse([r for r in rows if r["section"] == "top_referrers"])
        self.ok("report")
        self.ok("--format", "csv", "report")

    def test_bad_dates_are_usage_errors(self):
        self.init()
        self.fails(2, "report", "--since", "someday")
        self.fails(2, "report", "--since", "2026-11-10", "--until", "2026-11-01")


class PartDays(RefnetCase):
    """summary counts whole UTC days from counts kept per day and the part days at either end of
    a period from the referrals themselves: in a time zone half an hour off UTC every period
    starts and ends inside a UTC day. The expected figures are counted here, in Python."""

    ZONE = "Asia/Kolkata"  # UTC+05:30: local midnight is 18:30 UTC the day before

    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--source", "linkedin", now="2026-01-05T10:00:00Z")
        self.made = []  # (direction, referred_at UTC, closed_at UTC or None)
        # Either side of each local and each UTC midnight from 11-18 to 11-24, some closed the
        # next day, one of those closed only after the as-of used below.
        for day in range(18, 25):
            for at, closes in ((f"2026-11-{day:02d}T18:29:00Z", True), (f"2026-11-{day:02d}T18:30:00Z", False),
                               (f"2026-11-{day:02d}T23:59:00Z", day % 2 == 0),
                               (f"2026-11-{day + 1:02d}T00:00:00Z", True)):
                direction = "--from" if day % 3 else "--to"
                ref = self.refer(direction, "Ann", "--patient", f"P-{at}", "--date", at, now=at)
                closed = None
                if closes:
                    closed = (datetime.fromisoformat(at.replace("Z", "+00:00")) + timedelta(hours=20))
                    closed = closed.strftime("%Y-%m-%dT%H:%M:%SZ")
                    self.ok("status", str(ref), "closed", "--date", closed, now=closed)
                self.made.append(("in" if direction == "--from" else "out", at, closed))

    def expected(self, since, until, as_of):
        zone = ZoneInfo(self.ZONE)
        start = datetime.fromisoformat(since).replace(tzinfo=zone).astimezone(timezone.utc)
        end = (datetime.fromisoformat(until) + timedelta(days=1)).replace(tzinfo=zone).astimezone(timezone.utc)
        utc = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
        in_period = [m for m in self.made if start <= utc(m[1]) < end and utc(m[1]) <= as_of]
        return (sum(1 for m in in_period if m[0] == "in"), sum(1 for m in in_period if m[0] == "out"),
                sum(1 for m in in_period if m[2] and utc(m[2]) <= as_of))

    def test_periods_starting_and_ending_inside_utc_days(self):
        env = {"TZ": self.ZONE}
        checked = 0
        for since, until in (("2026-11-19", "2026-11-23"), ("2026-11-20", "2026-11-20"),
                             ("2026-11-18", "2026-11-25"), ("2026-11-21", "2026-11-22")):
            for as_of in ("2026-11-23T12:00:00Z", "2026-11-30T00:00:00Z"):
                with self.subTest(since=since, until=until, as_of=as_of):
                    f = figures(self.rows("report", "--since", since, "--until", until,
                                          "--as-of", as_of, env=env))
                    got = (f[("referrals", "in")], f[("referrals", "out")], f[("closed_loop", "closed")])
                    self.assertEqual(got, self.expected(since, until, datetime.fromisoformat(
                        as_of.replace("Z", "+00:00"))))
                    checked += sum(got)
        self.assertGreater(checked, 50)  # the periods hold referrals and closings to count
        self.assertEqual(self.ok("db", "check").code, 0)


if __name__ == "__main__":
    unittest.main()
