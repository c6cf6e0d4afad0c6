"""Hostile input: quotes, SQL fragments, NUL bytes, 100 kB strings, right-to-left and combining
characters, terminal escape sequences, CR and backspace go through add, edit, refer, event, list,
show, log, export and import. They are stored byte for byte as text, never executed, kept exact in
csv, tsv and json, and never reach a terminal raw: a table shows control characters escaped.
The same on PostgreSQL, through COPY too; what its text columns cannot hold (NUL, bytes that are
not UTF-8) is refused there, clearly and changing nothing."""

import contextlib
import csv
import io
import json
import os
import re
import sqlite3
import unittest

from refnet_e2e import POSTGRES, RefnetCase, postgres_only, sqlite_only

# Values a shell can pass in argv (anything but NUL). None starts or ends with a space or a tab,
# which refnet trims from names.
HOSTILE = {
    "quotes": "O'Brien \"the doc\" `id` $(id) ${HOME} \\ back\\slash",
    "sql_drop": "'); DROP TABLE contact;--",
    "sql_or": "x' OR '1'='1",
    "sql_comment": "Robert\"); DELETE FROM audit; /*",
    "like_wildcards": "100% _of_ [x]",
    "rtl": "\u202eevil\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u2067iso\u2069",
    "combining": "Ze\u0301vo\u0308 Z\u0351\u0360a\u0336lgo\u0489",
    "zero_width": "Ann\u200bLee\u200d\ufeffx",
    "csi": "Evil \x1b[31mRED\x1b[0m \x1b[2J\x1b[H",
    "osc_title": "Title \x1b]0;pwned\x07 done",
    "osc_link": "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\",
    "carriage_return": "Over\rwritten",
    "backspace": "Back\x08\x08\x08spaced",
    "bell_delete": "bell\x07 del\x7f end",
    "c1_csi": "c1 \u009b31m csi \u0085 nel",
    "newlines": "two\nlines\r\nthree",
    "emoji": "\U0001F469\u200d\u2695\ufe0f Dr. \U0001F3E5",
    "long": "Long " + "\u00e9x" * 33_000,  # 99 kB of UTF-8: Linux takes up to 128 KiB per argument
}
# What only a file can carry.
NUL_VALUES = {"nul_inside": "before\x00after", "nul_and_escape": "a\x00\x1b[31mb"}

# Bytes that are not UTF-8, as a terminal or script in another encoding passes them: Python hands
# refnet each surrogate escape as the byte it stands for (os.fsencode).
NOT_UTF8 = {"latin1": "M\udcfcller", "lone_continuation": "x\udc80y", "cut_short": "Zed \udcc3",
            "surrogate": "a\udced\udca0\udc80b", "overlong": "\udcc0\udcaf slash"}

TABLES = ("contact", "referral", "touchpoint", "event", "audit", "contact_tag", "event_contact")


