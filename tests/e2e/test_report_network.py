"""report network: the referral graph as an edge list and as Graphviz, checked with real parsers."""

import shutil
import subprocess
import unittest

import test_report_reciprocity as reciprocity
from refnet_e2e import RefnetCase

# A name with every character DOT quoting must handle.
TRICKY = 'Dr. "Quote" \\ Back'


def build_network(case):
    """Ann (pcp) refers 3 to us; we refer 2 to Bob (specialist) and 1 to Cara (allied, no
    specialty), who also refers 1 to us; the tricky facility refers 1. Dan has no referral."""
    case.init()
    for name, role, specialty in (("Ann Lee", "pcp", "Family Medicine"),
                                  ("Bob Stone", "specialist", "Cardiology"),
                                  ("Cara Diaz", "allied", None),
                                  (TRICKY, "facility", "Imaging\nand labs"),
                                  ("Dan Idle", "pcp", None)):
        args = ["--role", role, "--source", "linkedin"]
        if specialty:
            args += ["--specialty", specialty]
        case.add(name, *args, now="2026-01-01T08:00:00Z")
    ids = {row["name"]: row["id"] for row in case.rows("list", "contacts")}
    for i, day in enumerate(["2026-09-01", "2026-10-01", "2026-11-01"]):
        case.refer("--from", "Ann", "--patient", f"A-{i}", "--date", f"{day}T10:00:00Z")
    for i, day in enumerate(["2026-09-15", "2026-11-15"]):
        case.refer("--to", "Bob", "--patient", f"B-{i}", "--date", f"{day}T10:00:00Z")
    case.refer("--to", "Cara", "--patient", "C-1", "--date", "2026-10-10T10:00:00Z")
    case.refer("--from", "Cara", "--patient", "C-2", "--date", "2026-10-20T10:00:00Z")
    case.refer("--from", str(ids[TRICKY]), "--patient", "T-1", "--date", "2026-11-20T10:00:00Z")
    return ids


class NetworkReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def edges(self, *args, **kwargs):
        return {(r["source"], r["target"], r["direction"]): r["referrals"]
                for r in self.rows("report", "network", *args, **kwargs)}

    def test_json_edges_point_from_who_referred_to_who_received(self):
        rows = self.rows("report", "network")
        self.assertEqual(self.edges(), {
            ("Ann Lee", "Our practice", "in"): 3,
            ("Our practice", "Bob Stone", "out"): 2,
            ("Our practice", "Cara Diaz", "out"): 1,
            ("Cara Diaz", "Our practice", "in"): 1,
            (TRICKY, "Our practice", "in"): 1,
        })
        self.assertEqual(rows[0], {"source": "Ann Lee", "target": "Our practice",
                                   "source_id": self.ids["Ann Lee"], "target_id": None,
                                   "direction": "in", "referrals": 3})
        bob = next(r for r in rows if r["target"] == "Bob Stone")
        self.assertEqual((bob["source_id"], bob["target_id"]), (None, self.ids["Bob Stone"]))
        self.assertEqual([r["referrals"] for r in rows], [3, 2, 1, 1, 1])

    def test_csv_edge_list(self):
        rows = self.ok("report", "network", "--format", "csv").csv()
        self.assertEqual(list(rows[0].keys()),
                         ["source", "target", "source_id", "target_id", "direction", "referrals"])
        self.assertIn({"source": TRICKY, "target": "Our practice",
                       "source_id": str(self.ids[TRICKY]), "target_id": "", "direction": "in",
                       "referrals": "1"}, rows)

    def test_the_period_and_the_practice_name(self):
        self.write_config('[practice]\nname = "Lakeside Heart"\n')
        self.assertEqual(self.edges("--since", "2026-11-01"), {
            ("Ann Lee", "Lakeside Heart", "in"): 1,
            ("Lakeside Heart", "Bob Stone", "out"): 1,
            (TRICKY, "Lakeside Heart", "in"): 1,
        })
        self.assertEqual(self.edges("--as-of", "2026-09-30"), {
            ("Ann Lee", "Lakeside Heart", "in"): 1,
            ("Lakeside Heart", "Bob Stone", "out"): 1,
        })

    def test_dot_names_nodes_by_role_and_weighs_edges(self):
        self.write_config('[practice]\nname = "Lakeside \\"Heart\\" Clinic"\n')
        dot = self.ok("report", "network", "--format", "dot").out
        self.assertTrue(dot.startswith('digraph "referrals" {\n'), dot)
        ann, bob, cara, tricky = (self.ids[n] for n in ("Ann Lee", "Bob Stone", "Cara Diaz", TRICKY))
        self.assertIn('"us" [label="Lakeside \\"Heart\\" Clinic", shape="doubleoctagon"', dot)
        self.assertIn(f'"c{ann}" [label="Ann Lee\\nFamily Medicine", shape="ellipse"', dot)
        self.assertIn(f'"c{bob}" [label="Bob Stone\\nCardiology", shape="box"', dot)
        self.assertIn(f'"c{cara}" [label="Cara Diaz", shape="hexagon"', dot)
        # Quotes and backslashes escaped; the newline in the specialty is a DOT line break.
        self.assertIn(f'"c{tricky}" [label="Dr. \\"Quote\\" \\\\ Back\\nImaging\\nand labs", '
                      'shape="house"', dot)
        self.assertIn(f'"c{ann}" -> "us" [weight=3, penwidth=6.00, label="3"];', dot)
        self.assertIn(f'"us" -> "c{bob}" [weight=2, penwidth=3.50, label="2"];', dot)
        self.assertIn(f'"us" -> "c{cara}" [weight=1, penwidth=1.00, label="1"];', dot)
        self.assertIn(f'"c{cara}" -> "us" [weight=1', dot)
        self.assertNotIn("Dan Idle", dot)
        self.assertEqual(dot.count(" -> "), 5)
        self.assertEqual(dot.count(f'"c{cara}" [label='), 1, "one node per contact")
        self.assertGraphvizAccepts(dot)

    def test_an_empty_period_is_a_graph_of_us_alone(self):
        dot = self.ok("report", "network", "--format", "dot", "--until", "2026-01-31").out
        self.assertIn('"us" [label="Our practice"', dot)
        self.assertNotIn("->", dot)
        self.assertGraphvizAccepts(dot)

    def test_dot_is_refused_by_every_other_command(self):
        for args in (["report", "at-risk"], ["report", "closed-loop"], ["report"],
                     ["list", "contacts"], ["report", "overdue"]):
            result = self.refused(2, *args, "--format", "dot",
                                  says="--format dot is only for refnet report network")
            self.assertIn("--format table, csv, tsv or json", result.err)
        # A command that writes refuses before it writes anything.
        self.refused(2, "--format", "dot", "add", "Eve New", says="only for refnet report network")

    def assertGraphvizAccepts(self, dot):
        if shutil.which("dot") is None:
            self.skipTest("Graphviz `dot` is not installed (.ci/deps --test installs graphviz); "
                          "the DOT text was checked, its rendering was not")
        proc = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("<svg", proc.stdout)
        self.assertEqual(proc.stderr, "", "Graphviz warned about the graph")


