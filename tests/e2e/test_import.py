"""import: csv, tsv, json and vCard in; every bad line reported as FILE:LINE: column: problem and
nothing written; --dry-run; --on-duplicate; stdin."""

import contextlib
import json
import os
import pty
import select
import sqlite3
import subprocess
import unittest

from refnet_e2e import BIN, RefnetCase, sqlite_only

CONTACTS_CSV = (
    "\ufeffName,Role,Specialty,Practice,NPI,Phone,City,Source,Tags,Note\r\n"
    "Dr. Ann Lee,pcp,Family medicine,Elm Street,1234567893,'+1 555 0100,Zürich,visit,\"diabetes, vip\",\"two\r\nlines\"\r\n"
    "Bob Stone,SPECIALIST,Cardiology,Heart Group,,555-0101,,linkedin,,\r\n"
)


class ImportCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()

    def write(self, name, text, encoding="utf-8"):
        path = os.path.join(self.home, name)
        data = text.encode(encoding) if isinstance(text, str) else text
        with open(path, "wb") as f:
            f.write(data)
        return path

    def contacts(self):
        return json.loads(self.ok("--format", "json", "list", "contacts", "--archived").out)

    def rejected(self, *args, code=65):
        """An import that must fail: exit `code`, stderr lines, and the database untouched."""
        before = self.dump()
        result = self.assertUnchanged(before, *args, code=code)
        self.assertTrue(result.err.startswith("refnet: "), result)
        self.assertEqual(result.out, "")
        return result.err.splitlines()


