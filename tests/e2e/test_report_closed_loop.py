"""report closed-loop: the CMS50 rule on a hand-built network, overall and per contact."""

import unittest

import test_report_reciprocity as reciprocity
from refnet_e2e import RefnetCase


def build_network(case):
    """Outbound: four referrals to Olga (two closed in time, one still open, one whose closing is
    dated before the referral, as an import could leave it) and one declined by Pete.
    Inbound: three from Ann in September, two of which we closed."""
    case.init()
    for name, role in (("Olga Consultant", "specialist"), ("Pete Surgeon", "specialist"),
                       ("Ann Pcp", "pcp")):
        case.add(name, "--role", role, "--source", "linkedin", now="2026-01-01T08:00:00Z")
    r = {}
    r["olga1"] = case.refer("--to", "Olga", "--patient", "O-1", "--date", "2026-10-01T10:00:00Z")
    case.ok("status", str(r["olga1"]), "seen", "--date", "2026-10-10T10:00:00Z")
    case.ok("status", str(r["olga1"]), "closed", "--date", "2026-10-20T10:00:00Z")
    r["olga2"] = case.refer("--to", "Olga", "--patient", "O-2", "--date", "2026-10-05T10:00:00Z")
    case.ok("status", str(r["olga2"]), "closed", "--date", "2026-10-25T10:00:00Z")
    r["olga3"] = case.refer("--to", "Olga", "--patient", "O-3", "--date", "2026-10-10T10:00:00Z")
    case.ok("status", str(r["olga3"]), "seen", "--date", "2026-10-12T10:00:00Z")
    r["olga4"] = case.refer("--to", "Olga", "--patient", "O-4", "--date", "2026-10-12T10:00:00Z")
    case.ok("status", str(r["olga4"]), "closed", "--date", "2026-10-22T10:00:00Z")
    # The status machine refuses a closing before the referral; imported data can carry one.
    case.query("UPDATE referral SET closed_at = '2026-10-01T00:00:00Z' WHERE id = ?", r["olga4"])
    r["pete"] = case.refer("--to", "Pete", "--patient", "P-1", "--date", "2026-10-15T10:00:00Z")
    case.ok("status", str(r["pete"]), "declined", "--reason", "no capacity",
            "--date", "2026-10-16T10:00:00Z")
    for i, day in enumerate(["2026-09-01", "2026-09-10", "2026-09-20"]):
        r[f"ann{i}"] = case.refer("--from", "Ann", "--patient", f"A-{i}", "--date", f"{day}T10:00:00Z")
    case.ok("status", str(r["ann0"]), "closed", "--date", "2026-09-05T10:00:00Z")
    case.ok("status", str(r["ann1"]), "closed", "--date", "2026-09-15T10:00:00Z")
    case.ok("ack", str(r["ann2"]), "--date", "2026-09-21T10:00:00Z")
    return r


def key(row):
    return (row["scope"], row["direction"], row["contact"])


class ClosedLoopReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.refs = self.seed(build_network)

    def figures(self, *args, **kwargs):
        return {key(r): (r["referrals"], r["closed"], r["open"], r["rate_percent"])
                for r in self.rows("report", "closed-loop", *args, **kwargs)}

    def test_a_report_dated_before_the_referral_does_not_close_the_loop(self):
        rows = self.rows("report", "closed-loop")
        self.assertEqual([key(r) for r in rows], [
            ("overall", "out", None), ("overall", "in", None),
            ("contact", "out", "Olga Consultant"), ("contact", "out", "Pete Surgeon"),
            ("contact", "in", "Ann Pcp")])
        self.assertEqual(self.figures(), {
            ("overall", "out", None): (5, 2, 3, 40.0),
            ("overall", "in", None): (3, 2, 1, 66.7),
            ("contact", "out", "Olga Consultant"): (4, 2, 2, 50.0),
            ("contact", "out", "Pete Surgeon"): (1, 0, 1, 0.0),
            ("contact", "in", "Ann Pcp"): (3, 2, 1, 66.7),
        })
        olga = rows[2]
        self.assertEqual(olga["contact_id"], 1)
        self.assertIsNone(rows[0]["contact_id"])
        self.assertIsNone(rows[0]["contact"])

    def test_the_period_selects_referrals_by_when_they_were_made(self):
        # From 2026-10-06: Olga's third and fourth (neither closed) and Pete's; no inbound, and
        # the overall inbound row says so (0 referrals, no rate) rather than going missing.
        self.assertEqual(self.figures("--since", "2026-10-06"), {
            ("overall", "out", None): (3, 0, 3, 0.0),
            ("overall", "in", None): (0, 0, 0, None),
            ("contact", "out", "Olga Consultant"): (2, 0, 2, 0.0),
            ("contact", "out", "Pete Surgeon"): (1, 0, 1, 0.0),
        })
        self.assertEqual(self.figures("--since", "2026-09-01", "--until", "2026-09-30"), {
            ("overall", "out", None): (0, 0, 0, None),
            ("overall", "in", None): (3, 2, 1, 66.7),
            ("contact", "in", "Ann Pcp"): (3, 2, 1, 66.7),
        })

    def test_as_of_counts_only_reports_that_had_come_back(self):
        # As of the end of 2026-10-21 Olga's first report (Oct 20) was back, her second (Oct 25)
        # was not, and Pete's referral had been made.
        figures = self.figures("--as-of", "2026-10-21")
        self.assertEqual(figures[("contact", "out", "Olga Consultant")], (4, 1, 3, 25.0))
        self.assertEqual(figures[("overall", "out", None)], (5, 1, 4, 20.0))

    def test_csv_has_one_header_and_the_same_columns_every_row(self):
        result = self.ok("report", "closed-loop", "--format", "csv")
        rows = result.csv()
        self.assertEqual(list(rows[0].keys()), ["scope", "direction", "contact", "contact_id",
                                                "referrals", "closed", "open", "rate_percent"])
        self.assertEqual(rows[0]["contact"], "")
        self.assertEqual(rows[0]["rate_percent"], "40")
        self.assertEqual(rows[1]["rate_percent"], "66.7")
        self.assertEqual(len(rows), 5)

    def test_table_leaves_the_contact_id_out(self):
        out = self.ok("report", "closed-loop").out
        header = out.splitlines()[0]
        self.assertIn("Rate %", header)
        self.assertNotIn("Contact ID", header)
        self.assertIn("Olga Consultant", out)


