"""report reciprocity: in, out, balance and the one-sided flag per contact, counted by hand."""

import unittest

from refnet_e2e import RefnetCase

# (name, [days referred in], [days referred out]); all in 2026, at 10:00 UTC.
NETWORK = [
    ("Ann Lee", ["10-01", "10-15", "11-02"], []),                          # one-sided, in only
    ("Bob Stone", [], ["10-20", "11-05"]),                                 # one-sided, out only
    ("Cy Park", ["09-01", "09-10", "10-01", "10-10", "11-01", "11-20"],    # 6 in, 2 out: unbalanced
     ["10-05", "11-03"]),
    ("Dora Kim", ["10-02", "11-11"], ["11-12"]),                           # 2 in, 1 out: balanced
    ("Eve Moss", ["10-03", "10-04", "10-06"], ["10-07"]),                  # 3 in, 1 out: unbalanced
]


def build_network(case):
    case.init()
    ids = {}
    for name, ins, outs in NETWORK:
        ids[name] = case.add(name, "--source", "linkedin", now="2026-01-02T10:00:00Z")
        for i, day in enumerate(ins):
            at = f"2026-{day}T10:00:00Z"
            case.refer("--from", str(ids[name]), "--patient", f"{name[:2]}-in-{i}", "--date", at,
                       now=at)
        for i, day in enumerate(outs):
            at = f"2026-{day}T10:00:00Z"
            case.refer("--to", str(ids[name]), "--patient", f"{name[:2]}-out-{i}", "--date", at,
                       now=at)
    # A contact with no referral at all is not listed.
    ids["Quiet One"] = case.add("Quiet One", "--source", "linkedin", now="2026-01-02T10:00:00Z")
    return ids


def table_of(rows):
    return [(r["contact"], r["in"], r["out"], r["balance"], r["flag"]) for r in rows]


class ReciprocityReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def test_all_time_figures_sorted_by_total(self):
        rows = self.rows("report", "reciprocity")
        self.assertEqual(table_of(rows), [
            ("Cy Park", 6, 2, 4, "unbalanced"),
            ("Eve Moss", 3, 1, 2, "unbalanced"),
            ("Ann Lee", 3, 0, 3, "one-sided (in only)"),
            ("Dora Kim", 2, 1, 1, None),
            ("Bob Stone", 0, 2, -2, "one-sided (out only)"),
        ])
        by_name = {r["contact"]: r for r in rows}
        self.assertEqual(by_name["Cy Park"]["last_in"], "2026-11-20T10:00:00Z")
        self.assertEqual(by_name["Cy Park"]["last_out"], "2026-11-03T10:00:00Z")
        self.assertIsNone(by_name["Ann Lee"]["last_out"])
        self.assertIsNone(by_name["Bob Stone"]["last_in"])
        self.assertEqual(by_name["Dora Kim"]["contact_id"], self.ids["Dora Kim"])

    def test_period_limits_counts_and_last_dates(self):
        # October only: Cy 2 in (10-01, 10-10) and 1 out (10-05); Ann 2 in; Bob 1 out.
        rows = self.rows("report", "reciprocity", "--since", "2026-10-01", "--until", "2026-10-31")
        self.assertEqual(table_of(rows), [
            ("Eve Moss", 3, 1, 2, "unbalanced"),
            ("Cy Park", 2, 1, 1, None),
            ("Ann Lee", 2, 0, 2, "one-sided (in only)"),
            ("Bob Stone", 0, 1, -1, "one-sided (out only)"),
            ("Dora Kim", 1, 0, 1, "one-sided (in only)"),
        ])
        cy = [r for r in rows if r["contact"] == "Cy Park"][0]
        self.assertEqual(cy["last_in"], "2026-10-10T10:00:00Z")

    def test_as_of_leaves_out_later_referrals(self):
        rows = self.rows("report", "reciprocity", "--as-of", "2026-09-30")
        self.assertEqual(table_of(rows), [("Cy Park", 2, 0, 2, "one-sided (in only)")])

    def test_csv_parses_with_the_same_figures(self):
        rows = self.ok("--format", "csv", "report", "reciprocity").csv()
        self.assertEqual([(r["contact"], r["in"], r["out"], r["balance"], r["flag"]) for r in rows][:2],
                         [("Cy Park", "6", "2", "4", "unbalanced"), ("Eve Moss", "3", "1", "2", "unbalanced")])
        self.assertEqual(rows[3]["flag"], "")

    def test_table_highlights_one_sided_rows(self):
        out = self.ok("--color", "always", "report", "reciprocity").out
        ann = [line for line in out.splitlines() if "Ann Lee" in line][0]
        cy = [line for line in out.splitlines() if "Cy Park" in line][0]
        self.assertTrue(ann.startswith("\x1b[33mAnn Lee"), repr(ann))
        self.assertTrue(cy.startswith("Cy Park"), repr(cy))
        plain = self.ok("report", "reciprocity").out
        self.assertNotIn("\x1b[", plain)
        self.assertIn("one-sided (out only)", plain)