class Contacts(ImportCase):
    def test_csv_with_bom_crlf_and_any_case_headers(self):
        path = self.write("contacts.csv", CONTACTS_CSV)
        result = self.ok("import", "contacts", path)
        self.assertIn("2 added, 0 updated, 0 skipped", result.out)
        rows = {r["name"]: r for r in self.contacts()}
        ann = rows["Dr. Ann Lee"]
        self.assertEqual(ann["npi"], "1234567893")
        self.assertEqual(ann["phone"], "+1 555 0100")  # the formula guard undone
        self.assertEqual(ann["tags"], "diabetes,vip")
        self.assertEqual(ann["note"], "two\r\nlines")
        self.assertEqual(ann["city"], "Zürich")
        self.assertEqual(ann["created"], self.now)
        self.assertEqual(rows["Bob Stone"]["role"], "specialist")
        self.assertIsNone(rows["Bob Stone"]["npi"])

    def test_one_audit_row_per_import(self):
        path = self.write("contacts.csv", CONTACTS_CSV)
        self.ok("import", "contacts", path)
        rows = self.query("SELECT action, entity, entity_id, new FROM audit WHERE entity = 'database'")
        self.assertEqual(len(rows), 1)
        action, entity, entity_id, new = rows[0]
        self.assertEqual((action, entity, entity_id), ("import", "database", 0))
        self.assertEqual(json.loads(new), {"file": path, "entity": "contacts", "format": "csv",
                                           "added": 2, "updated": 0, "skipped": 0})
        self.assertEqual(self.query("SELECT count(*) FROM audit WHERE entity = 'contact'"), [(0,)])

    def test_json_result(self):
        path = self.write("contacts.csv", CONTACTS_CSV)
        result = self.ok("--format", "json", "import", "contacts", path).json()
        self.assertEqual(result, {"file": path, "entity": "contacts", "format": "csv",
                                  "dry_run": False, "added": 2, "updated": 0, "skipped": 0,
                                  "blank_rows": 0})

    def test_stdin(self):
        result = self.ok("import", "contacts", "-", input=CONTACTS_CSV.replace("\ufeff", ""))
        self.assertIn("2 added", result.out)
        self.assertEqual(len(self.contacts()), 2)

    def test_stdin_json_is_recognised_by_its_first_byte(self):
        self.ok("import", "contacts", "-", input='[{"name": "Ann Lee", "npi": "1234567893"}]')
        self.assertEqual(self.contacts()[0]["npi"], "1234567893")

    def test_tsv(self):
        path = self.write("c.tsv", "name\tnote\nAnn Lee\tline\\nbreak\\ttab\n")
        self.ok("import", "contacts", path)
        self.assertEqual(self.contacts()[0]["note"], "line\nbreak\ttab")

    def test_dry_run_writes_nothing_and_says_what_would_be_written(self):
        path = self.write("contacts.csv", CONTACTS_CSV)
        before = self.dump()
        result = self.ok("import", "contacts", path, "--dry-run")
        self.assertIn("Dry run, nothing written: 2 contacts would be added, 0 updated, 0 skipped", result.out)
        self.assertEqual(self.dump(), before)
        result = self.ok("--format", "json", "import", "contacts", path, "--dry-run").json()
        self.assertEqual((result["dry_run"], result["added"]), (True, 2))
        self.assertEqual(self.dump(), before)

    def test_every_bad_line_is_reported_and_nothing_is_written(self):
        path = self.write("bad.csv",
                          "name,role,npi,source,created\n"
                          "Ann Lee,pcp,1234567890,visit,2026-01-01\n"
                          ",pcp,,,\n"
                          "Bob,doctor,,tv,yesterday\n"
                          "Good One,pcp,1234567893,,\n")
        lines = self.rejected("import", "contacts", path)
        self.assertEqual(lines[0], f"refnet: cannot import {path}: 5 problems; nothing was written")
        self.assertIn(f"{path}:2: npi: '1234567890' is not a valid NPI: the check digit should be 3, not 0", lines)
        self.assertIn(f"{path}:3: name: required: a contact needs a name", lines)
        self.assertTrue(any(l.startswith(f"{path}:4: role: 'doctor' is not one of: pcp") for l in lines))
        self.assertTrue(any(l.startswith(f"{path}:4: source: 'tv' is not one of") for l in lines))
        self.assertTrue(any(l.startswith(f"{path}:4: created: 'yesterday' is not a date") for l in lines))
        self.assertTrue(lines[-1].startswith("hint: "))

    def test_unknown_and_repeated_columns(self):
        path = self.write("cols.csv", "name,favourite colour,Name\nAnn,blue,Ann\n")
        lines = self.rejected("import", "contacts", path)
        self.assertTrue(any(l.startswith(f"{path}:1: favourite colour: unknown column for contacts") for l in lines))
        self.assertIn(f"{path}:1: Name: the column is given twice (as 'name', for name)", lines)

    def test_the_same_npi_twice_in_one_file(self):
        path = self.write("twice.csv", "name,npi\nAnn,1234567893\nAnnie,1234567893\n")
        lines = self.rejected("import", "contacts", path)
        self.assertIn(f"{path}:3: npi: NPI 1234567893 is already on line 2", lines)

    @sqlite_only("the journal mode of the file")
    def test_a_load_alone_writes_once_and_leaves_the_database_in_wal(self):
        path = self.write("c.csv", CONTACTS_CSV)
        self.ok("import", "contacts", path)
        self.assertEqual(self.query("PRAGMA journal_mode"), [("wal",)])
        self.assertEqual(len(self.contacts()), 2)
        self.ok("db", "check")

    @sqlite_only("the journal mode of the file")
    def test_a_load_while_another_has_the_database_open_goes_as_any_write(self):
        path = self.write("c.csv", CONTACTS_CSV)
        with contextlib.closing(sqlite3.connect(self.db)) as other:
            other.execute("SELECT count(*) FROM contact").fetchall()
            self.ok("import", "contacts", path)
            self.assertEqual(other.execute("SELECT count(*) FROM contact").fetchall(), [(2,)])
        self.assertEqual(self.query("PRAGMA journal_mode"), [("wal",)])

    def test_missing_file(self):
        self.fails(66, "import", "contacts", os.path.join(self.home, "nope.csv"))

    def test_bad_options(self):
        path = self.write("c.csv", CONTACTS_CSV)
        self.fails(2, "import", "contacts", path, "--on-duplicate", "merge")
        self.fails(2, "import", "contacts", path, "--from", "xlsx")
        self.fails(2, "import", "referrals", self.write("a.vcf", "BEGIN:VCARD\r\nEND:VCARD\r\n"))


