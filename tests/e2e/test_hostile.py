"""Hostile input: quotes, SQL fragments, NUL bytes, 100 kB strings, right-to-left and combining
characters, terminal escape sequences, CR and backspace go through add, edit, refer, event, list,
show, log, export and import. They are stored byte for byte as text, never executed, kept exact in
csv, tsv and json, and never reach a terminal raw: a table shows control characters escaped."""

import csv
import io
import json
import os
import re
import unittest

from refnet_e2e import RefnetCase

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
        stored, kind = self.stored(f"SELECT {column}, typeof({column}) FROM {table} WHERE id = ?", row_id)
        self.assertEqual(kind, "text", f"{table}.{column}")
        self.assertEqual(stored, value, f"{table}.{column} #{row_id} stored byte for byte")

    def assert_terminal_safe(self, text, what):
        self.assertEqual(raw_controls(text), [], f"{what}: raw control characters reach the terminal")

    def assert_schema_intact(self):
        names = {r[0] for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
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
        for fmt in ("csv", "tsv", "json"):
            with self.subTest(format=fmt):
                exported = {}
                for entity in ("events", "contacts", "referrals"):
                    path = os.path.join(self.home, f"{entity}.{fmt}")
                    with open(path, "w", encoding="utf-8", newline="") as f:
                        f.write(self.ok("export", entity, "--format", fmt).out)
                    exported[entity] = path
                fresh = os.path.join(self.home, f"fresh-{fmt}.db")
                self.ok("--db", fresh, "init")
                for entity in ("events", "contacts", "referrals"):
                    self.ok("--db", fresh, "import", entity, exported[entity])
                for entity in ("events", "contacts", "referrals"):
                    again = self.ok("--db", fresh, "export", entity, "--format", fmt).out
                    with open(exported[entity], encoding="utf-8", newline="") as f:
                        self.assertEqual(again, f.read(), f"{entity} round trip through {fmt}")


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
