"""report digest: the Monday page, on a network counted by hand, in text, json and html."""

import os
import stat
import unittest

from refnet_e2e import RefnetCase

SECTIONS = ["actions", "referrals", "thanks", "at_risk", "one_sided", "loops", "coming", "sources"]
PATIENTS = ["MRN-A1", "MRN-A2", "MRN-A3", "MRN-A4", "MRN-A5", "MRN-A6", "MRN-B1", "MRN-B2",
            "MRN-B3", "MRN-B4", "MRN-B5", "MRN-B6", "MRN-C1", "MRN-C2", "MRN-C3", "MRN-D1",
            "MRN-E1"]


def build_network(case):
    """The clock is Friday 2026-11-27 09:00 UTC. The tests ask for the days 2026-11-21 to 11-27
    (--until 2026-11-27: the 7 days ending with it, up to as-of), the previous ones 11-14 to 11-20, a year earlier 2025-11-21 to 11-27; at-risk's recent window
    starts 2026-08-29 09:00:01 and its baseline a year before that; the rates cover 2026-08-30 to
    11-27.

    Ann referred five times in the baseline (2025-11-24, the only referral a year earlier, and
    four in 2026 up to July) and once the other way, then went silent: critical, and out of touch.
    Bob went both ways in April and only out since (10-05, 11-18, 11-24): gone one-sided. Cara
    referred on 11-16 (previous period), 11-23 and 11-25; Dan on 11-22 (urgent, acknowledged 48
    hours later, and called on 11-26); Eve, met at the Fall Symposium, on 11-26, with a call only
    before it. Every plan the service levels made is dismissed; Dan gets a plan after his call
    (overdue), Cara one for 12-01, and Eve's referral an appointment on 12-02."""
    case.init()
    ids = {}
    created = "2025-06-01T10:00:00Z"
    ids["ann"] = case.add("Ann Lee", "--role", "pcp", "--source", "linkedin", now=created)
    ids["bob"] = case.add("Bob Stone", "--role", "specialist", "--source", "doximity", now=created)
    ids["cara"] = case.add("Cara Diaz", "--role", "pcp", "--source", "sermo", now=created)
    ids["dan"] = case.add("Dan <b>Ng</b> & Sons", "--role", "pcp", "--source", "linkedin",
                          now=created)
    case.ok("event", "Fall Symposium", "--kind", "conference", "--date", "2026-10-10",
            now="2026-10-01T10:00:00Z")
    ids["eve"] = case.add("Eve Park", "--role", "pcp", "--source", "doximity", "--event",
                          "Fall Symposium", now="2026-10-10T18:00:00Z")

    def refer(direction, who, patient, day, *extra):
        at = f"{day}T10:00:00Z"
        return case.refer(direction, who, "--patient", patient, "--date", at, *extra, now=at)

    def status(ref, to, at, *extra):
        case.ok("status", str(ref), to, "--date", at, *extra, now=at)

    def closed(ref, day):
        status(ref, "acknowledged", f"{day}T11:00:00Z")
        status(ref, "closed", f"{day}T12:00:00Z")

    for n, day in enumerate(["2025-11-24", "2026-01-10", "2026-03-10", "2026-05-10",
                             "2026-07-10"], 1):
        closed(refer("--from", "Ann", f"MRN-A{n}", day), day)
    closed(refer("--to", "Ann", "MRN-A6", "2026-02-10"), "2026-02-10")
    closed(refer("--from", "Bob", "MRN-B1", "2026-04-01"), "2026-04-01")
    closed(refer("--to", "Bob", "MRN-B2", "2026-04-02"), "2026-04-02")
    bob = refer("--to", "Bob", "MRN-B3", "2026-10-05")
    status(bob, "acknowledged", "2026-10-05T13:00:00Z")  # 3 hours
    status(bob, "closed", "2026-10-20T12:00:00Z")
    refer("--to", "Bob", "MRN-B4", "2026-11-18")
    refer("--to", "Bob", "MRN-B5", "2026-11-24")
    cara = refer("--from", "Cara", "MRN-C1", "2026-11-16")
    status(cara, "acknowledged", "2026-11-17T10:00:00Z")  # 24 hours
    status(cara, "closed", "2026-11-20T12:00:00Z")
    refer("--from", "Cara", "MRN-C2", "2026-11-23")
    refer("--from", "Cara", "MRN-C3", "2026-11-25")
    dan = refer("--from", "Dan", "MRN-D1", "2026-11-22", "--urgency", "urgent")
    status(dan, "acknowledged", "2026-11-24T10:00:00Z")  # 48 hours against 24
    case.ok("followup", "Eve", "--via", "call", now="2026-11-20T15:00:00Z")
    eve = refer("--from", "Eve", "MRN-E1", "2026-11-26")
    case.ok("status", str(eve), "scheduled", "--appointment", "2026-12-02T10:30:00Z",
            now="2026-11-26T12:00:00Z")
    case.ok("followup", "Dan", "--via", "call", now="2026-11-26T09:00:00Z")
    for plan in case.rows("list", "followups"):
        if plan.get("state", "planned") == "planned" and plan.get("due"):
            case.ok("followup", "dismiss", str(plan["id"]), now="2026-11-26T09:30:00Z")
    case.ok("followup", "Dan", "--due", "2026-11-26T15:00:00Z", "--via", "email",
            now="2026-11-26T10:00:00Z")
    case.ok("followup", "Cara", "--due", "2026-12-01T09:00:00Z", "--via", "email",
            now="2026-11-26T10:00:00Z")
    return ids