class Duplicates(ImportCase):
    def setUp(self):
        super().setUp()
        self.ann = self.add("Ann Lee", "--practice", "Elm Street", "--npi", "1234567893", "--city", "Boston")
        self.bob = self.add("Bob Stone", "--practice", "Heart Group")

    def file(self):
        return self.write("dups.csv",
                          "name,practice,npi,city\n"
                          "Dr. Ann Lee,Elm Street,1234567893,Cambridge\n"  # same NPI
                          "bob stone,HEART GROUP,,Springfield\n"           # same name and practice
                          "Cara Díaz,,,Austin\n")

    def test_error_is_the_default(self):
        path = self.file()
        lines = self.rejected("import", "contacts", path)
        self.assertIn(f"{path}:2: npi: a duplicate of contact #{self.ann} Ann Lee (the same NPI); "
                      "choose --on-duplicate skip or update", lines)
        self.assertIn(f"{path}:3: name: a duplicate of contact #{self.bob} Bob Stone (the same name "
                      "and practice); choose --on-duplicate skip or update", lines)

    def test_skip(self):
        result = self.ok("import", "contacts", self.file(), "--on-duplicate", "skip")
        self.assertIn("1 added, 0 updated, 2 skipped", result.out)
        rows = {r["name"]: r for r in self.contacts()}
        self.assertEqual(rows["Ann Lee"]["city"], "Boston")
        self.assertIn("Cara Díaz", rows)

    def test_update(self):
        result = self.ok("import", "contacts", self.file(), "--on-duplicate", "update")
        self.assertIn("1 added, 2 updated, 0 skipped", result.out)
        rows = {r["id"]: r for r in self.contacts()}
        self.assertEqual(rows[self.ann]["name"], "Dr. Ann Lee")
        self.assertEqual(rows[self.ann]["city"], "Cambridge")
        self.assertEqual(rows[self.bob]["city"], "Springfield")
        self.assertEqual(len(rows), 3)

    def test_dry_run_counts_duplicates(self):
        before = self.dump()
        result = self.ok("import", "contacts", self.file(), "--on-duplicate", "skip", "--dry-run")
        self.assertIn("1 contacts would be added, 0 updated, 2 skipped", result.out)
        self.assertEqual(self.dump(), before)


class Hostile(ImportCase):
    def test_ragged_rows(self):
        path = self.write("ragged.csv", "name,city\nAnn,Boston\nBob\nCara,Austin,extra\n")
        lines = self.rejected("import", "contacts", path)
        self.assertIn(f"{path}:3: 1 field but the header has 2 columns", lines)
        self.assertIn(f"{path}:4: 3 fields but the header has 2 columns", lines)

    def test_unterminated_quote(self):
        path = self.write("quote.csv", "name,note\nAnn,fine\nBob,\"never\nends\nCara,x\n")
        lines = self.rejected("import", "contacts", path)
        self.assertIn(f"{path}:3: a quoted field that starts on line 3 never ends: a closing quote "
                      "is missing", lines)

    def test_invalid_utf8(self):
        path = self.write("latin1.csv", "name,city\nAnn,München\n", encoding="latin-1")
        lines = self.rejected("import", "contacts", path)
        self.assertEqual(lines, [
            f"refnet: cannot import {path}: it is not UTF-8 (byte 0xFC on line 2 looks like "
            "Windows-1252); nothing was written",
            f"hint: convert it with: iconv -f WINDOWS-1252 -t UTF-8 {path} > utf8.csv, or save it "
            'from the spreadsheet as "CSV UTF-8"'])

    def test_empty_file(self):
        path = self.write("empty.csv", "")
        lines = self.rejected("import", "contacts", path)
        self.assertIn(f"{path}:1: the file is empty: expected a header row and rows", lines)

    def test_header_only(self):
        path = self.write("header.csv", "name,city\r\n")
        lines = self.rejected("import", "contacts", path)
        self.assertIn(f"{path}:2: no rows after the header: nothing to import", lines)

    def test_broken_json(self):
        path = self.write("broken.json", '[\n{"name": "Ann"},\n{"name": "Bob"\n')
        lines = self.rejected("import", "contacts", path)
        self.assertTrue(any(l.startswith(f"{path}:4: not valid json") for l in lines), lines)

    def test_ten_thousand_bad_lines_are_capped_with_a_count(self):
        text = "name,npi\n" + "".join(f"Person {i},1234567890\n" for i in range(10000))
        path = self.write("many.csv", text)
        lines = self.rejected("import", "contacts", path)
        self.assertEqual(lines[0], f"refnet: cannot import {path}: 10000 problems; nothing was written")
        listed = [l for l in lines if l.startswith(path + ":")]
        self.assertEqual(len(listed), 50)
        self.assertEqual(listed[0], f"{path}:2: npi: '1234567890' is not a valid NPI: the check digit should be 3, not 0")
        self.assertIn("... and 9950 more problems", lines)

    def test_one_bad_line_among_good_ones_writes_none_of_them(self):
        text = "name\n" + "".join(f"Person {i}\n" for i in range(500)) + "\"\n"
        path = self.write("late.csv", text)
        self.rejected("import", "contacts", path)
        self.assertEqual(self.contacts(), [])