class EmptyReciprocity(RefnetCase):
    def test_empty_database(self):
        self.init()
        self.assertEqual(self.rows("report", "reciprocity"), [])
        result = self.ok("report", "reciprocity")
        self.assertEqual(result.out, "")
        csv = self.ok("--format", "csv", "report", "reciprocity").out
        self.assertEqual(csv.strip(), "contact,in,out,balance,last_in,last_out,flag,contact_id")


TIED = ["bob Tie", "Bob Tie", "ALICE Tie", "alice Tie", "Émile Tie", "émile Tie", "Zoë Tie",
        "zoe Tie", "[Tie]", "_Tie", "Tie"]


# NOCASE folds A-Z only: "_" sorts before letters, bytes of UTF-8 after every ASCII one, and
# names equal but for case keep the order of their ids.
TIED_IN_ORDER = ["[Tie]", "_Tie", "ALICE Tie", "alice Tie", "bob Tie", "Bob Tie", "Tie", "zoe Tie",
                 "Zoë Tie", "Émile Tie", "émile Tie"]


def build_demo_with_tied_names(case):
    """A demo's contacts and thousands of referrals, plus contacts whose names differ only in
    case or accents, each with two referrals in, so the order among equals is by name."""
    case.ok("demo", "--contacts", "300", "--referrals", "6000", "--seed", "5",
            now="2026-11-27T09:00:00Z")
    for i, name in enumerate(TIED):
        # Each at a practice of its own: the same name and practice would be one contact.
        contact = case.add(name, "--practice", f"Tie Practice {i}", now="2026-11-01T09:00:00Z")
        for j in range(2):
            case.refer("--from", str(contact), "--patient", f"T-{i}-{j}",
                       "--date", "2026-11-02T10:00:00Z", now="2026-11-02T10:00:00Z")


# The report's figures and order as one SQL statement gave them before it read on two
# connections. lower() puts the names in order as the report does: on ASCII letters only, in
# SQLite and in PostgreSQL under the "C" collation alike.
ORACLE = """
    WITH counted AS MATERIALIZED (
      SELECT c.id AS contact_id, c.name AS name,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'in'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n_in,
        (SELECT count(*) FROM referral r WHERE r.contact_id = c.id AND r.direction = 'out'
           AND r.referred_at >= ?1 AND r.referred_at < ?2) AS n_out
      FROM contact c)
    SELECT g.contact_id, g.name, g.n_in, g.n_out,
      (SELECT max(r.referred_at) FROM referral r WHERE r.contact_id = g.contact_id
         AND r.direction = 'in' AND r.referred_at >= ?1 AND r.referred_at < ?2),
      (SELECT max(r.referred_at) FROM referral r WHERE r.contact_id = g.contact_id
         AND r.direction = 'out' AND r.referred_at >= ?1 AND r.referred_at < ?2)
    FROM counted g
    WHERE g.n_in + g.n_out > 0
    ORDER BY g.n_in + g.n_out DESC, lower(g.name), g.contact_id"""


class ReciprocityAtScale(RefnetCase):
    """Contacts read in ranges on two connections, put back in order: against the figures and
    order of the SQL the report ran before, on a demo."""

    def setUp(self):
        super().setUp()
        self.seed(build_demo_with_tied_names)

    def check(self, since, end, *args):
        rows = self.rows("report", "reciprocity", *args, env={"TZ": "UTC"},
                         now="2026-11-27T09:00:00Z")
        got = [(r["contact_id"], r["contact"], r["in"], r["out"], r["last_in"], r["last_out"])
               for r in rows]
        self.assertEqual(got, self.query(ORACLE, since, end))
        return got

    def test_every_contact_in_the_order_sql_gave(self):
        got = self.check("", "2026-11-28T09:00:00Z")
        self.assertGreater(len(got), 200)
        tied = [name for _, name, _, _, _, _ in got if name in TIED]
        self.assertEqual(tied, TIED_IN_ORDER)

    def test_a_period(self):
        self.check("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z",
                   "--since", "2026-10-01", "--as-of", "2026-10-31T23:59:59Z")


if __name__ == "__main__":
    unittest.main()
