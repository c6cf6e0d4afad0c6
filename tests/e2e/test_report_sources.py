"""report sources: inbound referrals by source channel and by event, with hand-counted shares."""

import unittest

from refnet_e2e import RefnetCase


def build_network(case):
    """Eight inbound referrals in October and November 2026:

    - Ann (source cme, added with --event "Fall CME"): 3
    - Bob (source linkedin, met at Spring Congress and later at Heart Congress): 2, credited to
      Heart Congress, the most recent event he was met at; the Winter Gala comes after as-of
    - Cara (no source, no event): 1
    - Dan (source cme, added with --event "Spring Congress", met again at Heart Congress): 2,
      credited to Spring Congress, his own event
    Not counted: one referral out to Ann, and one in from Ann in 2025 (outside --since)."""
    case.init()
    at = "2026-03-01T10:00:00Z"
    ids = {}
    ids["bob"] = case.add("Bob Stone", "--source", "linkedin", now=at)
    ids["cara"] = case.add("Cara Diaz", now=at)
    case.ok("event", "Spring Congress", "--kind", "conference", "--date", "2026-04-01",
            "--met", "Bob", now=at)
    ids["dan"] = case.add("Dan Wu", "--source", "cme", "--event", "Spring Congress", now=at)
    case.ok("event", "Fall CME", "--kind", "cme", "--date", "2026-10-10", now=at)
    ids["ann"] = case.add("Ann Lee", "--source", "cme", "--event", "Fall CME", now=at)
    case.ok("event", "Heart Congress", "--kind", "conference", "--date", "2026-11-15",
            "--met", "Bob", "--met", "Dan", now=at)
    case.ok("event", "Winter Gala", "--kind", "social", "--date", "2026-12-05", "--met", "Bob",
            now=at)
    ids.update({e["name"]: e["id"] for e in case.rows("list", "events")})

    def refer(flag, who, patient, day):
        when = f"{day}T10:00:00Z"
        case.refer(flag, str(ids[who]), "--patient", patient, "--date", when, now=when)

    for i, day in enumerate(["2026-10-12", "2026-10-20", "2026-11-02"]):
        refer("--from", "ann", f"A-{i}", day)
    refer("--from", "bob", "B-0", "2026-11-16")
    refer("--from", "bob", "B-1", "2026-11-20")
    refer("--from", "cara", "C-0", "2026-10-05")
    refer("--from", "dan", "D-0", "2026-10-01")
    refer("--from", "dan", "D-1", "2026-11-25")
    refer("--to", "ann", "A-out", "2026-11-03")
    refer("--from", "ann", "A-old", "2025-06-01")
    return ids


def section(rows, by):
    return [(r["name"], r["referrals"], r["share"], r["contacts"]) for r in rows if r["by"] == by]


class SourcesReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def rows_since_october(self, *args):
        return self.rows("report", "sources", "--since", "2026-10-01", *args)

    def test_by_source_channel(self):
        rows = self.rows_since_october()
        self.assertEqual(section(rows, "source"), [
            ("cme", 5, 62.5, 2),
            ("linkedin", 2, 25.0, 1),
            ("unknown", 1, 12.5, 1),
        ])

    def test_by_event_with_attribution(self):
        rows = self.rows_since_october()
        self.assertEqual(section(rows, "event"), [
            ("Fall CME", 3, 37.5, 1),
            ("Heart Congress", 2, 25.0, 1),
            ("Spring Congress", 2, 25.0, 1),
            ("no event", 1, 12.5, 1),
        ])
        events = {r["name"]: r for r in rows if r["by"] == "event"}
        self.assertEqual(events["Heart Congress"]["date"], "2026-11-15")
        self.assertEqual(events["Heart Congress"]["event_id"], self.ids["Heart Congress"])
        self.assertIsNone(events["no event"]["event_id"])
        self.assertNotIn("Winter Gala", events)
        # Sources come first, and every section adds up to all inbound referrals.
        self.assertEqual([r["by"] for r in rows], ["source"] * 3 + ["event"] * 4)
        for by in ("source", "event"):
            self.assertEqual(sum(r["referrals"] for r in rows if r["by"] == by), 8)
            self.assertAlmostEqual(sum(r["share"] for r in rows if r["by"] == by), 100.0)

    def test_as_of_after_a_later_event_moves_the_credit(self):
        # As of 2026-12-31 the Winter Gala (12-05) is Bob's most recent event.
        rows = self.rows_since_october("--as-of", "2026-12-31")
        self.assertIn(("Winter Gala", 2, 25.0, 1), section(rows, "event"))

    def test_all_time_counts_the_old_referral(self):
        rows = self.rows("report", "sources")
        self.assertEqual(section(rows, "source")[0], ("cme", 6, 66.7, 2))

    def test_csv_parses(self):
        rows = self.ok("--format", "csv", "report", "sources", "--since", "2026-10-01").csv()
        self.assertEqual(list(rows[0].keys()),
                         ["by", "name", "date", "referrals", "share", "contacts", "event_id"])
        self.assertEqual((rows[0]["by"], rows[0]["name"], rows[0]["referrals"], rows[0]["share"]),
                         ("source", "cme", "5", "62.5"))
        self.assertEqual(rows[0]["date"], "")

    def test_table_renders(self):
        out = self.ok("report", "sources", "--since", "2026-10-01").out
        self.assertIn("Share %", out.splitlines()[0])
        self.assertIn("Heart Congress", out)
        self.assertIn("2026-11-15", out)


class EmptySources(RefnetCase):
    def test_no_inbound_referrals(self):
        self.init()
        self.assertEqual(self.rows("report", "sources"), [])
        self.assertEqual(self.ok("report", "sources").out, "")


if __name__ == "__main__":
    unittest.main()