class Referrals(ImportCase):
    def setUp(self):
        super().setUp()
        self.ann = self.add("Ann Lee", "--npi", "1234567893")
        self.bob = self.add("Bob Stone")
        self.add("Twin", "--practice", "A")
        self.add("Twin", "--practice", "B")

    def test_contacts_by_npi_name_or_id(self):
        path = self.write("r.csv",
                          "direction,contact_npi,contact,contact_id,patient,referred,urgency,status,seen\n"
                          f"in,1234567893,,,MRN-1,2026-11-01T10:00:00Z,urgent,seen,2026-11-02T10:00:00Z\n"
                          f"out,,bob stone,,MRN-2,2026-11-03,,,\n"
                          f"in,,,{self.ann},MRN-3,2026-11-04T10:00:00Z,,closed,\n")
        self.ok("import", "referrals", path)
        rows = json.loads(self.ok("--format", "json", "export", "referrals").out)
        self.assertEqual([r["contact_id"] for r in rows], [self.ann, self.bob, self.ann])
        seen = rows[0]
        self.assertEqual(seen["status"], "seen")
        self.assertEqual(seen["acknowledge_due"], "2026-11-02T10:00:00Z")  # urgent: 24h
        self.assertEqual(seen["report_due"], "2026-11-16T10:00:00Z")       # 14d after seen
        self.assertEqual(rows[1]["urgency"], "routine")
        self.assertEqual(rows[2]["closed"], self.now)  # the status reached, stamped at import

    @sqlite_only("SQLite drops and rebuilds the indexes of a bulk load")
    def test_into_an_empty_table_the_indexes_come_back_as_they_were(self):
        # An import into an empty table drops the table's indexes and builds them at the end.
        schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
        before = self.query(schema)
        path = self.write("r.csv", "direction,contact,patient,referred\n"
                          + "".join(f"in,Ann Lee,MRN-{i},2026-11-0{1 + i % 9}\n" for i in range(50)))
        self.ok("import", "referrals", path)
        self.assertEqual(self.query(schema), before)
        self.ok("db", "check")
        plan = " ".join(str(row) for row in self.query(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM referral WHERE status = 'new' AND acknowledge_due < ?",
            "2026-12-01"))
        self.assertIn("referral_unacknowledged", plan)

    def test_referral_rules(self):
        path = self.write("r.csv",
                          "direction,contact,patient,referred,status,closed,decline_reason,acknowledged\n"
                          "sideways,Ann Lee,P1,2026-11-01,,,,\n"
                          "in,Nobody,P2,2026-11-01,,,,\n"
                          "in,Twin,P3,2026-11-01,,,,\n"
                          "in,Ann Lee,,2026-11-01,,,,\n"
                          "in,Ann Lee,P5,2026-11-01,declined,,,\n"
                          "in,Ann Lee,P6,2026-11-01,seen,2026-11-05,,\n"
                          "in,Ann Lee,P7,2026-11-01,acknowledged,,,2026-10-01\n"
                          "in,Ann Lee,P8,,,,,\n")
        lines = self.rejected("import", "referrals", path)
        self.assertTrue(any(l.startswith(f"{path}:2: direction: 'sideways' is not one of: in or out") for l in lines), lines)
        self.assertTrue(any(l.startswith(f"{path}:3: contact: no contact named 'Nobody'") for l in lines))
        self.assertTrue(any(l.startswith(f"{path}:4: contact: 'Twin' names 2 contacts") for l in lines))
        self.assertTrue(any(l.startswith(f"{path}:5: patient: required") for l in lines))
        self.assertIn(f"{path}:6: decline_reason: required when the status is declined", lines)
        self.assertIn(f"{path}:7: closed: set, but a referral that is seen never was closed", lines)
        self.assertTrue(any(l.startswith(f"{path}:8: acknowledged: 2026-10-01T00:00:00Z is before the referral") for l in lines))
        self.assertIn(f"{path}:9: referred: required: when the referral was made", lines)

    def test_times_outside_the_years_refnet_keeps(self):
        # Stored, they would be text no later command could read back.
        path = self.write("r.csv", "direction,contact,patient,referred,status,closed\n"
                          "in,Ann Lee,P1,0000-01-01T00:30+01:00,,\n"
                          "in,Ann Lee,P2,2026-11-01,closed,9999-12-31T23:30-01:00\n")
        lines = self.rejected("import", "referrals", path)
        self.assertIn(f"{path}:2: referred: '0000-01-01T00:30+01:00' is outside the years refnet "
                      "keeps: 0000 to 9999 (UTC)", lines)
        self.assertIn(f"{path}:3: closed: '9999-12-31T23:30-01:00' is outside the years refnet "
                      "keeps: 0000 to 9999 (UTC)", lines)

    def test_duplicates(self):
        path = self.write("r.csv", "direction,contact,patient,referred\nin,Ann Lee,P1,2026-11-01T10:00:00Z\n")
        self.ok("import", "referrals", path)
        self.rejected("import", "referrals", path)
        self.assertIn("1 skipped", self.ok("import", "referrals", path, "--on-duplicate", "skip").out)


