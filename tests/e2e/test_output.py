"""Output formats: table, csv, tsv and json read back with real parsers; colour; global options."""

import csv
import io
import json
import os
import pty
import re
import select
import subprocess
import unicodedata
import unittest

from refnet_e2e import BIN, RefnetCase

ESC = "\x1b"

# Names a spreadsheet, a csv reader or a terminal could trip on.
COMMA_QUOTE_NAME = 'Lee, Ann "Annie"'
NEWLINE_NAME = "Two\r\nLines"
TAB_NAME = "Tab\there back\\slash"
FORMULA_NAMES = ["=1+1", "+15550100", "-2", "@SUM(A1)"]
ESCAPE_NAME = "Evil \x1b[31mRED\x1b]0;title\x07\x1b[2J Co"
WIDE_NAME = "Zoë 李小龙"

LISTINGS = [
    ("list", "contacts"),
    ("list", "referrals"),
    ("list", "followups"),
    ("list", "events"),
    ("log",),
    ("report", "overdue"),
    ("config", "show"),
]


def build_tricky(case):
    case.init()
    ids = {}
    for name in [COMMA_QUOTE_NAME, NEWLINE_NAME, TAB_NAME, *FORMULA_NAMES, ESCAPE_NAME, WIDE_NAME]:
        ids[name] = case.add(name, "--role", "pcp", now="2026-11-01T10:00:00Z")
    case.add("Plain Person", "--role", "specialist", "--specialty", "Cardiology", "--phone", "+1 555 0100",
             "--note", "-call first", now="2026-11-01T10:00:00Z")
    # An overdue inbound referral from the comma name and one out to the wide name.
    ids["r1"] = case.refer("--from", str(ids[COMMA_QUOTE_NAME]), "--patient", "P,1", "--urgency", "urgent",
                           "--date", "2026-11-20T08:00:00Z", now="2026-11-20T08:00:00Z")
    ids["r2"] = case.refer("--to", str(ids[WIDE_NAME]), "--patient", "=P2", "--reason", "line1\nline2",
                           now="2026-11-26T10:00:00Z")
    case.ok("followup", str(ids[ESCAPE_NAME]), "--due", "2026-11-25T10:00:00Z", "--note", "tab\there",
            now="2026-11-24T10:00:00Z")
    case.ok("followup", str(ids[TAB_NAME]), "--via", "email", now="2026-11-26T10:00:00Z")
    case.ok("event", "Fall, CME", "--kind", "cme", "--date", "2026-10-10", "--location", '"Hall" A',
            now="2026-11-26T11:00:00Z")
    case.ok("event", "Quiet", "--kind", "social", "--date", "2026-11-01", now="2026-11-26T11:00:00Z")
    return ids


def tsv_rows(text):
    """Splits tsv on tabs and newlines, then decodes the \\t \\n \\r \\\\ escapes of each field."""
    def decode(field):
        return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(m.group(1),
                                                                                          m.group(0)),
                      field)
    lines = text.split("\n")
    assert lines[-1] == "", "tsv ends with a newline"
    return [[decode(field) for field in line.split("\t")] for line in lines[:-1]]


def display_width(text):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


class OutputCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_tricky)

    def out(self, *args, **kwargs):
        return self.ok(*args, **kwargs).out