def raw_controls(text):
    """Characters that must never reach a terminal raw: C0 controls other than the newline that
    ends a line, DEL, C1 controls, and the bidi controls that reorder text."""
    return sorted({hex(ord(c)) for c in text
                   if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F
                   or c in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"})


class HostileCase(RefnetCase):
    def stored(self, sql, *params):
        rows = self.query(sql, *params)
        self.assertEqual(len(rows), 1, sql)
        return rows[0]

    def assert_stored_as_text(self, table, column, row_id, value):
        kind = f"pg_typeof({column})::text" if POSTGRES else f"typeof({column})"
        stored, kind = self.stored(f"SELECT {column}, {kind} FROM {table} WHERE id = ?", row_id)
        self.assertEqual(kind, "text", f"{table}.{column}")
        self.assertEqual(stored, value, f"{table}.{column} #{row_id} stored byte for byte")

    def assert_terminal_safe(self, text, what):
        self.assertEqual(raw_controls(text), [], f"{what}: raw control characters reach the terminal")

    def assert_schema_intact(self):
        names = {r[0] for r in self.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'" if POSTGRES
            else "SELECT name FROM sqlite_master WHERE type = 'table'")}
        self.assertTrue(set(TABLES) <= names, names)
        self.assertTrue(all(r["ok"] for r in self.rows("db", "check")))


def build_hostile(case):
    """Each hostile value as a contact's name, note and city, a referral's patient and reason, and
    an event's name and location."""
    case.init()
    ids = {}
    for key, value in HOSTILE.items():
        contact = case.add(value, "--role", "pcp", "--practice", f"Practice {key}")
        case.ok("edit", str(contact), "--note", value, "--city", value, "--tag", key)
        referral = case.refer("--from", str(contact), "--patient", value, "--reason", value)
        event = case.ok("--format", "json", "event", value, "--kind", "cme", "--date", "2026-11-01",
                        "--location", value, "--met", str(contact)).json()["id"]
        ids[key] = (contact, referral, event)
    return ids


class Corpus(HostileCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_hostile)

    def test_stored_byte_for_byte_as_text(self):
        for key, value in HOSTILE.items():
            contact, referral, event = self.ids[key]
            with self.subTest(key=key):
                for column in ("name", "note", "city"):
                    self.assert_stored_as_text("contact", column, contact, value)
                for column in ("patient", "reason"):
                    self.assert_stored_as_text("referral", column, referral, value)
                for column in ("name", "location"):
                    self.assert_stored_as_text("event", column, event, value)
        self.assertEqual(self.query("SELECT count(*) FROM contact")[0][0], len(HOSTILE))
        self.assert_schema_intact()

    def test_never_executed(self):
        # The SQL fragments did not drop or delete anything: every audit row is still there, and
        # the contact table holds every contact.
        audit = self.query("SELECT count(*) FROM audit")[0][0]
        self.assertGreaterEqual(audit, 4 * len(HOSTILE))
        self.assert_schema_intact()
        # A name part is matched literally, not as SQL or a LIKE pattern.
        for key in ("sql_drop", "sql_or", "like_wildcards", "quotes"):
            with self.subTest(key=key):
                card = self.ok("show", HOSTILE[key], "--format", "json").json()
                self.assertEqual(card["contact"]["id"], self.ids[key][0])
        for part in ("%", "_", "'"):
            with self.subTest(part=part):
                matched = self.run_refnet("show", part, "--format", "json")
                if part == "'":  # in three names: the candidates are listed, nothing is shown
                    self.assertEqual(matched.code, 65, matched)
                    continue
                self.assertEqual(matched.json()["contact"]["id"], self.ids["like_wildcards"][0])
        self.assertEqual(self.query("SELECT count(*) FROM audit")[0][0], audit)

    def test_json_keeps_every_value_exact(self):
        contacts = {c["id"]: c for c in self.rows("list", "contacts")}
        referrals = {r["id"]: r for r in self.rows("list", "referrals")}
        events = {e["id"]: e for e in self.rows("list", "events")}
        for key, value in HOSTILE.items():
            contact, referral, event = self.ids[key]
            with self.subTest(key=key):
                self.assertEqual(contacts[contact]["name"], value)
                self.assertEqual(contacts[contact]["note"], value)
                self.assertEqual(contacts[contact]["city"], value)
                self.assertEqual(referrals[referral]["patient"], value)
                self.assertEqual(referrals[referral]["reason"], value)
                self.assertEqual(events[event]["name"], value)
                card = self.ok("show", str(contact), "--format", "json").json()
                self.assertEqual(card["contact"]["name"], value)
                self.assertEqual(card["referrals"][0]["patient"], value)
                timeline = self.ok("show", "--referral", str(referral), "--format", "json").json()
                self.assertEqual(timeline["referral"]["patient"], value)
                self.assertEqual(timeline["referral"]["reason"], value)

    def test_json_text_escapes_controls(self):
        for args in (("list", "contacts"), ("export", "referrals"), ("log",)):
            with self.subTest(args=args):
                out = self.ok(*args, "--format", "json").out
                self.assert_terminal_safe(out.replace("\n", ""), " ".join(args) + " --format json")
                json.loads(out)

    def test_csv_and_tsv_keep_every_value_exact(self):
        rows = {int(r["id"]): r for r in self.ok("list", "contacts", "--format", "csv").csv()}
        tsv = self.ok("list", "contacts", "--format", "tsv").out.split("\n")
        header = tsv[0].split("\t")
        decode = lambda f: re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[m.group(1)], f)  # noqa
        tsv_rows = {int(r["id"]): r for r in (dict(zip(header, map(decode, line.split("\t"))))
                                              for line in tsv[1:-1])}
        for key, value in HOSTILE.items():
            contact = self.ids[key][0]
            with self.subTest(key=key):
                self.assertEqual(rows[contact]["name"], value)
                self.assertEqual(rows[contact]["note"], value)
                self.assertEqual(tsv_rows[contact]["name"], value)

    def test_tables_show_controls_escaped(self):
        for args in (("list", "contacts"), ("list", "referrals"), ("list", "events"),
                     ("list", "followups"), ("log",), ("report", "overdue"), ("report", "reciprocity"),
                     ("report", "sources")):
            with self.subTest(args=args):
                self.assert_terminal_safe(self.ok(*args, "--color", "never").out, " ".join(args))
        for key in HOSTILE:
            contact, referral, _ = self.ids[key]
            with self.subTest(key=key):
                for args in (("show", str(contact)), ("show", "--referral", str(referral)),
                             ("log", "--contact", str(contact))):
                    self.assert_terminal_safe(self.ok(*args, "--color", "never").out, " ".join(args))
        card = self.ok("show", str(self.ids["csi"][0])).out
        self.assertIn("\\x1b[31mRED", card, "an escape is shown, visibly")
        self.assertIn("Over\\rwritten", self.ok("show", str(self.ids["carriage_return"][0])).out)
        self.assertIn("Back\\x08", self.ok("show", str(self.ids["backspace"][0])).out)
        self.assertIn("\\u202e", self.ok("show", str(self.ids["rtl"][0])).out)

    def test_messages_and_errors_are_terminal_safe(self):
        for key, value in HOSTILE.items():
            if key == "long":
                continue
            contact = self.ids[key][0]
            with self.subTest(key=key):
                edited = self.ok("edit", str(contact), "--note", value + "!")
                self.assert_terminal_safe(edited.out, "edit's message")
                logged = self.ok("followup", str(contact), "--note", value)
                self.assert_terminal_safe(logged.out, "followup's message")
                refused = self.fails(65, "edit", value + " nobody", "--city", "X")
                self.assert_terminal_safe(refused.err, "an error naming the value")
                refused = self.fails(2, "refer", "--from", str(contact), "--patient", "P",
                                     "--urgency", value)
                self.assert_terminal_safe(refused.err, "a usage error naming the value")

    def test_export_import_round_trip_keeps_every_value(self):
        # Into a new, empty database of the same backend: on PostgreSQL an import into an empty
        # table loads its rows through COPY, whose text format escapes backslashes, tabs and line
        # ends (src/store/postgres/bulk.cpp); a value must come back exact all the same.
        original = self.location
        for fmt in ("csv", "tsv", "json"):
            with self.subTest(format=fmt):
                exported = {}
                for entity in ("events", "contacts", "referrals"):
                    path = os.path.join(self.home, f"{entity}.{fmt}")
                    with open(path, "w", encoding="utf-8", newline="") as f:
                        f.write(self.ok("--db", original, "export", entity, "--format", fmt).out)
                    exported[entity] = path
                fresh = self.fresh_database(f"fresh-{fmt}.db")
                self.ok("--db", fresh, "init")
                for entity in ("events", "contacts", "referrals"):
                    self.ok("--db", fresh, "import", entity, exported[entity])
                for entity in ("events", "contacts", "referrals"):
                    again = self.ok("--db", fresh, "export", entity, "--format", fmt).out
                    with open(exported[entity], encoding="utf-8", newline="") as f:
                        self.assertEqual(again, f.read(), f"{entity} round trip through {fmt}")
                listed = [self.ok("--db", db, "list", "contacts", "--format", "json").out
                          for db in (fresh, original)]
                self.assertEqual(listed[0], listed[1])

    def test_an_import_into_tables_that_hold_rows_keeps_every_value(self):
        # The other way in: a table that already holds rows takes an import row by row.
        exported = {}
        for entity in ("events", "contacts", "referrals"):
            exported[entity] = self.write_file(f"{entity}.json",
                                               self.ok("export", entity, "--format", "json").out)
        fresh = self.fresh_database("rows.db")
        self.ok("--db", fresh, "init")
        self.ok("--db", fresh, "add", "Dr. First Contact")
        self.ok("--db", fresh, "event", "First event", "--kind", "cme", "--date", "2026-10-01")
        self.ok("--db", fresh, "refer", "--from", "First", "--patient", "P-0")
        for entity in ("events", "contacts", "referrals"):
            self.ok("--db", fresh, "import", entity, exported[entity])
        contacts = {c["name"]: c for c in self.rows("--db", fresh, "list", "contacts")}
        referrals = {r["patient"]: r for r in self.rows("--db", fresh, "list", "referrals")}
        events = {e["name"]: e for e in self.rows("--db", fresh, "list", "events")}
        for key, value in HOSTILE.items():
            with self.subTest(key=key):
                self.assertEqual(contacts[value]["note"], value)
                self.assertEqual(contacts[value]["city"], value)
                self.assertEqual(referrals[value]["reason"], value)
                self.assertEqual(events[value]["location"], value)

    def fresh_database(self, name):
        """A new, empty database of this test's backend, named as --db takes it: a file, or on
        PostgreSQL a database of the test's own (this test's default location moves to it)."""
        if POSTGRES:
            self.use_postgres()
            return self.location
        return os.path.join(self.home, name)


