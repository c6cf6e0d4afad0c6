"""search TEXT: every indexed field, folding, the index kept current, hostile text, formats."""

import unittest

from refnet_e2e import RefnetCase, sqlite_only


def build_network(case):
    """Two contacts with accents and apostrophes, their referrals, a touchpoint and an event."""
    case.init()
    ids = {}
    ids["ana"] = case.add("Dr. Ana Núñez", "--role", "specialist", "--practice", "St. Mary's Cardiology",
                          "--note", "prefers fax over email", "--source", "linkedin")
    ids["sean"] = case.add("Dr. Sean O'Brien", "--role", "pcp", "--practice", "Elm Street Family Medicine",
                           "--source", "linkedin")
    ids["lee"] = case.add("Dr. Ann Lee", "--role", "pcp", "--source", "linkedin")
    ids["r_chest"] = case.refer("--from", "O'Brien", "--patient", "MRN-1001", "--reason", "chest pain",
                                "--note", "interpreter needed (Spanish)")
    ids["r_knee"] = case.refer("--to", "Núñez", "--patient", "MRN-2002", "--reason", "knee pain")
    case.ok("followup", "Ann Lee", "--via", "call", "--note", "asked about the lipid clinic")
    case.ok("event", "Heart Congress", "--kind", "conference", "--date", "2026-11-15",
            "--note", "Sean O'Brien spoke on statins")
    ids["event"] = case.rows("list", "events")[0]["id"]
    return ids


class SearchCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def search(self, *args):
        return self.rows("search", *args)

    def found(self, *args):
        return [(row["kind"], row["id"]) for row in self.search(*args)]


class Fields(SearchCase):
    def test_each_field_of_each_kind(self):
        i = self.ids
        self.assertEqual(self.found("núñez", "--kind", "contact"), [("contact", i["ana"])])
        self.assertEqual(self.found("cardiology"), [("contact", i["ana"])])
        self.assertEqual(self.found("fax"), [("contact", i["ana"])])
        self.assertEqual(self.found("chest"), [("referral", i["r_chest"])])
        self.assertEqual(self.found("spanish"), [("referral", i["r_chest"])])
        self.assertEqual([row["kind"] for row in self.search("lipid")], ["touchpoint"])
        self.assertEqual(self.found("congress"), [("event", i["event"])])
        self.assertEqual(self.found("statins"), [("event", i["event"])])

    def test_the_row_says_what_matched_where(self):
        row = self.search("interpreter")[0]
        self.assertEqual(row["name"], "Dr. Sean O'Brien")
        self.assertEqual(row["field"], "note")
        self.assertEqual(row["match"], "interpreter needed (Spanish)")
        self.assertEqual(row["patient"], "MRN-1001")
        self.assertEqual(row["contact_id"], self.ids["sean"])
        self.assertEqual(self.search("lipid")[0]["name"], "Dr. Ann Lee")
        contact = self.search("mary", "--kind", "contact")[0]
        self.assertEqual((contact["field"], contact["match"]), ("practice", "St. Mary's Cardiology"))
        self.assertIsNone(contact["patient"])
        self.assertIsNone(contact["state"])

    def test_case_accents_and_punctuation_fold(self):
        ana = ("contact", self.ids["ana"])
        for text in ("NÚÑEZ", "nunez", "Nunez", "núñ"):
            self.assertIn(ana, self.found(text), text)
        sean = ("contact", self.ids["sean"])
        for text in ("obrien", "O'Brien", "O’BRIEN", "o'bri"):
            self.assertEqual(self.found(text, "--kind", "contact"), [sean], text)
        self.assertEqual(self.found("st marys"), [ana])
        self.assertEqual(self.found("St. Mary's"), [ana])

    def test_every_word_must_match_and_the_last_is_a_prefix(self):
        self.assertEqual(self.found("chest pa"), [("referral", self.ids["r_chest"])])
        self.assertEqual(sorted(self.found("pain")),
                         sorted([("referral", self.ids["r_chest"]), ("referral", self.ids["r_knee"])]))
        self.assertEqual(self.found("chest knee"), [])
        # Words may come as separate arguments.
        self.assertEqual(self.found("chest", "pain"), [("referral", self.ids["r_chest"])])

    def test_names_rank_before_notes(self):
        rows = self.search("obrien")
        self.assertEqual([(r["kind"], r["field"]) for r in rows],
                         [("contact", "name"), ("event", "note")])

    def test_limit_and_kind(self):
        self.assertEqual(len(self.search("dr")), 3)
        self.assertEqual(len(self.search("dr", "--limit", "2")), 2)
        self.assertEqual(self.found("pain", "--kind", "contacts"), [])
        self.assertEqual(len(self.search("pain", "--kind", "REFERRAL")), 2)
        self.assertEqual(len(self.search("lipid", "--kind", "followups")), 1)
        self.refused(2, "search", "pain", "--kind", "patient", says="invalid --kind 'patient'")
        self.refused(2, "search", "pain", "--limit", "0", says="--limit")