class Touchpoints(ImportCase):
    def test_logged_and_planned(self):
        ann = self.add("Ann Lee")
        path = self.write("t.json", json.dumps([
            {"contact": "Ann Lee", "via": "call", "done_at": "2026-11-20T10:00:00Z", "note": "hi"},
            {"contact_id": ann, "via": "Email", "due": "2026-12-01T09:00:00Z"},
        ]))
        self.ok("import", "touchpoints", path)
        rows = json.loads(self.ok("--format", "json", "export", "touchpoints").out)
        self.assertEqual([(r["state"], r["via"]) for r in rows], [("done", "call"), ("planned", "email")])

    def test_a_logged_touchpoint_satisfies_plans_made_before_it(self):
        self.add("Ann Lee", now="2026-11-01T09:00:00Z")
        plan = self.ok("--format", "json", "followup", "Ann Lee", "--due", "2026-11-30",
                       now="2026-11-10T09:00:00Z").json()
        path = self.write("t.csv", "contact,via,done_at\n"
                                   "Ann Lee,call,2026-11-05T10:00:00Z\n"  # before the plan: no
                                   "Ann Lee,email,2026-11-20T10:00:00Z\n")
        self.ok("import", "touchpoints", path)
        rows = {r["id"]: r for r in json.loads(self.ok("--format", "json", "export", "touchpoints").out)}
        email = next(r["id"] for r in rows.values() if r["via"] == "email")
        self.assertEqual(rows[plan["id"]]["state"], "satisfied")
        self.assertEqual(rows[plan["id"]]["satisfied_by"], email)
        self.assertEqual(self.rows("list", "followups", "--open"), [])

    def test_a_satisfied_by_column_is_taken_as_it_is(self):
        self.add("Ann Lee", now="2026-11-01T09:00:00Z")
        plan = self.ok("--format", "json", "followup", "Ann Lee", "--due", "2026-11-30",
                       now="2026-11-10T09:00:00Z").json()
        path = self.write("t.csv", "contact,via,done_at,satisfied_by\n"
                                   "Ann Lee,email,2026-11-20T10:00:00Z,\n")
        self.ok("import", "touchpoints", path)
        self.assertEqual([r["id"] for r in self.rows("list", "followups", "--open")], [plan["id"]])

    def test_neither_done_nor_due(self):
        self.add("Ann Lee")
        path = self.write("t.csv", "contact,via\nAnn Lee,call\n")
        lines = self.rejected("import", "touchpoints", path)
        self.assertIn(f"{path}:2: give done_at (it happened) or due (it is planned)", lines)