class NotUtf8(HostileCase):
    """Arguments that are not UTF-8. A SQLite file holds them as the bytes given; a PostgreSQL
    text column holds only UTF-8, so there refnet refuses them, clearly and changing nothing
    (what an import file that is not UTF-8 gets on both: test_import)."""

    def setUp(self):
        super().setUp()
        self.init()
        self.add("Dr. Ann Lee")

    def writes(self, value):
        return {"add": ("add", value), "edit": ("edit", "Lee", "--note", value),
                "refer": ("refer", "--from", "Lee", "--patient", value),
                "event": ("event", value, "--kind", "cme", "--date", "2026-11-01"),
                "followup": ("followup", "Lee", "--note", value)}

    @postgres_only("a PostgreSQL text column holds only UTF-8")
    def test_postgresql_refuses_it_and_changes_nothing(self):
        for key, value in NOT_UTF8.items():
            for command, args in self.writes(value).items():
                with self.subTest(key=key, command=command):
                    result = self.refused(65, *args, says=(
                        "PostgreSQL takes only UTF-8 text, and a value given is not UTF-8 (byte 0x",
                        "hint: give the text as UTF-8"))
                    self.assert_terminal_safe(result.err.replace("\n", ""), "the refusal")

    @sqlite_only("a SQLite file holds any bytes as text")
    def test_a_file_holds_the_bytes_given(self):
        for key, value in NOT_UTF8.items():
            for command, args in self.writes(value).items():
                with self.subTest(key=key, command=command):
                    self.ok(*args)
        with contextlib.closing(sqlite3.connect(self.db)) as conn:
            conn.text_factory = bytes
            stored = {row[0] for sql in ("SELECT name FROM contact", "SELECT note FROM contact",
                                         "SELECT patient FROM referral", "SELECT name FROM event",
                                         "SELECT note FROM touchpoint")
                      for row in conn.execute(sql)}
        for value in NOT_UTF8.values():
            self.assertIn(os.fsencode(value), stored)

    def test_a_lookup_by_it_finds_nothing_and_changes_nothing(self):
        for key, value in NOT_UTF8.items():
            for args in (("show", value), ("edit", value, "--city", "X"),
                         ("refer", "--from", value, "--patient", "P-1")):
                with self.subTest(key=key, command=args[0]):
                    result = self.refused(65, *args)
                    self.assert_terminal_safe(result.err.replace("\n", ""), "the refusal")

    @postgres_only("db copy onto a server")
    def test_db_copy_of_a_file_holding_it_is_refused_and_the_server_keeps_nothing(self):
        source = os.path.join(self.home, "latin.db")
        self.ok("--db", source, "init")
        self.ok("--db", source, "add", NOT_UTF8["latin1"])
        self.use_postgres()  # db copy goes into a new, empty database
        result = self.fails(65, "--db", source, "db", "copy", "--to", self.location)
        self.assertIn("not UTF-8 (byte 0xFC)", result.err)
        for table in ("contact", "audit", "secret"):
            self.assertEqual(self.query(f"SELECT count(*) FROM {table}"), [(0,)], table)
        # Nothing of it stays in the way: the same database takes a copy once the file is fixed.
        fixed = os.path.join(self.home, "fixed.db")
        self.ok("--db", fixed, "init")
        self.ok("--db", fixed, "add", "M\u00fcller")
        self.ok("--db", fixed, "db", "copy", "--to", self.location)
        self.assertEqual([c["name"] for c in self.rows("list", "contacts")], ["M\u00fcller"])


class NulBytes(HostileCase):
    """NUL cannot be passed in argv; a file can carry it. A text field with a NUL byte is not
    something any referral network means to hold."""

    def setUp(self):
        super().setUp()
        self.init()

    def write(self, name, data):
        path = os.path.join(self.home, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def check_refused(self, path, line):
        before = self.dump()
        result = self.assertUnchanged(before, "import", "contacts", path, code=65)
        self.assertIn(f"{path}:{line}: ", result.err)
        self.assertIn("NUL", result.err)
        self.assert_terminal_safe(result.err.replace("\n", ""), "the import's error")

    def test_csv(self):
        body = "name,note\n" + "".join(f"Plain {i},fine\n" for i in range(2))
        body += "".join(f"{value},x\n" for value in NUL_VALUES.values())
        path = self.write("nul.csv", body.encode("utf-8"))
        self.check_refused(path, 4)

    def test_json(self):
        rows = [{"name": "Plain"}] + [{"name": "ok", "note": value} for value in NUL_VALUES.values()]
        path = self.write("nul.json", json.dumps(rows).encode("utf-8"))
        self.check_refused(path, 1)


if __name__ == "__main__":
    unittest.main()
