"""End-to-end: add, edit, archive and merge contacts, and how CONTACT is resolved."""

import unittest

from refnet_e2e import POSTGRES, RefnetCase

VALID_NPI = "1234567893"
OTHER_NPI = "1245319599"  # also passes the CMS Luhn rule


def contact_row(test, contact_id):
    """The stored columns of one contact, read from the database (listings have their own suite)."""
    return test.query(
        "SELECT name, role, specialty, practice, npi, phone, email, city, source, event_id, note,"
        " archived_at, merged_into FROM contact WHERE id = ?", contact_id)[0]


def tags_of(test, contact_id):
    return sorted(t for (t,) in test.query(
        "SELECT tag FROM contact_tag WHERE contact_id = ?", contact_id))


class AddTest(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()

    def test_table_output_says_what_was_added(self):
        result = self.ok("add", "Dr. Ann Lee", "--role", "pcp", "--practice", "Elm Street")
        self.assertEqual(result.out, "Added contact #1 Dr. Ann Lee (pcp)\n")
        self.assertEqual(result.err, "")

    def test_json_prints_the_written_record_as_one_object(self):
        result = self.ok("--format", "json", "add", "Dr. Ann Lee", "--role", "pcp",
                         "--specialty", "family medicine", "--practice", "Elm Street",
                         "--npi", VALID_NPI, "--phone", "555-0100", "--email", "ann@example.org",
                         "--city", "Springfield", "--tag", "diabetes", "--tag", "spanish",
                         "--note", "prefers fax")
        self.assertEqual(result.err, "")
        record = result.json()
        self.assertIsInstance(record, dict)
        self.assertEqual(record["id"], 1)
        self.assertEqual(record["name"], "Dr. Ann Lee")
        self.assertEqual(record["role"], "pcp")
        self.assertEqual(record["specialty"], "family medicine")
        self.assertEqual(record["practice"], "Elm Street")
        self.assertEqual(record["npi"], VALID_NPI)
        self.assertEqual(record["phone"], "555-0100")
        self.assertEqual(record["email"], "ann@example.org")
        self.assertEqual(record["city"], "Springfield")
        self.assertIsNone(record["source"])
        self.assertEqual(record["note"], "prefers fax")
        self.assertEqual(sorted(record["tags"].split(",")), ["diabetes", "spanish"])
        self.assertEqual(record["created"], "2026-11-27T09:00:00Z")
        self.assertIsNone(record["archived"])

    def test_csv_prints_one_header_and_one_row(self):
        result = self.ok("--format", "csv", "add", "Lee, Ann", "--practice", 'The "Elm" Clinic')
        rows = result.csv()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["id"], "1")
        self.assertEqual(rows[0]["name"], "Lee, Ann")
        self.assertEqual(rows[0]["practice"], 'The "Elm" Clinic')
        self.assertEqual(rows[0]["role"], "other")
        self.assertEqual(rows[0]["npi"], "")

    def test_audit_row_records_the_new_contact(self):
        contact = self.add("Dr. Ann Lee", "--role", "pcp", "--tag", "b", "--tag", "a")
        entries = self.audit()
        self.assertEqual(len(entries), 1)
        entry = entries[0]
        self.assertEqual((entry["action"], entry["entity"], entry["entity_id"]),
                         ("add", "contact", contact))
        self.assertIsNone(entry["old"])
        self.assertEqual(entry["new"]["name"], "Dr. Ann Lee")
        self.assertEqual(entry["new"]["role"], "pcp")
        self.assertEqual(entry["new"]["tags"], ["a", "b"])
        self.assertEqual(entry["at"], "2026-11-27T09:00:00Z")
        self.assertTrue(entry["actor"])

    def test_values_are_trimmed_and_enum_values_case_insensitive(self):
        contact = self.add("  Ann Lee  ", "--role", "PCP", "--source", "LinkedIn",
                           "--city", "  Springfield ")
        name, role, *_ = contact_row(self, contact)
        self.assertEqual(name, "Ann Lee")
        self.assertEqual(role, "pcp")
        self.assertEqual(contact_row(self, contact)[7], "Springfield")
        self.assertEqual(contact_row(self, contact)[8], "linkedin")

    def test_repeated_tag_is_stored_once(self):
        contact = self.add("Ann Lee", "--tag", "diabetes", "--tag", "Diabetes", "--tag", "diabetes")
        self.assertEqual(len(tags_of(self, contact)), 1)

    def test_comma_separates_tags(self):
        contact = self.add("Ann Lee", "--tag", "diabetes, spanish", "--tag", "cardiology,")
        self.assertEqual(tags_of(self, contact), ["cardiology", "diabetes", "spanish"])
        self.ok("edit", str(contact), "--untag", "Spanish,cardiology")
        self.assertEqual(tags_of(self, contact), ["diabetes"])

    def test_global_options_after_the_subcommand(self):
        record = self.ok("add", "Ann Lee", "--format", "json").json()
        self.assertEqual(record["name"], "Ann Lee")

    def test_met_in_person_plans_a_followup_due_in_24h(self):
        result = self.ok("add", "Ann Lee", "--source", "visit")
        self.assertEqual(
            result.out,
            "Added contact #1 Ann Lee (other); follow-up planned, due 2026-11-28 09:00\n")
        plans = self.query("SELECT contact_id, via, due, origin, done_at FROM touchpoint")
        self.assertEqual(plans, [(1, "call", "2026-11-28T09:00:00Z", "after-meeting", None)])
        actions = [(e["action"], e["entity"], e["entity_id"]) for e in self.audit()]
        self.assertEqual(actions, [("add", "contact", 1), ("plan", "touchpoint", 1)])

    def test_online_source_plans_nothing(self):
        for source in ("linkedin", "doximity", "sermo", "referral"):
            self.add(f"Contact {source}", "--source", source)
        self.assertEqual(self.query("SELECT count(*) FROM touchpoint"), [(0,)])

    def test_archived_contact_releases_its_npi(self):
        self.add("Ann Lee", "--npi", VALID_NPI)
        self.ok("archive", "Ann Lee")
        again = self.add("Ann Lee-Smith", "--npi", VALID_NPI)
        self.assertEqual(contact_row(self, again)[4], VALID_NPI)

    def test_bad_npi_is_a_usage_error_naming_the_rule(self):
        cases = [
            ("1234567890", "check digit should be 3, not 0"),
            ("123456789", "10 digits, not 9"),
            ("12345678901", "10 digits, not 11"),
            ("3234567890", "starts with 1 or 2"),
            ("12345-7893", "only digits"),
        ]
        for npi, problem in cases:
            with self.subTest(npi=npi):
                result = self.refused(2, "add", "Ann Lee", "--npi", npi, says=[npi, problem])
                self.assertIn("--npi", result.err)

    def test_duplicate_npi_is_refused_naming_the_holder(self):
        self.add("Ann Lee", "--npi", VALID_NPI)
        self.refused(65, "add", "Dr. A. Lee", "--npi", VALID_NPI,
                     says=[f"NPI {VALID_NPI} already belongs to Ann Lee (#1)", "refnet edit 1"])

    def test_bad_values_are_usage_errors(self):
        self.refused(2, "add", "Ann Lee", "--role", "doctor",
                     says=["invalid --role 'doctor'", "pcp, specialist, allied, facility or other"])
        self.refused(2, "add", "Ann Lee", "--source", "golf", says=["invalid --source 'golf'"])
        self.refused(2, "add", "   ", says="a contact needs a name")
        self.refused(2, "add", "Ann Lee", "--bogus", says="--bogus")
        self.refused(2, "add", says="NAME")
        self.refused(2, "add", "Ann Lee", "--format", "xml", says="xml")

    def test_unknown_event_is_refused(self):
        self.refused(65, "add", "Ann Lee", "--event", "Nowhere Gala",
                     says=["no event named 'Nowhere Gala'", "refnet event"])
        self.refused(65, "add", "Ann Lee", "--event", "7", says="no event with id 7")

    def test_add_event_records_where_met_and_the_attendance(self):
        self.ok("event", "Cardiology Update", "--kind", "cme", "--date", "2026-11-20")
        contact = self.add("Ann Lee", "--event", "cardiology update", "--source", "cme")
        self.assertEqual(contact_row(self, contact)[9], 1)
        self.assertEqual(self.query("SELECT event_id, contact_id FROM event_contact"), [(1, 1)])
        met = self.audit()[-2]
        self.assertEqual((met["action"], met["entity"], met["entity_id"]), ("met", "event", 1))
        self.assertEqual((met["old"]["met"], met["new"]["met"]), ([], [contact]))


