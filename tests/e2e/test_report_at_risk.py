"""report at-risk: referrers whose recent volume fell against their own baseline, graded by hand.

The clock is 2026-11-27T09:00:00Z (UTC). With the default windows the recent one is the 90 days
before it, [2026-08-29T09:00:01Z, 2026-11-27T09:00:01Z), and the baseline the 365 days before
that, so a referrer is expected to send 90/365 of its baseline count in the recent window."""

import unittest

from refnet_e2e import RefnetCase

RATIO = 90 / 365

MONTHLY_BASELINE = ["2025-09-15", "2025-10-15", "2025-11-15", "2025-12-15", "2026-01-15",
                    "2026-02-15", "2026-03-15", "2026-04-15", "2026-05-15", "2026-06-15",
                    "2026-07-15", "2026-08-15"]


def build_network(case):
    """Seven referrers with known answers:

    Fay   8 baseline, 0 recent: silent -> critical (drop 100.0)
    Hal  12 baseline, 1 recent: expected 2.96, drop 66.2 -> high
    Mia  12 baseline, 2 recent: drop 32.4 -> medium
    Sam   8 baseline, 2 recent: expected 1.97, more than expected -> steady, not flagged
    Nina  0 baseline, 3 recent: new, not judged
    Lou   2 baseline, 0 recent: below the minimum baseline (3), not judged
    Otto  5 outbound referrals only: we refer to him, he is not a referrer
    Arlo  8 baseline, 0 recent, but archived: retired contacts are not at risk
    """
    case.init()
    created = {"now": "2025-01-01T08:00:00Z"}
    ids = {name: case.add(name, "--role", "pcp", "--source", "linkedin", **created)
           for name in ("Fay Fade", "Hal High", "Mia Medium", "Sam Steady", "Lou Low",
                        "Otto Out", "Arlo Archived")}
    ids["Nina New"] = case.add("Nina New", "--role", "pcp", "--source", "linkedin",
                               now="2026-09-01T08:00:00Z")

    def refer_in(name, dates):
        for i, day in enumerate(dates):
            case.refer("--from", name, "--patient", f"{name[:3]}-{i}", "--date", f"{day}T10:00:00Z")

    fay = ["2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01", "2026-03-01",
           "2026-04-01", "2026-05-01"]
    refer_in("Fay Fade", fay)
    refer_in("Hal High", MONTHLY_BASELINE + ["2026-10-10"])
    refer_in("Mia Medium", MONTHLY_BASELINE + ["2026-09-20", "2026-11-01"])
    refer_in("Sam Steady", ["2025-10-05", "2025-11-05", "2026-01-05", "2026-02-05", "2026-04-05",
                            "2026-05-05", "2026-07-05", "2026-08-05", "2026-09-05", "2026-11-05"])
    refer_in("Nina New", ["2026-09-10", "2026-10-10", "2026-11-10"])
    refer_in("Lou Low", ["2025-12-01", "2026-02-01"])
    refer_in("Arlo Archived", fay)
    case.ok("archive", "Arlo Archived")
    for i, day in enumerate(["2025-10-01", "2025-12-01", "2026-02-01", "2026-04-01", "2026-06-01"]):
        case.refer("--to", "Otto Out", "--patient", f"Otto-{i}", "--date", f"{day}T10:00:00Z")
    return ids


class AtRiskReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def test_grades_the_fading_referrers_and_leaves_the_others_alone(self):
        rows = self.rows("report", "at-risk")
        self.assertEqual([r["contact"] for r in rows], ["Fay Fade", "Hal High", "Mia Medium"])
        fay, hal, mia = rows
        self.assertEqual(fay, {
            "grade": "critical", "contact": "Fay Fade", "contact_id": self.ids["Fay Fade"],
            "baseline": 8, "recent": 0, "expected": 2.0, "drop_percent": 100,
            "last_referral": "2026-05-01T10:00:00Z",
            # 2026-05-01T10:00 to 2026-11-27T09:00 is 209 days and 23 hours.
            "days_since_last": 209,
        })
        self.assertEqual((hal["grade"], hal["baseline"], hal["recent"], hal["expected"],
                          hal["drop_percent"], hal["last_referral"], hal["days_since_last"]),
                         ("high", 12, 1, 3.0, 66.2, "2026-10-10T10:00:00Z", 47))
        self.assertEqual((mia["grade"], mia["baseline"], mia["recent"], mia["expected"],
                          mia["drop_percent"], mia["days_since_last"]),
                         ("medium", 12, 2, 3.0, 32.4, 25))
        # The hand-computed figures, from the definition.
        self.assertAlmostEqual(hal["drop_percent"], round(100 * (12 * RATIO - 1) / (12 * RATIO), 1))
        self.assertAlmostEqual(mia["drop_percent"], round(100 * (12 * RATIO - 2) / (12 * RATIO), 1))

    def test_csv_and_tsv_carry_the_same_rows(self):
        rows = self.ok("report", "at-risk", "--format", "csv").csv()
        self.assertEqual(list(rows[0].keys()),
                         ["grade", "contact", "contact_id", "baseline", "recent", "expected",
                          "drop_percent", "last_referral", "days_since_last"])
        self.assertEqual([(r["grade"], r["contact"], r["drop_percent"]) for r in rows],
                         [("critical", "Fay Fade", "100"), ("high", "Hal High", "66.2"),
                          ("medium", "Mia Medium", "32.4")])
        tsv = self.ok("report", "at-risk", "--format", "tsv").csv(delimiter="\t")
        self.assertEqual([r["contact"] for r in tsv], ["Fay Fade", "Hal High", "Mia Medium"])

    def test_table_shows_grades_and_names(self):
        out = self.ok("report", "at-risk").out
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith("Grade     Contact"), out)
        self.assertIn("Drop %", lines[0])
        self.assertNotIn("Contact ID", lines[0])
        self.assertTrue(lines[1].startswith("critical  Fay Fade"), out)
        self.assertEqual(len(lines), 4, out)

    def test_thresholds_come_from_the_config(self):
        self.write_config("[report]\nat_risk_high_drop = 70\n")
        grades = {r["contact"]: r["grade"] for r in self.rows("report", "at-risk")}
        self.assertEqual(grades, {"Fay Fade": "critical", "Hal High": "medium",
                                  "Mia Medium": "medium"})
        self.write_config("[report]\nat_risk_min_baseline = 9\n")
        self.assertEqual([r["contact"] for r in self.rows("report", "at-risk")],
                         ["Hal High", "Mia Medium"])
        # Critical below 100: a deep drop that is not silence is critical too.
        self.write_config("[report]\nat_risk_critical_drop = 65\n")
        grades = {r["contact"]: r["grade"] for r in self.rows("report", "at-risk")}
        self.assertEqual(grades["Hal High"], "critical")

    def test_shorter_windows_from_the_config(self):
        # 30 days against the 60 before: only November and October count.
        self.write_config('[report]\nat_risk_recent = "30d"\nat_risk_baseline = "60d"\n'
                          "at_risk_min_baseline = 1\n")
        rows = self.rows("report", "at-risk")
        # Hal: 1 referral (Oct 10) in the baseline, none since Oct 28: silent, critical.
        # Mia: Sep 20 is in the baseline [Aug 29, Oct 28), Nov 1 in the recent window: 1 vs 0.5.
        self.assertEqual([(r["contact"], r["grade"], r["baseline"], r["recent"]) for r in rows],
                         [("Hal High", "critical", 1, 0)])

    def test_as_of_an_earlier_date_moves_both_windows(self):
        # As of the end of 2026-05-31, Fay had just referred (April, May): not at risk then.
        rows = self.rows("report", "at-risk", "--as-of", "2026-05-31")
        self.assertNotIn("Fay Fade", [r["contact"] for r in rows])
        # REFNET_NOW moves "now" the same way.
        rows = self.rows("report", "at-risk", now="2026-05-31T23:59:59Z")
        self.assertNotIn("Fay Fade", [r["contact"] for r in rows])

    def test_until_ends_the_recent_window_and_since_starts_the_baseline(self):
        # Up to the end of 2026-11-26 the same referrers fade; Arlo, archived only on 2026-11-27,
        # was still a contact then (ties on the drop go by name).
        same = self.rows("report", "at-risk", "--until", "2026-11-26")
        self.assertEqual([r["contact"] for r in same],
                         ["Arlo Archived", "Fay Fade", "Hal High", "Mia Medium"])
        # Days since the last referral are whole days to as-of, not to the end of --until.
        fay = next(r for r in same if r["contact"] == "Fay Fade")
        self.assertEqual(fay["days_since_last"], 209)
        earlier = self.rows("report", "at-risk", "--until", "2026-10-31")
        self.assertEqual(next(r for r in earlier if r["contact"] == "Fay Fade")["days_since_last"],
                         209)
        # A baseline from 2026-06-01 to the recent window: Fay had no referral then, so she has no
        # baseline and is not judged; Hal and Mia had 3 (Jun, Jul, Aug 15).
        rows = self.rows("report", "at-risk", "--since", "2026-06-01")
        self.assertEqual([(r["contact"], r["baseline"]) for r in rows],
                         [("Hal High", 3), ("Mia Medium", 3)])

    def test_since_inside_the_recent_window_is_a_usage_error(self):
        result = self.fails(2, "report", "at-risk", "--since", "2026-10-01")
        self.assertIn("leaves no baseline", result.err)


class AtRiskEmpty(RefnetCase):
    def test_an_empty_database_gives_empty_output(self):
        self.init()
        self.assertEqual(self.ok("report", "at-risk", "--format", "json").json(), [])
        self.assertEqual(self.ok("report", "at-risk", "--format", "csv").out.splitlines(),
                         ["grade,contact,contact_id,baseline,recent,expected,drop_percent,"
                          "last_referral,days_since_last"])
        result = self.ok("report", "at-risk")
        self.assertIn("No referrer is at risk.", result.err)


if __name__ == "__main__":
    unittest.main()