class Formats(OutputCase):
    def test_every_listing_parses_in_every_format_with_the_same_rows(self):
        for listing in LISTINGS:
            with self.subTest(listing=listing):
                rows = json.loads(self.out(*listing, "--format", "json"))
                self.assertIsInstance(rows, list)
                self.assertTrue(rows, f"{listing} has rows in this fixture")
                keys = list(rows[0])
                for row in rows:
                    self.assertEqual(list(row), keys, "same keys in the same order in every object")
                    for key in row:
                        self.assertRegex(key, r"^[a-z][a-z0-9_]*$", "snake_case keys")

                records = list(csv.reader(io.StringIO(self.out(*listing, "--format", "csv"), newline="")))
                self.assertEqual(records[0], keys, "csv header = json keys")
                self.assertEqual(len(records) - 1, len(rows))
                for record in records[1:]:
                    self.assertEqual(len(record), len(keys), "same columns every row")

                tsv = tsv_rows(self.out(*listing, "--format", "tsv"))
                self.assertEqual(tsv[0], keys)
                self.assertEqual(len(tsv) - 1, len(rows))
                for record in tsv[1:]:
                    self.assertEqual(len(record), len(keys))

                # csv and tsv carry the same text once the formula guard is accounted for.
                for c, t, j in zip(records[1:], tsv[1:], rows):
                    self.assertEqual(c, t)
                    for key, cell in zip(keys, c):
                        value = j[key]
                        if value is None:
                            self.assertEqual(cell, "")
                        elif isinstance(value, bool):
                            self.assertEqual(cell, "true" if value else "false")
                        elif isinstance(value, (int, float)):
                            self.assertEqual(cell, str(value), "numbers stay numbers")
                        elif isinstance(value, (dict, list)):
                            self.assertEqual(json.loads(cell), value)
                        else:
                            self.assertEqual(cell, ("'" + value) if value[:1] in ("=", "+", "-", "@", "\t", "\r")
                                             else value)

                table = self.out(*listing, "--format", "table")
                self.assertTrue(table.endswith("\n"))
                self.assertNotIn(ESC, table)

    def test_no_header(self):
        for fmt in ("csv", "tsv"):
            with self.subTest(fmt=fmt):
                with_header = self.out("list", "events", "--format", fmt)
                without = self.out("list", "events", "--format", fmt, "--no-header")
                self.assertEqual(without, with_header.split("\n", 1)[1])
                self.assertFalse(without.startswith("id"))

    def test_csv_rfc4180_quoting(self):
        text = self.out("list", "contacts", "--format", "csv")
        self.assertIn('"Lee, Ann ""Annie"""', text)
        self.assertIn('"Two\r\nLines"', text)
        names = [r["name"] for r in self.ok("list", "contacts", "--format", "csv").csv()]
        self.assertIn(COMMA_QUOTE_NAME, names)
        self.assertIn(NEWLINE_NAME, names)
        self.assertIn(TAB_NAME, names)
        self.assertIn(WIDE_NAME, names)
        events = self.ok("list", "events", "--format", "csv").csv()
        self.assertEqual([e["name"] for e in events], ["Fall, CME", "Quiet"])
        self.assertEqual(events[0]["location"], '"Hall" A')

    def test_csv_is_utf8_and_lines_end_in_lf_outside_quotes(self):
        raw = subprocess.run([BIN, "list", "contacts", "--format", "csv"], env=self.env, capture_output=True)
        self.assertEqual(raw.returncode, 0)
        text = raw.stdout.decode("utf-8")  # raises if not UTF-8
        self.assertIn(WIDE_NAME, text)
        self.assertEqual(text.count("\r"), 1, "the only CR is the one inside the quoted name")

    def test_formula_injection_guard_and_numbers_stay_numbers(self):
        for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
            with self.subTest(fmt=fmt):
                rows = self.ok("list", "contacts", "--format", fmt).csv(delimiter=delimiter) if fmt == "csv" \
                    else [dict(zip(tsv_rows(self.out("list", "contacts", "--format", fmt))[0], r))
                          for r in tsv_rows(self.out("list", "contacts", "--format", fmt))[1:]]
                names = [r["name"] for r in rows]
                for name in FORMULA_NAMES:
                    self.assertIn("'" + name, names)
                    self.assertNotIn(name, names)
                plain = next(r for r in rows if r["name"] == "Plain Person")
                self.assertEqual(plain["phone"], "'+1 555 0100")
                self.assertEqual(plain["note"], "'-call first")
                for r in rows:
                    self.assertRegex(r["id"], r"^\d+$", "ids are numbers, never neutralised")
                    self.assertRegex(r["created"], r"^\d{4}-")
        referrals = self.ok("list", "referrals", "--format", "csv").csv()
        self.assertIn("'=P2", [r["patient"] for r in referrals])
        overdue = self.ok("report", "overdue", "--format", "csv").csv()
        self.assertTrue(all(re.fullmatch(r"\d+", r["late_hours"]) for r in overdue))

    def test_json_keeps_text_exact(self):
        rows = self.rows("list", "contacts")
        names = [r["name"] for r in rows]
        for name in [COMMA_QUOTE_NAME, NEWLINE_NAME, TAB_NAME, ESCAPE_NAME, WIDE_NAME, *FORMULA_NAMES]:
            self.assertIn(name, names, "json is data: no apostrophe, no escaping beyond JSON's own")
        self.assertEqual(next(r for r in self.rows("list", "referrals") if r["id"] == self.ids["r2"])["reason"],
                         "line1\nline2")

    def test_json_nulls_numbers_and_iso_utc_times(self):
        contacts = self.rows("list", "contacts")
        plain = next(r for r in contacts if r["name"] == "Plain Person")
        self.assertIsNone(plain["practice"])
        self.assertIsNone(plain["npi"])
        self.assertIsNone(plain["archived"])
        self.assertIsInstance(plain["id"], int)
        referrals = self.rows("list", "referrals")
        for r in referrals:
            self.assertIsInstance(r["id"], int)
            self.assertIsInstance(r["contact_id"], int)
            self.assertIsNone(r["acknowledged"])
            for key in ("referred", "acknowledge_due"):
                self.assertRegex(r[key], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        events = self.rows("list", "events")
        self.assertEqual(events[0]["date"], "2026-10-10")
        self.assertIsNone(events[1]["location"])
        self.assertIsInstance(events[0]["met"], int)

    def test_times_are_utc_in_data_and_local_in_tables(self):
        env = {"TZ": "America/New_York"}
        row = next(r for r in self.rows("list", "referrals", env=env) if r["id"] == self.ids["r1"])
        self.assertEqual(row["referred"], "2026-11-20T08:00:00Z")
        csv_row = next(r for r in self.ok("list", "referrals", "--format", "csv", env=env).csv()
                       if r["id"] == str(self.ids["r1"]))
        self.assertEqual(csv_row["referred"], "2026-11-20T08:00:00Z")
        table = self.out("list", "referrals", env=env)
        self.assertIn("2026-11-20 03:00", table)  # 08:00 UTC is 03:00 in New York (EST)
        self.assertNotIn("2026-11-20 08:00", table)

    def test_empty_listings(self):
        self.assertEqual(self.out("list", "contacts", "--role", "facility", "--format", "json"), "[]\n")
        self.assertEqual(self.out("list", "contacts", "--role", "facility", "--format", "csv").splitlines(),
                         [self.out("list", "contacts", "--format", "csv").splitlines()[0]])
        self.assertEqual(self.out("list", "contacts", "--role", "facility", "--format", "csv", "--no-header"), "")
        self.assertEqual(self.out("list", "contacts", "--role", "facility"), "")

    def test_format_names_are_case_insensitive_and_bad_ones_exit_2(self):
        self.assertEqual(self.out("list", "events", "--format", "JSON"), self.out("list", "events", "--format", "json"))
        result = self.fails(2, "list", "events", "--format", "xml")
        self.assertEqual(result.out, "")

    def test_table_aligns_wide_characters(self):
        table = self.out("list", "contacts")
        lines = [line for line in table.splitlines() if "Role" in line or " pcp" in line or "specialist" in line]
        columns = set()
        for line in lines:
            match = re.search(r"  (Role|pcp|specialist)\b", line)
            columns.add(display_width(line[:match.start(1)]))
        self.assertEqual(len(columns), 1, f"the Role column starts at one display column:\n{table}")


class TerminalSafety(OutputCase):
    def test_stored_escapes_never_reach_table_output_raw(self):
        # A change to the name puts it in the log's "changes" column too.
        self.ok("edit", str(self.ids[ESCAPE_NAME]), "--name", ESCAPE_NAME + " Ltd")
        for args in (("list", "contacts"), ("list", "followups"), ("show", str(self.ids[ESCAPE_NAME])),
                     ("log",), ("report", "overdue")):
            for color in ("never", "always"):
                with self.subTest(args=args, color=color):
                    out = self.out(*args, "--color", color)
                    self.assertNotIn("\x07", out)
                    self.assertNotIn(ESC + "]", out)
                    self.assertNotIn(ESC + "[31m" + "RED", out)
                    self.assertNotIn(ESC + "[2J", out)
                    if args[0] != "report":
                        self.assertRegex(out, r"\\(x1b|u001b)\[31mRED", "shown as a visible escape")

    def test_messages_and_errors_quote_names_safely(self):
        out = self.out("edit", str(self.ids[ESCAPE_NAME]), "--city", "X")
        self.assertNotIn(ESC, out)
        self.assertNotIn("\x07", out)
        added = self.run_refnet("add", "New \x1b[5mblink")
        self.assertEqual(added.code, 0, added)
        self.assertNotIn(ESC, added.out)
        result = self.fails(65, "show", "e")  # ambiguous: lists candidates
        self.assertNotIn(ESC, result.err)
        self.assertNotIn("\x07", result.err)

    def test_newline_in_a_name_does_not_break_table_rows(self):
        table = self.out("list", "contacts")
        self.assertIn("Two\\r\\nLines", table)
        self.assertEqual(len(table.splitlines()), 1 + len(self.rows("list", "contacts")))


def run_on_terminal(args, env):
    """Runs refnet with stdout on a pseudo-terminal; returns (exit status, what it printed)."""
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.Popen([BIN, *args], env=env, stdin=subprocess.DEVNULL, stdout=secondary,
                                stderr=subprocess.PIPE)
        os.close(secondary)
        secondary = None
        chunks = []
        while True:
            ready, _, _ = select.select([primary], [], [], 30)
            if not ready:
                proc.kill()
                raise AssertionError("refnet on a terminal timed out")
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the last writer closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.stderr.read()
        proc.stderr.close()
        return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(primary)
        if secondary is not None:
            os.close(secondary)


class Colour(OutputCase):
    """refnet(1): --color, then output.color when not auto, then NO_COLOR, then CLICOLOR_FORCE, then a
    terminal whose TERM is not dumb."""

    LISTING = ("list", "referrals")  # has an overdue row, so colour shows even past the header

    def setUp(self):
        super().setUp()
        self.env.pop("NO_COLOR", None)
        self.env.pop("CLICOLOR_FORCE", None)
        self.env["TERM"] = "xterm-256color"

    def write_config(self, text):
        path = os.path.join(self.home, ".config", "refnet", "config.toml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def coloured(self, *options, env=None, tty=False):
        if tty:
            environment = dict(self.env)
            for key, value in (env or {}).items():
                if value is None:
                    environment.pop(key, None)
                else:
                    environment[key] = value
            code, out = run_on_terminal([*self.LISTING, *options], environment)
            self.assertEqual(code, 0, out)
        else:
            out = self.out(*self.LISTING, *options, env=env)
        return ESC in out

    def test_a_pipe_gets_no_colour_by_default(self):
        self.assertFalse(self.coloured())
        self.assertFalse(self.coloured("--color", "auto"))
        for listing in LISTINGS:
            self.assertNotIn(ESC, self.out(*listing))

    def test_color_flag_wins(self):
        self.assertTrue(self.coloured("--color", "always"))
        self.assertTrue(self.coloured("--color", "always", env={"NO_COLOR": "1"}))
        self.assertFalse(self.coloured("--color", "never", env={"CLICOLOR_FORCE": "1"}))
        self.assertFalse(self.coloured("--color", "never", tty=True))
        self.write_config('[output]\ncolor = "never"\n')
        self.assertTrue(self.coloured("--color", "always"))
        self.write_config('[output]\ncolor = "always"\n')
        self.assertFalse(self.coloured("--color", "never"))

    def test_config_beats_the_environment(self):
        self.write_config('[output]\ncolor = "always"\n')
        self.assertTrue(self.coloured())
        self.assertTrue(self.coloured(env={"NO_COLOR": "1"}))
        self.assertTrue(self.coloured("--color", "auto", env={"NO_COLOR": "1"}))
        self.write_config('[output]\ncolor = "never"\n')
        self.assertFalse(self.coloured(env={"CLICOLOR_FORCE": "1"}))
        self.assertFalse(self.coloured(tty=True))
        self.write_config('[output]\ncolor = "auto"\n')
        self.assertFalse(self.coloured())
        self.assertTrue(self.coloured(env={"CLICOLOR_FORCE": "1"}))

    def test_no_color_beats_clicolor_force_and_a_terminal(self):
        self.assertFalse(self.coloured(env={"NO_COLOR": "1", "CLICOLOR_FORCE": "1"}))
        self.assertFalse(self.coloured(env={"NO_COLOR": "1"}, tty=True))
        # An empty NO_COLOR is no preference.
        self.assertTrue(self.coloured(env={"NO_COLOR": "", "CLICOLOR_FORCE": "1"}))

    def test_clicolor_force_other_than_0_forces_colour_into_a_pipe(self):
        self.assertTrue(self.coloured(env={"CLICOLOR_FORCE": "1"}))
        self.assertTrue(self.coloured(env={"CLICOLOR_FORCE": "yes"}))
        self.assertFalse(self.coloured(env={"CLICOLOR_FORCE": "0"}))

    def test_a_terminal_gets_colour_unless_term_is_dumb(self):
        self.assertTrue(self.coloured(tty=True))
        self.assertFalse(self.coloured(env={"TERM": "dumb"}, tty=True))
        self.assertFalse(self.coloured(env={"CLICOLOR_FORCE": "0"}, tty=False))

    def test_colour_never_reaches_data_formats(self):
        for fmt in ("csv", "tsv", "json"):
            with self.subTest(fmt=fmt):
                out = self.out(*self.LISTING, "--format", fmt, "--color", "always")
                self.assertNotIn(ESC, out)
                out = self.out(*self.LISTING, "--format", fmt, env={"CLICOLOR_FORCE": "1"})
                self.assertNotIn(ESC, out)

    def test_bad_color_values(self):
        self.fails(2, *self.LISTING, "--color", "sometimes")
        self.write_config('[output]\ncolor = "sometimes"\n')
        self.fails(78, *self.LISTING)


class GlobalOptions(OutputCase):
    def test_format_before_or_after_the_subcommand(self):
        before = self.out("--format", "csv", "list", "contacts")
        between = self.out("list", "--format", "csv", "contacts")
        after = self.out("list", "contacts", "--format", "csv")
        self.assertEqual(before, after)
        self.assertEqual(between, after)
        self.assertTrue(after.startswith("id,name,"))

    def test_other_global_options_after_the_subcommand(self):
        self.assertEqual(self.out("list", "events", "--format", "csv", "--no-header"),
                         self.out("--no-header", "--format", "csv", "list", "events"))
        self.assertIn(ESC, self.out("list", "referrals", "--color", "always"))
        self.assertIn(ESC, self.out("--color", "always", "list", "referrals"))
        other = os.path.join(self.home, "other.db")
        self.ok("--db", other, "init")
        self.assertEqual(self.out("list", "contacts", "--db", other, "--format", "json"), "[]\n")
        self.assertEqual(self.out("--db", other, "list", "contacts", "--format", "json"), "[]\n")
        self.assertEqual(self.out("db", "path", "--db", other), other + "\n")

    def test_format_default_from_config(self):
        path = os.path.join(self.home, ".config", "refnet", "config.toml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write('[output]\nformat = "json"\n')
        self.assertIsInstance(json.loads(self.out("list", "events")), list)
        self.assertTrue(self.out("list", "events", "--format", "csv").startswith("id,"))
        self.assertIn("Fall, CME", self.out("list", "events", "--format", "table"))
        with open(path, "w") as f:
            f.write('[output]\nformat = "tsv"\n')
        self.assertTrue(self.out("list", "events").startswith("id\tname\t"))
        with open(path, "w") as f:
            f.write('[output]\nformat = "yaml"\n')
        self.fails(78, "list", "events")

    def test_mutating_command_with_json_prints_the_record(self):
        record = self.ok("--format", "json", "add", "Json Person", "--role", "pcp").json()
        self.assertIsInstance(record, dict)
        self.assertEqual(record["name"], "Json Person")
        self.assertIsNone(record["npi"])


if __name__ == "__main__":
    unittest.main()