class NamingTest(RefnetCase):
    def test_a_name_part_finds_a_contact_however_it_is_typed(self):
        self.init()
        ids = {name: self.add(name, "--role", "pcp")
               for name in ("Dr. Ana Núñez", "Dr. Sean O'Brien", "Patel, Raj")}
        for typed, name in (("NÚÑEZ", "Dr. Ana Núñez"), ("núñez", "Dr. Ana Núñez"),
                            ("nunez", "Dr. Ana Núñez"), ("obrien", "Dr. Sean O'Brien"),
                            ("raj patel", "Patel, Raj")):
            with self.subTest(typed=typed):
                shown = self.ok("--format", "json", "show", typed).json()
                self.assertEqual(shown["contact"]["id"], ids[name])
        # The commands that take a CONTACT find it the same way.
        referral = self.refer("--from", "NUNEZ", "--patient", "MRN-1")
        self.assertEqual(self.rows("list", "referrals")[0]["contact"], "Dr. Ana Núñez")
        self.assertEqual(referral, 1)
        self.refused(65, "show", "nunes", says="no contact matches 'nunes'")


class DuplicateTest(RefnetCase):
    def test_the_same_name_and_practice_as_an_active_contact_is_refused(self):
        self.init()
        first = self.add("Dr. Ann Lee", "--role", "pcp", "--practice", "Elm Street")
        result = self.refused(65, "add", "Dr. Ann Lee", "--role", "pcp", "--practice", "Elm Street",
                              says=f"contact #{first} is already Dr. Ann Lee (Elm Street)")
        self.assertIn(f"refnet edit {first}", result.err)
        # Another practice, or the same name once the first is archived, is another person.
        self.add("Dr. Ann Lee", "--role", "specialist", "--practice", "Lakeside Cardiology")
        self.ok("archive", str(first))
        self.add("Dr. Ann Lee", "--role", "pcp", "--practice", "Elm Street")


