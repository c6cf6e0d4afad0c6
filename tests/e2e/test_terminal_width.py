"""Tables fit the terminal: free text is cut with an ellipsis to the window's width (the ioctl,
then COLUMNS), ids, dates and numbers never; --wide and output.wide keep the full width; pipes,
files and machine formats are never cut. Run through a real pseudo-terminal."""

import fcntl
import os
import select
import struct
import subprocess
import termios
import unicodedata
import unittest

from refnet_e2e import BIN, RefnetCase

LONG_PRACTICE = "Northside Community Family Medicine and Pediatrics Associates"
LONG_NOTE = "prefers fax; ask for Maria at the front desk before noon on weekdays"


def width(line):
    """Display columns of a line as a terminal counts them (East Asian wide = 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def build(case):
    case.init()
    case.add("Dr. Bartholomew Alexander Montgomery-Smythe", "--role", "pcp",
             "--practice", LONG_PRACTICE, "--note", LONG_NOTE, "--specialty", "family medicine")
    case.add("Dr. 李伟 (Li Wei)", "--role", "specialist", "--specialty", "cardiology",
             "--practice", "心脏中心 Heart Center of the Greater Lakeside Region")
    case.refer("--from", "Montgomery", "--patient", "MRN-1001", "--date", "2026-11-02",
               "--reason", "chest pain on exertion, two episodes in the last week, no syncope")
    case.refer("--to", "Li Wei", "--patient", "MRN-1002", "--date", "2026-11-03")


class TerminalWidth(RefnetCase):
    def setUp(self):
        super().setUp()
        self.seed(build)

    def at_terminal(self, *args, columns=80, env=None):
        """Runs refnet with a pseudo-terminal of `columns` as stdout; returns what it showed."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        environment = dict(self.env, TERM="xterm", **(env or {}))
        proc = subprocess.Popen([BIN, "--color", "never", *args], stdout=slave,
                                stderr=subprocess.PIPE, env=environment)
        os.close(slave)
        shown = b""
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other end closed: refnet exited
                break
            if not chunk:
                break
            shown += chunk
        os.close(master)
        self.assertEqual(proc.wait(timeout=30), 0, proc.stderr.read())
        proc.stderr.close()
        return shown.decode().replace("\r\n", "\n")

    def assertFits(self, text, columns):
        lines = text.splitlines()
        self.assertTrue(lines)
        for line in lines:
            self.assertLessEqual(width(line), columns, f"wider than {columns}: {line!r}")

    def test_tables_fit_80_and_120_columns(self):
        for columns in (80, 120):
            for args in (["list", "contacts"], ["list", "referrals"], ["report", "overdue"],
                         ["report", "reciprocity", "--since", "2026-11-01"], ["log"]):
                with self.subTest(columns=columns, command=" ".join(args)):
                    shown = self.at_terminal(*args, columns=columns)
                    self.assertFits(shown, columns)

    def test_free_text_is_cut_and_ids_and_dates_never_are(self):
        shown = self.at_terminal("list", "referrals", columns=80)
        self.assertIn("\u2026", shown)
        self.assertNotIn("two episodes in the last week, no syncope", shown)
        for whole in ("2026-11-02 00:00", "2026-11-03 00:00", " 1  ", " 2  ", "MRN-1001"):
            self.assertIn(whole, shown)
        contacts = self.at_terminal("list", "contacts", columns=80)
        self.assertNotIn(LONG_PRACTICE, contacts)
        self.assertRegex(contacts, r"(?m)^ 1  Dr\. Bar.*\u2026")

    def test_wide_and_output_wide_keep_the_full_width(self):
        for how in (["--wide"], None):
            with self.subTest(how="--wide" if how else "output.wide"):
                if how is None:
                    self.write_config("[output]\nwide = true\n")
                shown = self.at_terminal(*(how or []), "list", "contacts", columns=80)
                self.assertIn(LONG_PRACTICE, shown)
                self.assertNotIn("\u2026", shown)
                self.assertTrue(any(width(l) > 80 for l in shown.splitlines()))

    def test_columns_is_used_when_the_terminal_gives_no_size(self):
        shown = self.at_terminal("list", "contacts", columns=0, env={"COLUMNS": "70"})
        self.assertFits(shown, 70)
        self.assertIn("\u2026", shown)

    def test_pipes_files_and_machine_formats_are_never_cut(self):
        piped = self.ok("list", "contacts", env={"COLUMNS": "40"}).out
        self.assertIn(LONG_PRACTICE, piped)
        target = os.path.join(self.home, "contacts.txt")
        self.at_terminal("list", "contacts", "-o", target, columns=40)
        with open(target, encoding="utf-8") as f:
            self.assertIn(LONG_PRACTICE, f.read())
        for fmt in ("csv", "tsv", "json"):
            with self.subTest(format=fmt):
                self.assertIn(LONG_PRACTICE, self.at_terminal("list", "contacts", "--format", fmt,
                                                              columns=40))

    def test_without_utf8_the_ellipsis_is_three_dots(self):
        shown = self.at_terminal("list", "referrals", columns=80, env={"LANG": "C", "LC_ALL": "C"})
        self.assertNotIn("\u2026", shown)
        self.assertIn("...", shown)
        self.assertFits(shown, 80)


if __name__ == "__main__":
    unittest.main()