class NetworkEmpty(RefnetCase):
    def test_an_empty_database_gives_empty_output(self):
        self.init()
        self.assertEqual(self.ok("report", "network", "--format", "json").json(), [])
        self.assertEqual(self.ok("report", "network", "--format", "csv").out,
                         "source,target,source_id,target_id,direction,referrals\n")
        dot = self.ok("report", "network", "--format", "dot").out
        self.assertIn('"us"', dot)
        if shutil.which("dot"):
            proc = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)


# The edges and their order as one SQL statement gave them before the report read on two
# connections. lower() puts the names in order as the report does: on ASCII letters only, in
# SQLite and in PostgreSQL under the "C" collation alike.
ORACLE = """
    SELECT e.direction, e.contact_id, c.name, e.referrals
    FROM (SELECT direction, contact_id, count(*) AS referrals
          FROM referral WHERE referred_at >= ?1 AND referred_at < ?2
          GROUP BY direction, contact_id) e
    JOIN contact c ON c.id = e.contact_id
    ORDER BY e.referrals DESC, lower(c.name), c.id, e.direction"""


class NetworkAtScale(RefnetCase):
    """Contacts counted in ranges on two connections, put back in order: against the edges and
    order of the SQL the report ran before, on a demo with names equal but for case."""

    def setUp(self):
        super().setUp()
        self.seed(reciprocity.build_demo_with_tied_names)

    def edges(self, *args):
        rows = self.rows("report", "network", *args, env={"TZ": "UTC"}, now="2026-11-27T09:00:00Z")
        return [(r["direction"], r["source_id"], r["source"], r["referrals"]) if r["direction"] == "in"
                else (r["direction"], r["target_id"], r["target"], r["referrals"]) for r in rows]

    def test_every_edge_in_the_order_sql_gave(self):
        got = self.edges()
        self.assertEqual(got, self.query(ORACLE, "", "2026-11-28T09:00:00Z"))
        self.assertGreater(len(got), 300)
        tied = [name for _, _, name, _ in got if name in reciprocity.TIED]
        self.assertEqual(tied, reciprocity.TIED_IN_ORDER)

    def test_a_period(self):
        self.assertEqual(self.edges("--since", "2026-10-01", "--as-of", "2026-10-31T23:59:59Z"),
                         self.query(ORACLE, "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"))


if __name__ == "__main__":
    unittest.main()
