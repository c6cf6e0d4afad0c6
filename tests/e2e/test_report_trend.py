"""report trend: referrals in/out per week, month or quarter, every bucket present, bars in tables."""

import unittest

from refnet_e2e import RefnetCase

# (flag, day) at 10:00 UTC: three in during October 2026, one in and one out in November, two out
# in August, and one in 2025-11 (before the default twelve months).
REFERRALS = [
    ("--from", "2026-10-05"), ("--from", "2026-10-06"), ("--from", "2026-10-28"),
    ("--from", "2026-11-10"), ("--to", "2026-11-12"),
    ("--to", "2026-08-03"), ("--to", "2026-08-31"),
    ("--from", "2025-11-15"),
]


def build_network(case):
    case.init()
    ann = case.add("Ann Lee", "--source", "linkedin", now="2025-01-01T10:00:00Z")
    for i, (flag, day) in enumerate(REFERRALS):
        at = f"{day}T10:00:00Z"
        case.refer(flag, str(ann), "--patient", f"P-{i}", "--date", at, now=at)
    return ann


def figures(rows):
    return [(r["period"], r["in"], r["out"], r["total"]) for r in rows]


class TrendReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.seed(build_network)

    def test_default_is_twelve_months_with_empty_ones(self):
        rows = self.rows("report", "trend")
        expected = [(f"2025-12", 0, 0, 0)] + [(f"2026-{m:02}", 0, 0, 0) for m in range(1, 12)]
        expected[8] = ("2026-08", 0, 2, 2)
        expected[10] = ("2026-10", 3, 0, 3)
        expected[11] = ("2026-11", 1, 1, 2)
        self.assertEqual(figures(rows), expected)
        self.assertEqual(rows[0]["start"], "2025-12-01")
        self.assertEqual(list(rows[0].keys()), ["period", "start", "in", "out", "total"])

    def test_a_lone_until_keeps_twelve_months_ending_with_its_month(self):
        rows = self.rows("report", "trend", "--until", "2026-08-31")
        self.assertEqual([r["period"] for r in rows],
                         [f"2025-{m:02}" for m in range(9, 13)] +
                         [f"2026-{m:02}" for m in range(1, 9)])
        self.assertEqual(figures(rows)[-1], ("2026-08", 0, 2, 2))
        # Even one before every referral: twelve empty months, not a header alone.
        self.assertEqual(len(self.rows("report", "trend", "--until", "2025-01-31")), 12)

    def test_by_quarter_widens_to_the_first_quarter(self):
        rows = self.rows("report", "trend", "--by", "quarter")
        self.assertEqual(figures(rows), [
            ("2025-Q4", 1, 0, 1),
            ("2026-Q1", 0, 0, 0),
            ("2026-Q2", 0, 0, 0),
            ("2026-Q3", 0, 2, 2),
            ("2026-Q4", 4, 1, 5),
        ])

    def test_by_week_with_iso_labels(self):
        rows = self.rows("report", "trend", "--by", "week", "--since", "2026-10-26",
                         "--until", "2026-11-15")
        self.assertEqual(figures(rows), [
            ("2026-W44", 1, 0, 1),
            ("2026-W45", 0, 0, 0),
            ("2026-W46", 1, 1, 2),
        ])
        self.assertEqual([r["start"] for r in rows], ["2026-10-26", "2026-11-02", "2026-11-09"])

    def test_iso_week_years_at_the_turn_of_the_year(self):
        # 2026 starts on a Thursday, so it has 53 ISO weeks and 2025-12-29 is in 2026-W01.
        rows = self.rows("report", "trend", "--by", "week", "--since", "2025-12-29",
                         "--until", "2026-01-04")
        self.assertEqual([r["period"] for r in rows], ["2026-W01"])
        rows = self.rows("report", "trend", "--by", "week", "--since", "2026-12-28",
                         "--until", "2027-01-10", "--as-of", "2027-01-10")
        self.assertEqual([r["period"] for r in rows], ["2026-W53", "2027-W01"])

    def test_a_since_inside_a_bucket_counts_from_since(self):
        rows = self.rows("report", "trend", "--since", "2026-10-06", "--until", "2026-10-31")
        self.assertEqual(figures(rows), [("2026-10", 2, 0, 2)])

    def test_as_of_ends_the_last_bucket(self):
        rows = self.rows("report", "trend", "--as-of", "2026-11-11")
        self.assertEqual(figures(rows)[-1], ("2026-11", 1, 0, 1))

    def test_csv_has_numbers_and_no_bar(self):
        result = self.ok("--format", "csv", "report", "trend")
        rows = result.csv()
        self.assertEqual(list(rows[0].keys()), ["period", "start", "in", "out", "total"])
        self.assertEqual((rows[10]["period"], rows[10]["in"], rows[10]["total"]), ("2026-10", "3", "3"))
        self.assertNotIn("#", result.out)
        self.assertNotIn("█", result.out)
        tsv = self.ok("--format", "tsv", "report", "trend").out
        self.assertEqual(tsv.splitlines()[0], "period\tstart\tin\tout\ttotal")

    def test_table_draws_unicode_bars_in_a_utf8_locale(self):
        out = self.ok("report", "trend", env={"LANG": "C.UTF-8"}).out
        lines = {line.split()[0]: line for line in out.splitlines()}
        self.assertIn("Chart", lines["Period"])
        # October is the largest bucket: a full bar of 40 cells; November is two thirds of it.
        self.assertTrue(lines["2026-10"].endswith("█" * 40), lines["2026-10"])
        self.assertTrue(lines["2026-11"].endswith("█" * 26 + "▋"), lines["2026-11"])
        self.assertNotIn("█", lines["2026-01"])
        self.assertNotIn("#", out)

    def test_table_draws_ascii_bars_otherwise(self):
        out = self.ok("report", "trend", env={"LANG": "C"}).out
        lines = {line.split()[0]: line for line in out.splitlines()}
        self.assertTrue(lines["2026-10"].endswith(" " + "#" * 40), lines["2026-10"])
        self.assertTrue(lines["2026-11"].endswith(" " + "#" * 27), lines["2026-11"])
        self.assertNotIn("█", out)
        out.encode("ascii")

    def test_bad_by_is_a_usage_error(self):
        result = self.fails(2, "report", "trend", "--by", "day")
        self.assertIn("--by", result.err)
        self.assertEqual(result.out, "")


class EmptyTrend(RefnetCase):
    def test_empty_database_gives_zero_buckets(self):
        self.init()
        rows = self.rows("report", "trend")
        self.assertEqual(len(rows), 12)
        self.assertTrue(all(r["total"] == 0 for r in rows))
        out = self.ok("report", "trend").out
        self.assertIn("2026-11", out)
        self.assertNotIn("█", out)


if __name__ == "__main__":
    unittest.main()