class VcardImport(ImportCase):
    def test_vcard_3_and_4_folded_escaped_several_cards(self):
        path = self.write("book.vcf",
                          "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Ann;;Dr.;\r\nFN:Dr. Ann Lee\r\n"
                          "ORG:Elm Street\\, Family;Unit\r\nTITLE:Family medicine\r\n"
                          "TEL;TYPE=WORK:555-0100\r\nEMAIL:ann@example.org\r\n"
                          "ADR;TYPE=WORK:;;1 Elm St;Spring\r\n field;IL;;\r\n"
                          "NOTE:likes mornings\\nand tea\\; no coffee\r\nX-NPI:1234567893\r\n"
                          "END:VCARD\r\n"
                          "BEGIN:VCARD\nVERSION:4.0\nFN:Bob Stone\nEND:VCARD\n")
        self.ok("import", "contacts", path)
        rows = {r["name"]: r for r in self.contacts()}
        ann = rows["Dr. Ann Lee"]
        self.assertEqual(ann["practice"], "Elm Street, Family")
        self.assertEqual(ann["specialty"], "Family medicine")
        self.assertEqual(ann["phone"], "555-0100")
        self.assertEqual(ann["city"], "Springfield")
        self.assertEqual(ann["note"], "likes mornings\nand tea; no coffee")
        self.assertEqual(ann["npi"], "1234567893")
        self.assertIn("Bob Stone", rows)

    def test_bad_card_lines(self):
        path = self.write("bad.vcf",
                          "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann\r\nX-NPI:1234567890\r\nEND:VCARD\r\n"
                          "BEGIN:VCARD\r\nVERSION:5.0\r\nFN:New\r\nEND:VCARD\r\n"
                          "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cut\r\n")
        lines = self.rejected("import", "contacts", path)
        self.assertIn(f"{path}:4: npi: '1234567890' is not a valid NPI: the check digit should be 3, not 0", lines)
        self.assertIn(f"{path}:7: VERSION: vCard 5.0 is not supported; use vCard 2.1, 3.0 or 4.0", lines)
        self.assertIn(f"{path}:10: the card that starts on line 10 has no END:VCARD", lines)


class Progress(ImportCase):
    """A large file shows a progress bar on stderr when stderr is a terminal, and only then."""

    def big_file(self):
        rows = "".join(f"Contact {i:05d},pcp,Family medicine,Practice {i % 97},,,Town,visit,,"
                       f"{'x' * 300}\n" for i in range(14000))
        return self.write("big.csv", "name,role,specialty,practice,npi,phone,city,source,tags,note\n"
                                     + rows)

    def test_a_bar_on_a_terminal_then_cleared(self):
        path = self.big_file()
        self.assertGreater(os.path.getsize(path), 4 << 20)
        leader, follower = pty.openpty()
        proc = subprocess.Popen([BIN, "import", "contacts", path], env=self.env,
                                stdout=subprocess.PIPE, stderr=follower)
        os.close(follower)
        shown = b""
        while True:  # drain the terminal while the import runs, so the bar never blocks it
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: the last writer closed the terminal
                    break
                if not chunk:
                    break
                shown += chunk
            elif proc.poll() is not None:
                break
        out = proc.stdout.read().decode()
        proc.stdout.close()
        proc.wait(timeout=60)
        os.close(leader)
        self.assertEqual(proc.returncode, 0, shown)
        self.assertIn(b"refnet: importing big.csv [", shown)
        self.assertRegex(shown, rb"\] +\d+% \d+ rows")
        self.assertTrue(shown.endswith(b"\r\x1b[K"), shown[-80:])  # the bar is erased at the end
        self.assertIn("14000", out)

    def test_nothing_when_stderr_is_not_a_terminal(self):
        result = self.ok("import", "contacts", self.big_file())
        self.assertEqual(result.err, "")


if __name__ == "__main__":
    unittest.main()