class Hostile(SearchCase):
    def test_fts_syntax_is_searched_as_text(self):
        for text in ('"', '*', 'NEAR(', 'NEAR(chest pain)', 'OR', 'chest OR knee', 'a -x', 'chest"',
                     'name:chest', '{reason}: chest', '^chest', '(', ')', "'", '.', "chest AND",
                     'pain NOT chest', '"chest pain"*'):
            result = self.ok("search", text, "--format", "json")
            self.assertIsInstance(result.json(), list, text)
        # A lone word that begins with a dash reads as an option, as for every command: `--`
        # makes it text.
        self.refused(2, "search", "-x")
        dashed = self.ok("--format", "json", "search", "--", "-x").json()
        self.assertEqual(dashed, [])
        dashed = self.ok("--format", "json", "search", "--", "-chest").json()
        self.assertEqual([(r["kind"], r["id"]) for r in dashed], [("referral", self.ids["r_chest"])])
        self.assertEqual(self.found("NEAR(chest pain)"), [])  # "near" is in no record
        self.assertEqual(self.found("chest OR knee"), [])   # three words, "or" in none
        self.assertEqual(self.found("name:chest"), [])
        self.assertEqual(self.found('"chest pain"*'), [("referral", self.ids["r_chest"])])
        self.assertEqual(self.found("pain NOT chest"), [])

    def test_no_letters_finds_nothing_and_says_so(self):
        result = self.ok("search", "*")
        self.assertEqual(result.out, "")
        self.assertEqual(result.err, "No matches.\n")
        self.assertEqual(self.ok("search", "zebra", "--format", "json").json(), [])
        self.assertEqual(self.ok("search", "zebra", "--format", "csv").err, "")

    def test_empty_text_is_a_usage_error(self):
        self.refused(2, "search", "", says="search needs something to look for")
        self.refused(2, "search", "   ")
        self.refused(2, "search")


class Formats(SearchCase):
    def test_csv_tsv_json_and_table(self):
        rows = self.ok("search", "pain", "--format", "csv").csv()
        self.assertEqual(list(rows[0].keys()),
                         ["kind", "id", "name", "patient", "field", "match", "state", "contact_id",
                          "merged_into"])
        self.assertEqual({r["match"] for r in rows}, {"chest pain", "knee pain"})
        tsv = self.ok("search", "pain", "--format", "tsv").csv(delimiter="\t")
        self.assertEqual(len(tsv), 2)
        table = self.ok("search", "pain").out.splitlines()
        self.assertEqual(table[0].split(), ["Kind", "ID", "Name", "Patient", "Field", "Match", "State"])
        self.assertEqual(len(table), 3)

    def test_patients_are_redacted_when_asked(self):
        rows = self.search("pain", "--redact")
        self.assertTrue(all(r["patient"].startswith("P-") for r in rows), rows)
        self.assertNotIn("MRN-", self.ok("search", "pain", "--redact").out)
        self.write_config('[output]\nredact = "always"\n')
        self.assertNotIn("MRN-", self.ok("search", "pain", "--format", "csv").out)
        self.assertIn("MRN-1001", self.ok("search", "pain", "--no-redact").out)

    def test_output_file(self):
        path = f"{self.home}/found.json"
        self.ok("search", "pain", "--format", "json", "-o", path)
        with open(path, encoding="utf-8") as f:
            self.assertIn("chest pain", f.read())