def rows(doc, section, table):
    return doc["sections"][section]["tables"][table]["rows"]


class DigestReport(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def digest(self, *args, **kwargs):
        """The digest as json; without a period or as-of asked for, that of the days 11-21 to 11-27
        (up to as-of) the network was built around."""
        if not any(a in args for a in ("--since", "--until", "--as-of")):
            args = ("--until", "2026-11-27", *args)
        return self.ok("report", "digest", "--format", "json", *args, **kwargs).json()

    def test_period_and_sections_in_order(self):
        doc = self.digest()
        self.assertEqual(doc["period"], {"since": "2026-11-21", "until": "2026-11-27",
                                         "as_of": "2026-11-27T09:00:00Z"})
        self.assertEqual(list(doc["sections"]), SECTIONS)
        self.assertEqual(doc["subtitle"], "2026-11-21 to 2026-11-27 (as of 2026-11-27 09:00)")
        # By default the 7 whole days before as-of's day: weekly runs at any hour cover every day
        # once (the Friday 09:00 run ends where the next Friday's, at 18:00, starts).
        default = self.ok("report", "digest", "--format", "json").json()["period"]
        self.assertEqual((default["since"], default["until"]), ("2026-11-20", "2026-11-26"))
        later = self.ok("report", "digest", "--format", "json", now="2026-12-04T18:00:00Z").json()
        self.assertEqual((later["period"]["since"], later["period"]["until"]), ("2026-11-27", "2026-12-03"))
        self.assertEqual(rows(later, "referrals", "compare")[1]["from"], "2026-11-20",
                         "the previous period is the week before, whole days")

    def test_what_needs_doing(self):
        s = self.digest()["sections"]["actions"]
        self.assertEqual(s["figures"], {"overdue": 5})
        self.assertEqual({r["kind"]: r["count"] for r in s["tables"]["by_kind"]["rows"]},
                         {"acknowledge": 1, "chase-acknowledgement": 2, "followup": 1,
                          "keep-in-touch": 1})
        urgent = s["tables"]["most_urgent"]["rows"]
        self.assertEqual([(r["kind"], r["contact_id"]) for r in urgent],
                         [("keep-in-touch", self.ids["ann"]),
                          ("chase-acknowledgement", self.ids["bob"]),
                          ("acknowledge", self.ids["cara"]),
                          ("chase-acknowledgement", self.ids["bob"]),
                          ("followup", self.ids["dan"])])
        self.assertIn("MRN-C2", urgent[2]["owed"])
        self.assertEqual(s["tables"]["most_urgent"]["left_out"], 0)
        # The same items as the overdue report.
        self.assertEqual(len(self.rows("report", "overdue")), 5)

    def test_referrals_against_the_previous_period_and_a_year_earlier(self):
        s = self.digest()["sections"]["referrals"]
        compare = rows(self.digest(), "referrals", "compare")
        self.assertEqual([(r["period"], r["from"], r["to"], r["in"], r["out"]) for r in compare],
                         [("this period", "2026-11-21", "2026-11-27", 4, 1),
                          ("previous period", "2026-11-14", "2026-11-20", 1, 1),
                          ("a year earlier", "2025-11-21", "2025-11-27", 1, 0)])
        self.assertEqual(s["figures"], {"in": 4, "out": 1})
        weeks = s["tables"]["weeks"]["rows"]
        self.assertEqual(len(weeks), 12)
        self.assertEqual(weeks[0]["week"], "2026-W37")
        self.assertEqual({w["week"]: (w["in"], w["out"]) for w in weeks if w["in"] or w["out"]},
                         {"2026-W41": (0, 1), "2026-W47": (2, 1), "2026-W48": (3, 1)})
        # The weeks agree with report trend by week.
        trend = {r["period"]: (r["in"], r["out"])
                 for r in self.rows("report", "trend", "--by", "week")}
        for w in weeks:
            self.assertEqual(trend[w["week"]], (w["in"], w["out"]), w["week"])

    def test_who_to_thank(self):
        s = self.digest()["sections"]["thanks"]
        self.assertIsNone(s["empty"])
        thanks = s["tables"]["referrers"]["rows"]
        self.assertEqual([(r["contact_id"], r["referrals"], r["last_referral"], r["last_touch"])
                          for r in thanks],
                         [(self.ids["cara"], 2, "2026-11-25T10:00:00Z", None),
                          (self.ids["eve"], 1, "2026-11-26T10:00:00Z", "2026-11-20T15:00:00Z")])

    def test_at_risk_with_its_trend(self):
        s = self.digest()["sections"]["at_risk"]
        risk = s["tables"]["referrers"]["rows"]
        self.assertEqual(len(risk), 1)
        ann = risk[0]
        self.assertEqual((ann["grade"], ann["contact_id"], ann["baseline"], ann["recent"],
                          ann["drop_percent"]), ("critical", self.ids["ann"], 5, 0, 100))
        # Per month from the baseline's start, 2025-08, to 2026-11.
        self.assertEqual(ann["trend"], [0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0])
        # The figures of report at-risk for the same windows.
        report = self.rows("report", "at-risk")
        self.assertEqual([(r["contact_id"], r["expected"]) for r in report],
                         [(ann["contact_id"], ann["expected"])])

    def test_relationships_gone_one_sided(self):
        s = self.digest()["sections"]["one_sided"]
        self.assertEqual(rows(self.digest(), "one_sided", "contacts"), [{
            "contact": "Bob Stone", "contact_id": self.ids["bob"], "flag": "one-sided (out only)",
            "before_in": 1, "before_out": 1, "recent_in": 0, "recent_out": 3}])
        self.assertIn("2025-08-29", s["note"])

    def test_closed_loops_and_turnaround_against_targets(self):
        s = self.digest()["sections"]["loops"]
        loop = {r["direction"]: r for r in s["tables"]["closed_loop"]["rows"]}
        self.assertEqual((loop["out"]["referrals"], loop["out"]["closed"],
                          loop["out"]["rate_percent"], loop["out"]["met"]), (3, 1, 33.3, False))
        self.assertEqual((loop["in"]["referrals"], loop["in"]["closed"],
                          loop["in"]["rate_percent"], loop["in"]["target_percent"]),
                         (5, 1, 20.0, 80))
        ack = {(r["direction"], r["urgency"]): r for r in s["tables"]["acknowledgement"]["rows"]}
        self.assertEqual((ack[("out", "routine")]["median_hours"], ack[("out", "routine")]["met"]),
                         (3.0, True))
        self.assertEqual(ack[("in", "urgent")]["count"], 1)
        self.assertEqual((ack[("in", "urgent")]["median_hours"], ack[("in", "urgent")]["target"],
                          ack[("in", "urgent")]["target_hours"], ack[("in", "urgent")]["met"]),
                         (48.0, "24h", 24, False))
        self.assertEqual(ack[("in", "routine")]["target_hours"], 67.2)

    def test_a_lower_target_is_met(self):
        self.write_config("[report]\nclosed_loop_target = 30\n")
        loop = {r["direction"]: r for r in rows(self.digest(), "loops", "closed_loop")}
        self.assertEqual((loop["out"]["met"], loop["in"]["met"]), (True, False))

    def test_the_coming_seven_days(self):
        s = self.digest()["sections"]["coming"]
        self.assertEqual(s["figures"], {"followups": 1, "appointments": 1})
        items = s["tables"]["items"]["rows"]
        self.assertEqual([(r["kind"], r["when"], r["contact_id"]) for r in items],
                         [("followup", "2026-12-01T09:00:00Z", self.ids["cara"]),
                          ("appointment", "2026-12-02T10:30:00Z", self.ids["eve"])])
        self.assertIn("MRN-E1", items[1]["what"])

    def test_sources_and_events(self):
        s = self.digest()["sections"]["sources"]
        self.assertEqual(s["figures"], {"referrals_in": 4})
        self.assertEqual([(r["name"], r["referrals"], r["share"], r["contacts"])
                          for r in s["tables"]["by_source"]["rows"]],
                         [("sermo", 2, 50, 1), ("doximity", 1, 25, 1), ("linkedin", 1, 25, 1)])
        self.assertEqual([(r["name"], r["date"], r["referrals"], r["share"])
                          for r in s["tables"]["by_event"]["rows"]],
                         [("Fall Symposium", "2026-10-10", 1, 25), ("no event", None, 3, 75)])

    def test_as_of_sees_the_database_as_it_stood(self):
        # At the end of 11-22: Dan's referral was not acknowledged yet and Cara's 11-23 ones not
        # made; Dan's call of 11-26 not made either, so he is to be thanked too, after Cara, who has
        # waited since 11-16.
        doc = self.digest("--as-of", "2026-11-22", "--until", "2026-11-22")
        self.assertEqual(doc["period"]["since"], "2026-11-16")
        thanks = rows(doc, "thanks", "referrers")
        self.assertEqual([r["contact_id"] for r in thanks], [self.ids["cara"], self.ids["dan"]])
        self.assertEqual(rows(doc, "referrals", "compare")[0]["in"], 2)
        # The thank-you call the service levels planned after Dan's referral, dismissed only on
        # 11-26, was still open then; nothing was booked yet.
        coming = rows(doc, "coming", "items")
        self.assertEqual([(r["kind"], r["when"], r["contact_id"]) for r in coming],
                         [("followup", "2026-11-23T10:00:00Z", self.ids["dan"])])

    def test_a_lone_until_after_as_of_ends_at_as_of(self):
        doc = self.digest("--until", "2026-12-31")
        self.assertEqual((doc["period"]["since"], doc["period"]["until"]), ("2026-11-21", "2026-11-27"))

    def test_the_config_output_format_is_for_listings(self):
        # output.format = "csv" sets the listings' default; a digest is a page, so it stays text.
        self.write_config('[output]\nformat = "csv"\n')
        out = self.ok("report", "digest").out
        self.assertTrue(out.startswith("Referral digest\n"), out[:80])
        self.refused(2, "report", "digest", "--format", "csv")

    def test_since_until_and_a_lone_until(self):
        doc = self.digest("--until", "2026-11-20")
        self.assertEqual((doc["period"]["since"], doc["period"]["until"]),
                         ("2026-11-14", "2026-11-20"))
        self.assertEqual(rows(doc, "referrals", "compare")[0]["in"], 1)
        doc = self.digest("--since", "2026-11-01", "--until", "2026-11-30")
        self.assertEqual(rows(doc, "referrals", "compare")[0]["in"], 5)

    def test_a_word_longer_than_the_room_is_broken_rather_than_widen_the_page(self):
        self.add("Dr. Wolfeschlegelsteinhausenbergerdorff-Maximiliana Smith", "--role", "pcp",
                 now="2026-01-01T09:00:00Z")
        out = self.ok("report", "digest", "--until", "2026-11-27").out
        self.assertIn("Wolfeschlegel", out)
        self.assertLessEqual(max(len(line) for line in out.splitlines()), 78)

    def test_text_reads_as_a_plain_page(self):
        out = self.ok("report", "digest", "--until", "2026-11-27").out
        lines = out.splitlines()
        self.assertEqual(lines[:2], ["Referral digest",
                                     "2026-11-21 to 2026-11-27 (as of 2026-11-27 09:00)"])
        self.assertNotIn("\x1b", out)  # not a terminal: no colour
        for title in ("What needs doing", "Referrals in and out", "Who to thank",
                      "Referrers at risk", "Relationships gone one-sided",
                      "Closed loops and turnaround", "The coming 7 days",
                      "Where referrals came from"):
            at = lines.index(title)
            self.assertEqual(lines[at + 1], "─" * len(title))
        self.assertIn("Overdue: 5", out)
        # Away from a terminal it is a plain-text mail: 78 columns at most, what does not fit
        # folded onto the next line whole (no "…"), the trend one bar a month.
        self.assertLessEqual(max(len(line) for line in lines), 78)
        self.assertNotIn("…", out)
        self.assertIn("▁▁▁█▁█▁█▁█▁█▁▁▁▁", out)
        self.assertIn("<b>Ng</b>", out)  # text as it is, never markup
        # --wide keeps every line whole, and the trend's numbers.
        wide = self.ok("report", "digest", "--until", "2026-11-27", "--wide").out
        self.assertIn("0 0 0 1 0 1 0 1 0 1 0 1 0 0 0 0", wide)
        self.assertIn("Dan <b>Ng</b> & Sons", wide)
        self.assertIn("chase acknowledgement of referral #10 (patient MRN-B4)", wide)
        # Same bytes from the default format named.
        self.assertEqual(out, self.ok("--format", "table", "report", "digest", "--until", "2026-11-27").out)
        # Forced colour, as a terminal would get it.
        self.assertIn("\x1b[", self.ok("--color", "always", "report", "digest").out)

    def test_html_escapes_names(self):
        page = self.ok("report", "digest", "--format", "html").out
        self.assertIn("Dan &lt;b&gt;Ng&lt;/b&gt; &amp; Sons", page)
        self.assertNotIn("<b>Ng", page)

    def test_redact_hides_every_patient_in_every_format(self):
        for fmt in ("table", "json", "html"):
            with self.subTest(format=fmt):
                plain = self.ok("report", "digest", "--format", fmt).out
                redacted = self.ok("report", "digest", "--format", fmt, "--redact").out
                self.assertIn("MRN-C2", plain)
                self.assertEqual([p for p in PATIENTS if p in redacted], [])
                self.assertRegex(redacted, r"P-[0-9a-f]{12}")

    def test_output_file_is_private(self):
        target = os.path.join(self.home, "digest.html")
        result = self.ok("report", "digest", "--format", "html", "--redact", "-o", target)
        self.assertEqual(result.out, "")
        self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o600)
        with open(target, encoding="utf-8") as f:
            page = f.read()
        self.assertTrue(page.startswith("<!DOCTYPE html>"))
        self.assertNotIn("MRN-", page)

    def test_formats_that_are_not_a_page_are_refused(self):
        for fmt in ("csv", "tsv", "dot"):
            with self.subTest(format=fmt):
                self.refused(2, "report", "digest", "--format", fmt, says="--format")
        # html belongs to the digest alone.
        self.refused(2, "report", "summary", "--format", "html",
                     says="--format html is only for refnet report digest")
        self.refused(2, "--format", "html", "list", "contacts", says="report digest")


class EmptyDigest(RefnetCase):
    def test_every_section_says_it_is_empty_in_one_line(self):
        self.init()
        doc = self.ok("report", "digest", "--format", "json").json()
        messages = {key: s["empty"] for key, s in doc["sections"].items()}
        self.assertEqual(messages, {
            "actions": "Nothing is overdue.",
            "referrals": "No referrals this period, the one before, a year earlier or in 12 "
                         "weeks.",
            "thanks": "No referrals came in this period.",
            "at_risk": "No referrer is at risk.",
            "one_sided": "No relationship has gone one-sided.",
            "loops": "No referrals in the last 90 days.",
            "coming": "Nothing is planned for the coming 7 days.",
            "sources": "No referrals came in this period.",
        })
        text = self.ok("report", "digest").out
        for message in messages.values():
            self.assertIn("\n" + message + "\n", text)
        page = self.ok("report", "digest", "--format", "html").out
        self.assertEqual(page.count('<p class="empty">'), len(SECTIONS))
        self.assertNotIn("<svg", page)

    def test_a_since_after_as_of_is_a_usage_error(self):
        self.init()
        self.refused(2, "report", "digest", "--since", "2026-12-01")


if __name__ == "__main__":
    unittest.main()
