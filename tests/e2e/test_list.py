"""list contacts|referrals|followups|events: every filter each listing accepts, and its errors."""

import unittest

from refnet_e2e import RefnetCase


def build_network(case):
    """A small network with something for every filter to keep and something to drop.

    Contacts come in on different days (for --since/--until on contacts); sources are online ones
    so no meeting follow-up is planned behind the test's back, except where an event says so."""
    case.init()
    ids = {}
    ids["ann"] = case.add("Ann Lee", "--role", "pcp", "--specialty", "Family Medicine",
                          "--source", "linkedin", "--tag", "diabetes", "--tag", "vip",
                          "--npi", "1234567893", now="2026-11-01T10:00:00Z")
    ids["bob"] = case.add("Bob Stone", "--role", "specialist", "--specialty", "Cardiology",
                          "--source", "doximity", "--tag", "heart", now="2026-11-10T10:00:00Z")
    # Late in the evening: --until of that day must still include her.
    ids["cara"] = case.add("Cara Diaz", "--role", "allied", "--specialty", "Physical therapy",
                           "--source", "referral", now="2026-11-20T23:30:00Z")
    ids["dan"] = case.add("Dan Old", "--role", "pcp", "--source", "sermo",
                          now="2026-10-01T10:00:00Z")
    case.ok("archive", "Dan Old", now="2026-11-05T10:00:00Z")

    # Referrals: one overdue inbound, one fresh outbound, one closed loop, one declined, and one
    # from the archived contact (history stays listed).
    ids["r_overdue"] = case.refer("--from", "Ann", "--patient", "P-1", "--urgency", "urgent",
                                  "--date", "2026-11-20T08:00:00Z", now="2026-11-20T08:00:00Z")
    ids["r_fresh"] = case.refer("--to", "Bob", "--patient", "P-2", "--date", "2026-11-26T10:00:00Z",
                                now="2026-11-26T10:00:00Z")
    ids["r_closed"] = case.refer("--from", "Cara", "--patient", "P-3", "--date", "2026-11-21T10:00:00Z",
                                 now="2026-11-21T10:00:00Z")
    case.ok("ack", str(ids["r_closed"]), now="2026-11-21T12:00:00Z")
    case.ok("status", str(ids["r_closed"]), "seen", now="2026-11-22T12:00:00Z")
    case.ok("status", str(ids["r_closed"]), "closed", now="2026-11-23T12:00:00Z")
    ids["r_declined"] = case.refer("--to", "Bob", "--patient", "P-4", "--date", "2026-11-15T10:00:00Z",
                                   now="2026-11-15T10:00:00Z")
    case.ok("status", str(ids["r_declined"]), "declined", "--reason", "no capacity",
            now="2026-11-16T10:00:00Z")

    # Touchpoints: a call done, a planned email overdue, a planned video not yet due, a dismissed one.
    case.ok("followup", "Bob", "--via", "call", "--note", "called Bob", "--date", "2026-11-25T15:00:00Z",
            now="2026-11-25T15:00:00Z")
    case.ok("followup", "Cara", "--due", "2026-11-26T09:00:00Z", "--via", "email",
            "--note", "send the leaflet", now="2026-11-24T09:00:00Z")
    case.ok("followup", "Bob", "--due", "2026-12-03T09:00:00Z", "--via", "video",
            "--note", "video catch-up", now="2026-11-26T09:00:00Z")
    planned = case.ok("--format", "json", "followup", "Ann", "--due", "2026-12-10", "--via", "letter",
                      "--note", "dismiss me", now="2026-11-26T09:00:00Z").json()
    case.ok("followup", "dismiss", str(planned["id"]), now="2026-11-26T10:00:00Z")

    # Events on three dates and of three kinds.
    case.ok("event", "Fall CME", "--kind", "cme", "--date", "2026-10-10", "--met", "Ann",
            now="2026-10-10T18:00:00Z")
    case.ok("event", "Heart Congress", "--kind", "conference", "--date", "2026-11-15",
            "--met", "Bob", "--met", "Ann", now="2026-11-15T18:00:00Z")
    case.ok("event", "Golf day", "--kind", "social", "--date", "2026-11-27", now="2026-11-27T08:00:00Z")
    return ids


class ListCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def names(self, rows, key="name"):
        return sorted(row[key] for row in rows)

    def assertFilters(self, listing, args, keep):
        """`list LISTING ARGS` returns exactly the rows of the unfiltered listing that keep(row)
        accepts, in the same order, and the filter is not a no-op on this data."""
        everything = self.rows("list", listing, *(["--archived"] if listing == "contacts" else []))
        expected = [row for row in everything if keep(row)]
        self.assertTrue(expected, f"fixture has nothing for list {listing} {args}")
        got = self.rows("list", listing, *args)
        if listing == "contacts" and "--archived" not in args:
            expected = [row for row in expected if row["archived"] is None]
        self.assertEqual([row["id"] for row in got], [row["id"] for row in expected],
                         f"list {listing} {' '.join(args)}")
        self.assertLess(len(got), len(everything), f"list {listing} {args} filtered nothing")
        return got


class ListContacts(ListCase):
    def test_default_lists_active_contacts_by_name(self):
        self.assertEqual([r["name"] for r in self.rows("list", "contacts")],
                         ["Ann Lee", "Bob Stone", "Cara Diaz"])

    def test_archived_includes_retired_contacts(self):
        rows = self.rows("list", "contacts", "--archived")
        self.assertEqual(self.names(rows), ["Ann Lee", "Bob Stone", "Cara Diaz", "Dan Old"])
        dan = next(r for r in rows if r["name"] == "Dan Old")
        self.assertEqual(dan["archived"], "2026-11-05T10:00:00Z")

    def test_role(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--role", "pcp")), ["Ann Lee"])
        self.assertEqual(self.names(self.rows("list", "contacts", "--role", "pcp", "--archived")),
                         ["Ann Lee", "Dan Old"])
        self.assertEqual(self.rows("list", "contacts", "--role", "facility"), [])

    def test_role_is_case_insensitive(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--role", "PCP")), ["Ann Lee"])

    def test_specialty_is_a_case_insensitive_part(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--specialty", "cardio")),
                         ["Bob Stone"])
        self.assertEqual(self.names(self.rows("list", "contacts", "--specialty", "THERAPY")),
                         ["Cara Diaz"])

    def test_source(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--source", "doximity")),
                         ["Bob Stone"])

    def test_tag(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--tag", "vip")), ["Ann Lee"])
        self.assertEqual(self.names(self.rows("list", "contacts", "--tag", "Heart")), ["Bob Stone"])
        self.assertEqual(self.rows("list", "contacts", "--tag", "nobody-has-this"), [])

    def test_contact(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--contact", "stone")), ["Bob Stone"])
        self.assertEqual(self.names(self.rows("list", "contacts", "--contact", "1234567893")),
                         ["Ann Lee"])
        self.assertEqual(self.names(self.rows("list", "contacts", "--contact", str(self.ids["cara"]))),
                         ["Cara Diaz"])

    def test_since_and_until_on_the_day_added(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--since", "2026-11-10")),
                         ["Bob Stone", "Cara Diaz"])
        # --until names a day and includes all of it: Cara came in at 23:30 on the 20th.
        self.assertEqual(self.names(self.rows("list", "contacts", "--until", "2026-11-20")),
                         ["Ann Lee", "Bob Stone", "Cara Diaz"])
        self.assertEqual(self.names(self.rows("list", "contacts", "--until", "2026-11-19")),
                         ["Ann Lee", "Bob Stone"])
        self.assertEqual(self.names(self.rows("list", "contacts", "--since", "2026-11-10",
                                              "--until", "2026-11-10")), ["Bob Stone"])

    def test_until_an_instant_includes_that_instant(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--until", "2026-11-10T10:00:00Z")),
                         ["Ann Lee", "Bob Stone"])
        self.assertEqual(self.names(self.rows("list", "contacts", "--until", "2026-11-10T09:59:59Z")),
                         ["Ann Lee"])

    def test_filters_combine(self):
        self.assertEqual(self.names(self.rows("list", "contacts", "--role", "pcp", "--tag", "vip",
                                              "--since", "2026-11-01")), ["Ann Lee"])
        self.assertEqual(self.rows("list", "contacts", "--role", "pcp", "--tag", "heart"), [])

    def test_referral_only_filters_are_refused(self):
        for option in (["--status", "new"], ["--in"], ["--overdue"], ["--kind", "cme"],
                       ["--via", "call"]):
            with self.subTest(option=option):
                self.fails(2, "list", "contacts", *option)


class ListReferrals(ListCase):
    def test_default_lists_every_referral_oldest_first(self):
        rows = self.rows("list", "referrals")
        self.assertEqual([r["id"] for r in rows],
                         [self.ids[k] for k in ("r_declined", "r_overdue", "r_closed", "r_fresh")])
        self.assertEqual([r["referred"] for r in rows], sorted(r["referred"] for r in rows))

    def test_in_and_out(self):
        self.assertFilters("referrals", ["--in"], lambda r: r["direction"] == "in")
        self.assertFilters("referrals", ["--out"], lambda r: r["direction"] == "out")

    def test_in_and_out_together_is_a_usage_error(self):
        self.fails(2, "list", "referrals", "--in", "--out")

    def test_status(self):
        for status in ("new", "closed", "declined"):
            with self.subTest(status=status):
                self.assertFilters("referrals", ["--status", status], lambda r: r["status"] == status)
        self.assertEqual(self.rows("list", "referrals", "--status", "no-show"), [])

    def test_open_leaves_out_final_states(self):
        got = self.assertFilters("referrals", ["--open"],
                                 lambda r: r["status"] in ("new", "acknowledged", "scheduled", "seen"))
        self.assertEqual({r["id"] for r in got}, {self.ids["r_overdue"], self.ids["r_fresh"]})

    def test_overdue_is_unacknowledged_past_its_sla(self):
        got = self.rows("list", "referrals", "--overdue")
        self.assertEqual([r["id"] for r in got], [self.ids["r_overdue"]])
        # Two business days after Thursday 26th 10:00 is Monday 30th: overdue from then on.
        self.assertEqual(len(self.rows("list", "referrals", "--overdue", now="2026-11-30T09:59:00Z")), 1)
        self.assertEqual(len(self.rows("list", "referrals", "--overdue", now="2026-11-30T10:01:00Z")), 2)

    def test_overdue_includes_a_report_owed_after_seen(self):
        # Bob saw P-2 on the 26th at noon: his report is due 14 days later (sla.report_back_within).
        self.ok("ack", str(self.ids["r_fresh"]), now="2026-11-26T11:00:00Z")
        self.ok("status", str(self.ids["r_fresh"]), "seen", now="2026-11-26T12:00:00Z")
        before = self.rows("list", "referrals", "--overdue", now="2026-12-10T11:59:00Z")
        self.assertNotIn(self.ids["r_fresh"], [r["id"] for r in before])
        after = self.rows("list", "referrals", "--overdue", now="2026-12-10T12:01:00Z")
        self.assertIn(self.ids["r_fresh"], [r["id"] for r in after])
        # The same debt the nightly action list shows.
        owed = self.rows("report", "overdue", now="2026-12-10T12:01:00Z")
        self.assertIn(self.ids["r_fresh"], [r["referral_id"] for r in owed])

    def test_contact(self):
        self.assertFilters("referrals", ["--contact", "Bob"], lambda r: r["contact"] == "Bob Stone")

    def test_contact_filters_of_the_other_side(self):
        self.assertFilters("referrals", ["--role", "specialist"], lambda r: r["contact"] == "Bob Stone")
        self.assertFilters("referrals", ["--specialty", "therapy"], lambda r: r["contact"] == "Cara Diaz")
        self.assertFilters("referrals", ["--source", "linkedin"], lambda r: r["contact"] == "Ann Lee")
        self.assertFilters("referrals", ["--tag", "diabetes"], lambda r: r["contact"] == "Ann Lee")

    def test_since_and_until(self):
        self.assertFilters("referrals", ["--since", "2026-11-21"],
                           lambda r: r["referred"] >= "2026-11-21")
        # The named day is included whole: the 08:00 referral of the 20th is in.
        got = self.assertFilters("referrals", ["--until", "2026-11-20"],
                                 lambda r: r["referred"] < "2026-11-21")
        self.assertIn(self.ids["r_overdue"], [r["id"] for r in got])
        self.assertFilters("referrals", ["--since", "2026-11-20", "--until", "2026-11-21"],
                           lambda r: "2026-11-20" <= r["referred"] < "2026-11-22")

    def test_relative_dates(self):
        # yesterday = the 26th; the fresh referral was made on it.
        got = self.rows("list", "referrals", "--since", "yesterday")
        self.assertEqual([r["id"] for r in got], [self.ids["r_fresh"]])
        # Offsets are instants: a week ago is the 20th at 09:00, after the 08:00 referral.
        got = self.rows("list", "referrals", "--since", "-1w", "--until", "-2d")
        self.assertEqual([r["id"] for r in got], [self.ids["r_closed"]])
        got = self.rows("list", "referrals", "--since", "-8d", "--until", "-2d")
        self.assertEqual([r["id"] for r in got], [self.ids["r_overdue"], self.ids["r_closed"]])

    def test_filters_combine(self):
        got = self.rows("list", "referrals", "--out", "--open", "--contact", "Bob")
        self.assertEqual([r["id"] for r in got], [self.ids["r_fresh"]])

    def test_contact_only_filters_are_refused(self):
        for option in (["--archived"], ["--kind", "cme"], ["--via", "call"]):
            with self.subTest(option=option):
                self.fails(2, "list", "referrals", *option)


class ListByPatient(ListCase):
    def test_a_patients_referrals_by_reference_or_by_pseudonym(self):
        rows = self.rows("list", "referrals", "--patient", "P-3")
        self.assertEqual([r["id"] for r in rows], [self.ids["r_closed"]])
        self.assertEqual(self.rows("list", "referrals", "--patient", " P-3 "), rows)
        # The pseudonym a redacted output showed finds the same referral.
        shown = next(r for r in self.rows("list", "referrals", "--redact")
                     if r["id"] == self.ids["r_closed"])
        self.assertRegex(shown["patient"], r"^P-[0-9a-f]{12}$")
        by_pseudonym = self.rows("list", "referrals", "--patient", shown["patient"], "--no-redact")
        self.assertEqual([(r["id"], r["patient"]) for r in by_pseudonym],
                         [(self.ids["r_closed"], "P-3")])
        # With the other filters, and nothing for a reference nobody has.
        self.assertEqual(self.rows("list", "referrals", "--patient", "P-3", "--out"), [])
        self.assertEqual(self.rows("list", "referrals", "--patient", "P-99"), [])


class ListFollowups(ListCase):
    def test_default_lists_logged_and_planned(self):
        rows = self.rows("list", "followups")
        states = {r["state"] for r in rows}
        self.assertTrue({"done", "planned", "dismissed"} <= states, rows)
        keys = [r["done_at"] or r["due"] for r in rows]
        self.assertEqual(keys, sorted(keys))

    def test_open(self):
        got = self.assertFilters("followups", ["--open"], lambda r: r["state"] == "planned")
        self.assertIn("video catch-up", [r["note"] for r in got])
        self.assertNotIn("dismiss me", [r["note"] for r in got])

    def test_overdue(self):
        got = self.assertFilters("followups", ["--overdue"],
                                 lambda r: r["state"] == "planned" and r["due"] < "2026-11-27T09:00:00Z")
        self.assertIn("send the leaflet", [r["note"] for r in got])
        self.assertNotIn("video catch-up", [r["note"] for r in got])

    def test_via(self):
        got = self.assertFilters("followups", ["--via", "video"], lambda r: r["via"] == "video")
        self.assertEqual([r["note"] for r in got], ["video catch-up"])

    def test_contact(self):
        self.assertFilters("followups", ["--contact", "Cara"], lambda r: r["contact"] == "Cara Diaz")

    def test_contact_filters_of_the_other_side(self):
        self.assertFilters("followups", ["--role", "specialist"], lambda r: r["contact"] == "Bob Stone")
        self.assertFilters("followups", ["--specialty", "cardio"], lambda r: r["contact"] == "Bob Stone")
        self.assertFilters("followups", ["--source", "referral"], lambda r: r["contact"] == "Cara Diaz")
        self.assertFilters("followups", ["--tag", "vip"], lambda r: r["contact"] == "Ann Lee")

    def test_since_and_until_by_done_or_due(self):
        when = lambda r: r["done_at"] or r["due"]  # noqa: E731
        self.assertFilters("followups", ["--since", "2026-12-01"], lambda r: when(r) >= "2026-12-01")
        got = self.assertFilters("followups", ["--until", "2026-11-25"], lambda r: when(r) < "2026-11-26")
        # The call at 15:00 on the 25th is in: the named day is included.
        self.assertIn("called Bob", [r["note"] for r in got])

    def test_referral_only_filters_are_refused(self):
        for option in (["--status", "new"], ["--in"], ["--kind", "cme"], ["--archived"]):
            with self.subTest(option=option):
                self.fails(2, "list", "followups", *option)


class ListEvents(ListCase):
    def test_default_lists_by_date(self):
        rows = self.rows("list", "events")
        self.assertEqual([r["name"] for r in rows], ["Fall CME", "Heart Congress", "Golf day"])
        self.assertEqual([r["met"] for r in rows], [1, 2, 0])
        self.assertEqual(rows[0]["date"], "2026-10-10")

    def test_kind(self):
        self.assertFilters("events", ["--kind", "conference"], lambda r: r["kind"] == "conference")
        self.assertEqual(self.rows("list", "events", "--kind", "workshop"), [])

    def test_contact(self):
        self.assertEqual(self.names(self.rows("list", "events", "--contact", "Ann")),
                         ["Fall CME", "Heart Congress"])
        self.assertEqual(self.names(self.rows("list", "events", "--contact", "Bob")), ["Heart Congress"])
        self.assertEqual(self.rows("list", "events", "--contact", "Cara"), [])

    def test_since_and_until_include_the_named_days(self):
        self.assertEqual(self.names(self.rows("list", "events", "--since", "2026-11-15")),
                         ["Golf day", "Heart Congress"])
        self.assertEqual(self.names(self.rows("list", "events", "--until", "2026-11-15")),
                         ["Fall CME", "Heart Congress"])
        self.assertEqual(self.names(self.rows("list", "events", "--since", "2026-11-15",
                                              "--until", "2026-11-15")), ["Heart Congress"])
        self.assertEqual(self.names(self.rows("list", "events", "--since", "today")), ["Golf day"])

    def test_until_an_instant_on_the_event_day_includes_it(self):
        self.assertEqual(self.names(self.rows("list", "events", "--until", "2026-11-15T10:00:00Z")),
                         ["Fall CME", "Heart Congress"])

    def test_contact_filters_are_refused(self):
        for option in (["--role", "pcp"], ["--status", "new"], ["--via", "call"], ["--open"]):
            with self.subTest(option=option):
                self.fails(2, "list", "events", *option)


class ListErrors(ListCase):
    BAD_VALUES = [
        ("contacts", "--role", "surgeon"),
        ("contacts", "--source", "billboard"),
        ("contacts", "--since", "someday"),
        ("contacts", "--until", "2026-13-01"),
        ("referrals", "--status", "lost"),
        ("referrals", "--role", "surgeon"),
        ("referrals", "--source", "billboard"),
        ("referrals", "--since", "2026-02-30"),
        ("referrals", "--until", "next year"),
        ("followups", "--via", "pigeon"),
        ("followups", "--role", "surgeon"),
        ("followups", "--since", "soon"),
        ("followups", "--until", "later"),
        ("events", "--kind", "party"),
        ("events", "--since", "2026/11/01"),
        ("events", "--until", "x"),
    ]

    def test_bad_filter_values_exit_2_and_name_the_option(self):
        for listing, option, value in self.BAD_VALUES:
            with self.subTest(listing=listing, option=option, value=value):
                result = self.fails(2, "list", listing, option, value)
                self.assertIn(option, result.err)
                self.assertEqual(result.out, "")

    def test_unknown_contact_exits_65_in_every_listing(self):
        for listing in ("contacts", "referrals", "followups", "events"):
            with self.subTest(listing=listing):
                result = self.fails(65, "list", listing, "--contact", "Zed Nobody")
                self.assertIn("Zed Nobody", result.err)
                self.assertEqual(result.out, "")
                self.fails(65, "list", listing, "--contact", "999")
                self.fails(65, "list", listing, "--contact", "1982736450")  # a valid, unknown NPI

    def test_ambiguous_contact_exits_65_and_lists_candidates(self):
        result = self.fails(65, "list", "referrals", "--contact", "a")  # Ann Lee, Cara Diaz
        self.assertIn("Ann Lee", result.err)
        self.assertIn("Cara Diaz", result.err)

    def test_unknown_listing_and_missing_listing_exit_2(self):
        self.fails(2, "list", "patients")
        self.fails(2, "list")

    def test_missing_option_value_exits_2(self):
        self.fails(2, "list", "referrals", "--status")

    def test_listing_changes_nothing(self):
        before = self.dump()
        for listing in ("contacts", "referrals", "followups", "events"):
            self.ok("list", listing)
        self.assertEqual(self.dump(), before)


if __name__ == "__main__":
    unittest.main()