class KeptCurrent(SearchCase):
    def test_edits_through_refnet(self):
        self.ok("edit", "Núñez", "--name", "Dr. Ana Ortiz", "--note", "prefers phone")
        self.assertEqual(self.found("nunez"), [])
        self.assertEqual(self.found("fax"), [])
        self.assertEqual(self.found("ortiz"), [("contact", self.ids["ana"])])
        self.ok("status", str(self.ids["r_knee"]), "acknowledged", "--note", "wheelchair access")
        self.assertEqual(self.found("wheelchair"), [("referral", self.ids["r_knee"])])

    def test_archived_contacts_are_found_and_marked(self):
        self.ok("archive", "Ann Lee")
        row = self.search("ann lee")[0]
        self.assertEqual((row["kind"], row["state"]), ("contact", "archived"))
        self.ok("archive", "Ann Lee", "--undo")
        self.assertIsNone(self.search("ann lee")[0]["state"])

    def test_merged_contacts_say_where_they_went(self):
        self.ok("merge", "Núñez", "O'Brien")
        row = self.search("obrien", "--kind", "contact")[0]
        self.assertEqual(row["state"], f"merged into #{self.ids['ana']}")
        self.assertEqual(row["merged_into"], self.ids["ana"])
        # The duplicate's referral moved: it is the kept contact's now.
        self.assertEqual(self.search("chest")[0]["name"], "Dr. Ana Núñez")
        # keep's empty fields were filled from the duplicate's: none here, practice was set.
        self.assertEqual(self.found("elm street", "--kind", "contact"), [("contact", self.ids["sean"])])

    @sqlite_only("changes made with sqlite3")
    def test_changes_made_with_sqlite3(self):
        self.write_sql(
            "UPDATE contact SET name = 'Dr. Sean MacBride' WHERE name = 'Dr. Sean O''Brien'",
            "INSERT INTO event (name, kind, date, created_at) VALUES "
            "('Spring Symposium', 'cme', '2026-04-01', '2026-11-27T09:00:00Z')",
            "UPDATE referral SET reason = 'shortness of breath' WHERE reason = 'chest pain'",
            "DELETE FROM touchpoint",
            "DELETE FROM event WHERE name = 'Heart Congress'",
        )
        self.assertEqual(self.found("obrien"), [])
        self.assertEqual(self.found("macbride"), [("contact", self.ids["sean"])])
        self.assertEqual(len(self.found("symposium")), 1)
        self.assertEqual(self.found("breath"), [("referral", self.ids["r_chest"])])
        self.assertEqual(self.found("chest"), [])
        self.assertEqual(self.found("lipid"), [])
        self.assertEqual(self.found("congress"), [])
        self.ok("db", "check")

    def test_import_into_an_empty_table_indexes_its_rows(self):
        path = self.write_file("events.csv", "name,kind,date\nAutumn Gala,social,2026-10-01\n")
        self.write_sql("DELETE FROM event")
        self.ok("import", "events", path)
        self.assertEqual(len(self.found("gala")), 1)
        self.assertEqual(self.found("congress"), [])


class OlderDatabase(RefnetCase):
    @sqlite_only("an older SQLite schema")
    def test_a_schema_13_database_is_migrated_and_indexed(self):
        self.init()
        self.add("Dr. Ana Núñez", "--source", "linkedin")
        self.refer("--from", "Núñez", "--patient", "MRN-1", "--reason", "chest pain")
        # What refnet wrote at schema 13: no search index, no triggers (and no voided records).
        triggers = [name for (name,) in self.query(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'")]
        self.assertEqual(len(triggers), 12)
        self.write_sql(*[f"DROP TRIGGER {name}" for name in triggers], "DROP TABLE search",
                       "DROP TABLE voided", "DROP INDEX audit_change_set", "DROP INDEX audit_undoes",
                       "ALTER TABLE audit DROP COLUMN change_set",
                       "ALTER TABLE audit DROP COLUMN undoes", "PRAGMA user_version = 13")
        # Searching only reads: it says how to migrate, and leaves the file as it is.
        before = self.dump()
        self.assertIn("refnet db migrate", self.refused(65, "search", "nunez").err)
        self.assertEqual(self.dump(), before)
        self.ok("db", "migrate")
        self.assertEqual([(r["kind"], r["field"]) for r in self.rows("search", "nunez")],
                         [("contact", "name")])
        self.assertEqual(len(self.rows("search", "chest")), 1)
        self.assertGreaterEqual(self.query("PRAGMA user_version")[0][0], 15)


if __name__ == "__main__":
    unittest.main()