class MissingDatabaseTest(RefnetCase):
    def test_every_mutating_command_needs_init_first(self):
        commands = [
            ("add", "Ann Lee"),
            ("edit", "Ann", "--phone", "1"),
            ("archive", "Ann"),
            ("merge", "1", "2"),
            ("refer", "--from", "Ann", "--patient", "MRN-1"),
            ("ack", "1"),
            ("status", "1", "seen"),
            ("followup", "Ann"),
            ("followup", "Ann", "--due", "friday"),
            ("followup", "done", "1"),
            ("followup", "dismiss", "1"),
            ("event", "Gala", "--kind", "social", "--date", "2026-11-20"),
        ]
        for args in commands:
            with self.subTest(command=args[0]):
                result = self.fails(66, *args)
                self.assertIn("no refnet network in PostgreSQL database" if POSTGRES
                              else "no database at", result.err)
                self.assertIn("refnet init", result.err)
                self.assertEqual(result.out, "")
                self.assertIsNone(self.dump(), "the database must not be created")


class EditTest(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--role", "pcp", "--phone", "555-0100", "--city", "Springfield",
                            "--tag", "diabetes", "--tag", "Spanish", "--npi", VALID_NPI)

    def test_changes_fields_and_prints_the_record(self):
        result = self.ok("--format", "json", "edit", "Ann Lee", "--name", "Dr. Ann Lee",
                         "--specialty", "internal medicine", "--role", "specialist")
        record = result.json()
        self.assertEqual(record["id"], self.ann)
        self.assertEqual(record["name"], "Dr. Ann Lee")
        self.assertEqual(record["role"], "specialist")
        self.assertEqual(record["specialty"], "internal medicine")
        self.assertEqual(record["phone"], "555-0100", "fields not named keep their value")
        self.assertEqual(result.err, "")

    def test_table_message(self):
        result = self.ok("edit", "ann", "--email", "ann@example.org")
        self.assertEqual(result.out, f"Updated contact #{self.ann} Ann Lee\n")

    def test_csv_prints_one_row(self):
        rows = self.ok("--format", "csv", "edit", "ann", "--city", "Shelbyville").csv()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["city"], "Shelbyville")

    def test_audit_row_has_old_and_new(self):
        self.ok("edit", "ann", "--name", "Dr. Ann Lee", "--phone", "555-0199")
        entry = self.audit()[-1]
        self.assertEqual((entry["action"], entry["entity"], entry["entity_id"]),
                         ("edit", "contact", self.ann))
        self.assertEqual(entry["old"]["name"], "Ann Lee")
        self.assertEqual(entry["new"]["name"], "Dr. Ann Lee")
        self.assertEqual(entry["old"]["phone"], "555-0100")
        self.assertEqual(entry["new"]["phone"], "555-0199")
        self.assertIn("name", entry["changes"])
        self.assertIn("phone", entry["changes"])
        self.assertNotIn("city", entry["changes"])

    def test_empty_value_clears_a_field(self):
        record = self.ok("--format", "json", "edit", "ann", "--phone", "", "--npi", "",
                         "--city", "  ").json()
        self.assertIsNone(record["phone"])
        self.assertIsNone(record["npi"])
        self.assertIsNone(record["city"])
        self.assertEqual(contact_row(self, self.ann)[4:8], (None, None, None, None))
        entry = self.audit()[-1]
        self.assertEqual(entry["old"]["phone"], "555-0100")
        self.assertIsNone(entry["new"]["phone"])

    def test_clearing_source_and_event(self):
        self.ok("event", "Gala", "--kind", "social", "--date", "2026-11-20")
        self.ok("edit", "ann", "--source", "social", "--event", "Gala")
        self.assertEqual(contact_row(self, self.ann)[8:10], ("social", 1))
        self.ok("edit", "ann", "--source", "", "--event", "")
        self.assertEqual(contact_row(self, self.ann)[8:10], (None, None))

    def test_tag_and_untag(self):
        self.ok("edit", "ann", "--tag", "cardiology", "--untag", "diabetes")
        self.assertEqual(tags_of(self, self.ann), ["Spanish", "cardiology"])
        entry = self.audit()[-1]
        self.assertEqual(sorted(entry["old"]["tags"]), ["Spanish", "diabetes"])
        self.assertEqual(sorted(entry["new"]["tags"]), ["Spanish", "cardiology"])

    def test_tags_compare_case_insensitively(self):
        self.ok("edit", "ann", "--untag", "spanish", "--tag", "DIABETES")
        self.assertEqual(tags_of(self, self.ann), ["diabetes"])

    def test_nothing_to_change_writes_no_audit_row(self):
        before = self.dump()
        result = self.ok("edit", "ann", "--phone", "555-0100", "--untag", "absent")
        self.assertEqual(result.out, f"Nothing to change for #{self.ann} Ann Lee\n")
        self.assertEqual(self.dump(), before)
        record = self.ok("--format", "json", "edit", "ann", "--city", "Springfield").json()
        self.assertEqual(record["id"], self.ann)
        self.assertEqual(self.dump(), before)

    def test_keeping_its_own_npi_is_fine(self):
        self.ok("edit", VALID_NPI, "--npi", VALID_NPI, "--phone", "555-0101")
        self.assertEqual(contact_row(self, self.ann)[4], VALID_NPI)

    def test_refusals_change_nothing(self):
        bob = self.add("Bob Ray", "--npi", OTHER_NPI)
        self.refused(65, "edit", "bob", "--npi", VALID_NPI,
                     says=[f"NPI {VALID_NPI} already belongs to Ann Lee (#{self.ann})",
                           f"refnet merge {self.ann} {bob}"])
        self.refused(2, "edit", "bob", "--npi", "1234567890", says="check digit")
        self.refused(2, "edit", "bob", "--name", " ", says="a contact needs a name")
        self.refused(2, "edit", "bob", "--role", "", says="invalid --role")
        self.refused(2, "edit", "bob", "--source", "tv", says="invalid --source 'tv'")
        self.refused(2, "edit", "bob", "--whatever", "x", says="--whatever")
        self.refused(65, "edit", "Carol", "--phone", "1", says="no contact matches 'Carol'")
        self.refused(65, "edit", "bob", "--event", "Gala", says="no event named 'Gala'")