class ClosedLoopEmpty(RefnetCase):
    def test_an_empty_database_gives_empty_output(self):
        self.init()
        self.assertEqual(self.ok("report", "closed-loop", "--format", "json").json(), [])
        self.assertEqual(self.ok("report", "closed-loop", "--format", "csv").out,
                         "scope,direction,contact,contact_id,referrals,closed,open,rate_percent\n")
        self.assertIn("No referrals in the period.", self.ok("report", "closed-loop").err)


# The report's figures and order as one SQL statement gave them before it read on two
# connections. lower() puts the names in order as the report does: on ASCII letters only, in
# SQLite and in PostgreSQL under the "C" collation alike.
ORACLE = """
    WITH per_contact AS MATERIALIZED (
      SELECT direction, contact_id, count(*) AS referrals,
             sum(CASE WHEN status = 'closed' AND closed_at >= referred_at AND closed_at <= ?3
                      THEN 1 ELSE 0 END) AS closed
      FROM referral
      WHERE referred_at >= ?1 AND referred_at < ?2
      GROUP BY direction, contact_id)
    SELECT scope, direction, contact_id, name, referrals, closed,
           round(100.0 * closed / referrals, 1) AS rate
    FROM (
      SELECT 'overall' AS scope, 0 AS scope_order, direction, NULL AS contact_id, NULL AS name,
             sum(referrals) AS referrals, sum(closed) AS closed
      FROM per_contact GROUP BY direction
      UNION ALL
      SELECT 'contact', 1, p.direction, p.contact_id, c.name, p.referrals, p.closed
      FROM per_contact p JOIN contact c ON c.id = p.contact_id) lines
    ORDER BY scope_order, direction = 'in', referrals DESC, lower(name), contact_id"""


class ClosedLoopAtScale(RefnetCase):
    """Contacts counted in ranges on two connections, put back in order: against the figures and
    order of the SQL the report ran before, on a demo with names equal but for case."""

    def setUp(self):
        super().setUp()
        self.seed(reciprocity.build_demo_with_tied_names)

    def check(self, since, end, as_of, *args):
        rows = self.rows("report", "closed-loop", *args, env={"TZ": "UTC"},
                         now="2026-11-27T09:00:00Z")
        got = [(r["scope"], r["direction"], r["contact_id"], r["contact"], r["referrals"],
                r["closed"] or 0, r["rate_percent"]) for r in rows]
        # PostgreSQL's round() gives a decimal.
        expected = [(scope, direction, contact, name, referrals, closed or 0, float(rate or 0.0))
                    for scope, direction, contact, name, referrals, closed, rate
                    in self.query(ORACLE, since, end, as_of)]
        self.assertEqual(got, expected)
        return got

    def test_every_contact_in_the_order_sql_gave(self):
        got = self.check("", "2026-11-28T09:00:00Z", "2026-11-27T09:00:00Z")
        self.assertGreater(len(got), 300)
        tied = [row[3] for row in got if row[3] in reciprocity.TIED]
        self.assertEqual(tied, reciprocity.TIED_IN_ORDER)

    def test_a_period_and_as_of(self):
        self.check("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-10-31T23:59:59Z",
                   "--since", "2026-10-01", "--as-of", "2026-10-31T23:59:59Z")


if __name__ == "__main__":
    unittest.main()