class ArchiveTest(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--npi", VALID_NPI)

    def test_archive_stamps_and_audits(self):
        result = self.ok("archive", "ann")
        self.assertEqual(result.out, f"Archived contact #{self.ann} Ann Lee\n")
        self.assertEqual(result.err, "")
        self.assertEqual(contact_row(self, self.ann)[11], "2026-11-27T09:00:00Z")
        entry = self.audit()[-1]
        self.assertEqual((entry["action"], entry["entity"], entry["entity_id"]),
                         ("archive", "contact", self.ann))
        self.assertIsNone(entry["old"]["archived_at"])
        self.assertEqual(entry["new"]["archived_at"], "2026-11-27T09:00:00Z")

    def test_archive_dismisses_planned_follow_ups_but_keeps_referrals_open(self):
        self.ok("followup", "ann", "--due", "+3d")
        referral = self.refer("--from", "ann", "--patient", "P")
        logged = self.ok("--format", "json", "followup", "ann", "--date", "2026-11-20").json()["id"]
        count = len(self.audit())
        result = self.ok("archive", "ann")
        self.assertEqual(result.out,
                         f"Archived contact #{self.ann} Ann Lee; dismissed 2 planned follow-ups\n")
        self.assertEqual(self.query("SELECT id, dismissed_at FROM touchpoint ORDER BY id"),
                         [(1, "2026-11-27T09:00:00Z"), (2, "2026-11-27T09:00:00Z"), (logged, None)])
        self.assertEqual(self.query("SELECT status FROM referral WHERE id = ?", referral), [("new",)])
        entries = self.audit()[count:]
        self.assertEqual((entries[0]["action"], entries[0]["entity_id"]), ("archive", self.ann))
        self.assertEqual(sorted((e["action"], e["entity"], e["entity_id"]) for e in entries[1:]),
                         [("dismiss", "touchpoint", 1), ("dismiss", "touchpoint", 2)])

    def test_json_and_csv(self):
        bob = self.add("Bob Ray")
        record = self.ok("--format", "json", "archive", str(self.ann)).json()
        self.assertEqual(record["archived"], "2026-11-27T09:00:00Z")
        rows = self.ok("--format", "csv", "archive", str(bob)).csv()
        self.assertEqual([r["archived"] for r in rows], ["2026-11-27T09:00:00Z"])

    def test_archived_contact_cannot_be_archived_again_or_referred(self):
        self.ok("archive", "ann")
        self.refused(65, "archive", str(self.ann), says="already archived")
        self.refused(65, "refer", "--to", str(self.ann), "--patient", "MRN-1", says="archived")

    def test_name_prefers_the_active_contact(self):
        self.ok("archive", "ann")
        active = self.add("Ann Lee")
        self.ok("edit", "ann lee", "--city", "Springfield")
        self.assertEqual(contact_row(self, active)[7], "Springfield")
        self.assertIsNone(contact_row(self, self.ann)[7])


class UnarchiveTest(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--role", "pcp", "--npi", "1234567893",
                            "--practice", "Elm Street")

    def test_an_archived_contact_is_active_again_and_audited(self):
        self.ok("archive", str(self.ann))
        result = self.ok("archive", "ann", "--undo")
        self.assertEqual(result.out, f"Contact #{self.ann} Ann Lee is active again\n")
        self.assertEqual([r["name"] for r in self.rows("list", "contacts")], ["Ann Lee"])
        entry = self.audit()[-1]
        self.assertEqual((entry["action"], entry["entity_id"]), ("unarchive", self.ann))
        self.assertIsNotNone(entry["old"]["archived_at"])
        self.assertIsNone(entry["new"]["archived_at"])

    def test_refusals_change_nothing(self):
        self.refused(65, "archive", "ann", "--undo", says="is not archived")
        self.ok("archive", str(self.ann))
        # Someone active now holds the NPI, or the name and practice: that would be two of one.
        self.add("Dr. A. Lee", "--role", "pcp", "--npi", "1234567893")
        self.refused(65, "archive", str(self.ann), "--undo", says="the same NPI")
        other = self.add("Bo Diaz", "--role", "pcp")
        self.ok("merge", str(other), str(self.add("Bo Diaz", "--role", "pcp", "--practice", "X")))
        merged = self.query("SELECT id FROM contact WHERE merged_into IS NOT NULL")[0][0]
        self.refused(65, "archive", str(merged), "--undo", says=f"was merged into #{other}")


class MergeTest(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.keep = self.add("Ann Lee", "--practice", "Elm Street", "--tag", "diabetes")
        self.dup = self.add("Dr. A. Lee", "--npi", VALID_NPI, "--specialty", "cardiology",
                            "--practice", "Oak Clinic", "--tag", "spanish", "--phone", "555-0100")
        self.ok("event", "Gala", "--kind", "social", "--date", "2026-11-20", "--met", str(self.dup))
        self.referral = self.refer("--from", str(self.dup), "--patient", "MRN-1")
        self.ok("followup", str(self.dup), "--via", "email", "--note", "thanks")

    def test_history_moves_to_keep_and_dup_is_archived(self):
        result = self.ok("merge", "Ann Lee", VALID_NPI)
        self.assertEqual(result.out, f"Merged #{self.dup} Dr. A. Lee into #{self.keep} Ann Lee\n")
        self.assertEqual(result.err, "")
        self.assertEqual(self.query("SELECT DISTINCT contact_id FROM referral"), [(self.keep,)])
        self.assertEqual(self.query("SELECT DISTINCT contact_id FROM touchpoint"), [(self.keep,)])
        self.assertEqual(self.query("SELECT contact_id FROM event_contact"), [(self.keep,)])
        dup = contact_row(self, self.dup)
        self.assertEqual(dup[11], "2026-11-27T09:00:00Z")
        self.assertEqual(dup[12], self.keep)
        keep = contact_row(self, self.keep)
        self.assertEqual(keep[3], "Elm Street", "keep's own values win")
        self.assertEqual(keep[2], "cardiology", "keep's empty fields are filled from dup")
        self.assertEqual(keep[4], VALID_NPI, "the NPI moves to keep")
        self.assertIsNone(keep[11])
        self.assertEqual(tags_of(self, self.keep), ["diabetes", "spanish"])

    def test_tags_merge_case_insensitively(self):
        self.ok("edit", str(self.keep), "--tag", "Spanish")
        self.ok("merge", str(self.keep), str(self.dup))
        self.assertEqual(tags_of(self, self.keep), ["Spanish", "diabetes"])

    def test_csv_prints_keep(self):
        rows = self.ok("--format", "csv", "merge", str(self.keep), str(self.dup)).csv()
        self.assertEqual([(r["id"], r["npi"]) for r in rows], [(str(self.keep), VALID_NPI)])

    def test_json_prints_keep(self):
        record = self.ok("--format", "json", "merge", str(self.keep), str(self.dup)).json()
        self.assertEqual(record["id"], self.keep)
        self.assertEqual(record["npi"], VALID_NPI)
        self.assertIsNone(record["archived"])

    def test_audit_rows_for_both_contacts_and_the_moved_history(self):
        count = len(self.audit())
        self.ok("merge", str(self.keep), str(self.dup))
        entries = self.audit()[count:]
        touched = {(e["entity"], e["entity_id"]) for e in entries}
        self.assertEqual({e["action"] for e in entries}, {"merge"})
        self.assertIn(("contact", self.keep), touched)
        self.assertIn(("contact", self.dup), touched)
        self.assertIn(("referral", self.referral), touched)
        dup_entry = next(e for e in entries if e["entity"] == "contact" and e["entity_id"] == self.dup)
        self.assertIsNone(dup_entry["old"]["merged_into"])
        self.assertEqual(dup_entry["new"]["merged_into"], self.keep)
        referral_entry = next(e for e in entries if e["entity"] == "referral")
        self.assertEqual(referral_entry["old"]["contact_id"], self.dup)
        self.assertEqual(referral_entry["new"]["contact_id"], self.keep)
        for tp_id in (t for (t,) in self.query("SELECT id FROM touchpoint")):
            self.assertIn(("touchpoint", tp_id), touched)

    def test_dup_npi_then_resolves_to_keep(self):
        self.ok("merge", str(self.keep), str(self.dup))
        referral = self.refer("--from", VALID_NPI, "--patient", "MRN-2")
        self.assertEqual(self.query("SELECT contact_id FROM referral WHERE id = ?", referral),
                         [(self.keep,)])

    def test_refusals(self):
        self.refused(65, "merge", str(self.keep), str(self.keep), says="into itself")
        self.refused(65, "merge", str(self.keep), "99", says="no contact with id 99")
        self.refused(65, "merge", "lee", str(self.dup), says=["'lee' matches 2 contacts"])
        self.refused(2, "merge", str(self.keep), says="DUP")
        self.ok("merge", str(self.keep), str(self.dup))
        self.refused(65, "merge", str(self.keep), str(self.dup),
                     says=f"already merged into #{self.keep}")
        self.refused(65, "merge", str(self.dup), str(self.keep), says="archived")


class ResolveTest(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--specialty", "cardiology", "--practice", "Elm Street")
        self.leeds = self.add("Ann Leeds", "--specialty", "dermatology", "--npi", VALID_NPI)
        self.annette = self.add("Annette Lee", "--practice", "Oak Clinic")

    def city_of(self, contact):
        return contact_row(self, contact)[7]

    def test_by_id(self):
        self.ok("edit", str(self.annette), "--city", "A")
        self.assertEqual(self.city_of(self.annette), "A")

    def test_by_npi(self):
        self.ok("edit", VALID_NPI, "--city", "B")
        self.assertEqual(self.city_of(self.leeds), "B")

    def test_by_case_insensitive_part_of_the_name(self):
        self.ok("edit", "LEEDS", "--city", "C")
        self.assertEqual(self.city_of(self.leeds), "C")
        self.ok("edit", "ette", "--city", "D")
        self.assertEqual(self.city_of(self.annette), "D")

    def test_exact_name_wins_over_a_longer_name_containing_it(self):
        self.ok("edit", "ann lee", "--city", "E")
        self.assertEqual(self.city_of(self.ann), "E")
        self.assertIsNone(self.city_of(self.leeds))

    def test_ambiguous_lists_the_candidates_and_changes_nothing(self):
        result = self.refused(65, "edit", "lee", "--city", "F", says="'lee' matches 3 contacts")
        lines = result.err.splitlines()
        candidates = [line.split() for line in lines[1:4]]
        self.assertEqual([c[0] for c in candidates],
                         [str(self.ann), str(self.leeds), str(self.annette)])
        self.assertIn("Ann Lee", lines[1])
        self.assertIn("cardiology", lines[1])
        self.assertIn("Elm Street", lines[1])
        self.assertIn("dermatology", lines[2])
        self.assertIn("Oak Clinic", lines[3])
        self.assertIn("use the id, the NPI or more of the name", result.err)

    def test_two_contacts_with_the_same_name_are_ambiguous(self):
        twin = self.add("Ann Lee", "--specialty", "pediatrics")
        result = self.refused(65, "edit", "Ann Lee", "--city", "H", says="'Ann Lee' matches 2 contacts")
        self.assertIn("pediatrics", result.err)
        self.assertIn("cardiology", result.err)
        self.assertNotIn("Leeds", result.err)
        self.ok("edit", str(twin), "--city", "H")
        self.assertEqual(self.city_of(twin), "H")

    def test_unknown_references(self):
        self.refused(65, "edit", "Zed", "--city", "G", says=["no contact matches 'Zed'"])
        self.refused(65, "edit", "42", "--city", "G", says="no contact with id 42")
        self.refused(65, "edit", "1245319599", "--city", "G", says="no contact with NPI 1245319599")
        self.refused(2, "edit", "0", "--city", "G", says="invalid contact id '0'")


if __name__ == "__main__":
    unittest.main()
