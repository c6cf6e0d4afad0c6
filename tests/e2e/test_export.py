"""export: every stored field out in csv/tsv/json, contacts as vCard, planned follow-ups as
iCalendar, patient references redacted; and the exact round trip export → import → export."""

import csv
import io
import json
import os
import re
import stat
import shutil
import subprocess
import sys
import unittest

from refnet_e2e import BIN, RefnetCase

ENTITIES = ["events", "contacts", "referrals", "touchpoints"]  # the order an import needs

CONTACT_KEYS = ["id", "name", "role", "specialty", "practice", "npi", "phone", "fax", "email", "city",
                "source", "event_id", "event", "met_at", "tags", "note", "created", "archived",
                "merged_into"]
REFERRAL_KEYS = ["id", "direction", "contact_id", "contact", "contact_npi", "patient", "reason",
                 "urgency", "status", "referred", "acknowledge_due", "acknowledged", "scheduled",
                 "appointment",
                 "seen", "closed", "declined", "cancelled", "no_show", "report_due",
                 "decline_reason", "note", "created"]
TOUCHPOINT_KEYS = ["id", "contact_id", "contact", "contact_npi", "referral_id", "state", "via",
                   "due", "done_at", "satisfied_by", "dismissed_at", "origin", "note", "created"]
EVENT_KEYS = ["id", "name", "kind", "date", "location", "note", "created", "met"]


def build_network(case):
    """A network that exercises every field: quotes, commas, line breaks, a formula-looking
    phone, Unicode, tags, an event, an archived duplicate merged into its keeper, referrals in
    several states, touchpoints logged, planned, satisfied and dismissed."""
    case.init()
    case.ok("event", "Fall CME, Boston", "--kind", "cme", "--date", "2026-10-10",
            "--location", "Hynes \"Hall\" B", now="2026-10-10T18:00:00Z")
    ids = {}
    ids["ann"] = case.add("Dr. Ann Lee", "--role", "pcp", "--specialty", "Family medicine",
                          "--practice", "Elm Street, Family Medicine", "--npi", "1234567893",
                          "--phone", "+1 555 0100", "--email", "ann@example.org",
                          "--city", "Zürich", "--source", "cme", "--event", "Fall CME, Boston",
                          "--tag", "diabetes", "--tag", "vip",
                          "--note", "likes \"early\" calls\nsecond line; semicolon",
                          now="2026-10-11T09:00:00Z")
    ids["bob"] = case.add("Bob Stone", "--role", "specialist", "--specialty", "Cardiology",
                          "--practice", "Heart Group", "--source", "linkedin", "--city", "'=Springfield",
                          "--note", "=1+1 is not a formula", now="2026-10-12T09:00:00Z")
    ids["dup"] = case.add("Ann Lee", "--role", "pcp", "--source", "sermo",
                          now="2026-10-13T09:00:00Z")
    case.ok("merge", str(ids["ann"]), str(ids["dup"]), now="2026-10-14T09:00:00Z")
    ids["cara"] = case.add("Cara Díaz 😀", "--role", "allied", "--source", "doximity",
                           now="2026-10-15T09:00:00Z")
    case.ok("event", "Heart Congress", "--kind", "conference", "--date", "2026-11-15",
            "--met", "Bob Stone", "--met", str(ids["ann"]), now="2026-11-15T18:00:00Z")

    ids["r1"] = case.refer("--from", str(ids["ann"]), "--patient", "MRN-1001", "--reason",
                           "chest pain, \"atypical\"", "--urgency", "urgent",
                           "--date", "2026-11-01T10:00:00Z", now="2026-11-01T10:00:00Z")
    case.ok("ack", str(ids["r1"]), now="2026-11-01T12:00:00Z")
    case.ok("status", str(ids["r1"]), "seen", "--note", "seen, stable", now="2026-11-03T12:00:00Z")
    case.ok("status", str(ids["r1"]), "closed", now="2026-11-05T12:00:00Z")
    ids["r2"] = case.refer("--to", "Bob Stone", "--patient", "JS", "--date", "2026-11-10T10:00:00Z",
                           now="2026-11-10T10:00:00Z")
    case.ok("status", str(ids["r2"]), "declined", "--reason", "no capacity",
            now="2026-11-11T10:00:00Z")
    ids["r3"] = case.refer("--to", "Bob Stone", "--patient", "MRN-1001", "--urgency", "emergent",
                           "--date", "2026-11-20T08:00:00Z", now="2026-11-20T08:00:00Z")
    case.ok("status", str(ids["r3"]), "scheduled", now="2026-11-21T08:00:00Z")

    case.ok("followup", "Bob Stone", "--via", "email", "--note", "sent, the leaflet",
            "--date", "2026-11-25T15:00:00Z", now="2026-11-25T15:00:00Z")
    case.ok("followup", "Cara", "--due", "2026-12-02T09:00:00Z", "--via", "video",
            "--note", "catch up; long note " + "x" * 90, now="2026-11-26T09:00:00Z")
    planned = case.ok("--format", "json", "followup", "Cara", "--due", "2026-12-10", "--via", "letter",
                      now="2026-11-26T09:00:00Z").json()
    case.ok("followup", "dismiss", str(planned["id"]), now="2026-11-26T10:00:00Z")
    return ids


class ExportCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_network)

    def export(self, entity, *args, env=None):
        return self.ok("export", entity, *args, env=env).out


class ExportRows(ExportCase):
    def test_csv_has_every_field_of_every_row(self):
        for entity, keys in [("contacts", CONTACT_KEYS), ("referrals", REFERRAL_KEYS),
                             ("touchpoints", TOUCHPOINT_KEYS), ("events", EVENT_KEYS)]:
            text = self.export(entity)
            reader = csv.DictReader(io.StringIO(text, newline=""))
            rows = list(reader)
            self.assertEqual(reader.fieldnames, keys, entity)
            self.assertTrue(rows, entity)
        contacts = list(csv.DictReader(io.StringIO(self.export("contacts"), newline="")))
        self.assertEqual(len(contacts), 4)  # the archived duplicate too
        ann = next(r for r in contacts if r["id"] == str(self.ids["ann"]))
        self.assertEqual(ann["phone"], "'+1 555 0100")  # the spreadsheet formula guard
        self.assertEqual(ann["tags"], "diabetes,vip")
        self.assertEqual(ann["note"], "likes \"early\" calls\nsecond line; semicolon")
        self.assertEqual(ann["city"], "Zürich")
        self.assertEqual(ann["met_at"], "1,2")
        self.assertEqual(ann["event"], "Fall CME, Boston")
        dup = next(r for r in contacts if r["id"] == str(self.ids["dup"]))
        self.assertEqual(dup["merged_into"], str(self.ids["ann"]))
        self.assertEqual(dup["archived"], "2026-10-14T09:00:00Z")

    def test_json_keeps_nulls_and_types(self):
        rows = json.loads(self.export("referrals", env=None) if False else
                          self.ok("--format", "json", "export", "referrals").out)
        self.assertEqual(list(rows[0].keys()), REFERRAL_KEYS)
        r2 = next(r for r in rows if r["id"] == self.ids["r2"])
        self.assertEqual(r2["status"], "declined")
        self.assertEqual(r2["decline_reason"], "no capacity")
        self.assertIsNone(r2["acknowledged"])
        self.assertIsInstance(r2["contact_id"], int)

    def test_tsv_escapes(self):
        text = self.ok("--format", "tsv", "export", "contacts").out
        lines = text.split("\n")
        self.assertEqual(lines[0].split("\t"), CONTACT_KEYS)
        self.assertIn("likes \"early\" calls\\nsecond line; semicolon", text)

    def test_export_streams_and_changes_nothing(self):
        before = self.dump()
        self.export("contacts")
        self.export("referrals")
        self.assertEqual(self.dump(), before)

    def test_default_format_is_csv_and_table_can_be_asked_for(self):
        self.assertTrue(self.export("events").startswith("id,name,kind,date"))
        table = self.ok("--format", "table", "export", "events").out
        self.assertIn("Fall CME, Boston", table)

    def test_followups_is_an_alias_of_touchpoints(self):
        self.assertEqual(self.export("followups"), self.export("touchpoints"))


class OutputFile(ExportCase):
    """export -o FILE: the same bytes as standard output, in a file created 0600 whatever the
    umask, replaced whole or not at all."""

    def run_with_umask(self, umask, *args):
        proc = subprocess.run([BIN, *args], env=self.env, capture_output=True, timeout=60,
                              preexec_fn=lambda: os.umask(umask))
        return proc

    def folder(self, name="out"):
        path = os.path.join(self.home, name)
        os.makedirs(path, exist_ok=True)
        return path

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def test_same_bytes_as_stdout_in_every_format_and_nothing_printed(self):
        folder = self.folder()
        cases = [("contacts", "csv"), ("referrals", "tsv"), ("touchpoints", "json"),
                 ("events", "table"), ("contacts", "vcf"), ("touchpoints", "ics")]
        for entity, fmt in cases:
            with self.subTest(entity=entity, format=fmt):
                path = os.path.join(folder, f"{entity}.{fmt}")
                stdout = self.run_refnet("export", entity, "--format", fmt)
                written = self.run_refnet("export", entity, "--format", fmt, "-o", path)
                self.assertEqual((written.code, written.out, written.err), (0, "", ""))
                self.assertEqual(self.read(path), stdout.out.encode("utf-8", "surrogateescape"))
        long_form = os.path.join(folder, "x")
        self.ok("export", "referrals", "--format", "tsv", "--output=" + long_form)
        self.assertEqual(self.read(long_form), self.read(os.path.join(folder, "referrals.tsv")))
        self.assertEqual(sorted(os.listdir(folder)),
                         sorted([f"{e}.{f}" for e, f in cases] + ["x"]), "no temporary file is left")

    def test_private_whatever_the_umask(self):
        for umask in (0o022, 0o000):
            with self.subTest(umask=f"{umask:03o}"):
                path = os.path.join(self.folder(f"umask{umask:03o}"), "referrals.csv")
                proc = self.run_with_umask(umask, "export", "referrals", "--redact", "-o", path)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)

    def test_an_existing_file_is_replaced_whole_and_made_private(self):
        path = os.path.join(self.folder(), "contacts.csv")
        with open(path, "w") as f:
            f.write("old content, much longer than any export could be\n" * 1000)
        os.chmod(path, 0o644)
        self.ok("export", "contacts", "-o", path)
        self.assertEqual(self.read(path), self.export("contacts").encode("utf-8"))
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)

    def test_a_failed_export_keeps_the_old_file_and_leaves_nothing(self):
        folder = self.folder()
        path = os.path.join(folder, "contacts.vcf")
        with open(path, "w") as f:
            f.write("precious")
        self.fails(2, "export", "contacts", "--format", "vcf", "--vcard", "2.1", "-o", path)
        self.fails(2, "export", "referrals", "--format", "vcf", "-o", path)
        self.assertEqual(self.read(path), b"precious")
        self.assertEqual(os.listdir(folder), ["contacts.vcf"])

    def test_a_file_that_cannot_be_created_is_exit_73(self):
        missing = os.path.join(self.home, "no", "such", "folder", "contacts.csv")
        result = self.fails(73, "export", "contacts", "-o", missing)
        self.assertIn(missing, result.err)
        self.assertFalse(os.path.exists(os.path.join(self.home, "no")))
        folder = self.folder()
        result = self.fails(73, "export", "contacts", "-o", folder)
        self.assertEqual(os.listdir(folder), [])
        if os.geteuid() != 0:  # root writes into a read-only folder anyway
            os.chmod(folder, 0o500)
            self.addCleanup(os.chmod, folder, 0o700)
            self.fails(73, "export", "contacts", "-o", os.path.join(folder, "c.csv"))

    def test_the_database_is_never_the_output(self):
        before = self.dump()
        for target in (self.db, self.db + "-wal"):
            with self.subTest(target=target):
                if not os.path.exists(target):
                    continue
                result = self.fails(73, "export", "contacts", "-o", target)
                self.assertIn("the database itself", result.err)
        self.assertEqual(self.dump(), before)
        self.assertTrue(all(r["ok"] for r in self.rows("db", "check")))

    def test_a_missing_database_creates_no_file(self):
        path = os.path.join(self.folder(), "contacts.csv")
        self.fails(66, "--db", os.path.join(self.home, "none.db"), "export", "contacts", "-o", path)
        self.assertFalse(os.path.exists(path))

    def test_a_tilde_is_the_home_folder(self):
        self.ok("export", "events", "-o", "~/events.csv")
        self.assertEqual(self.read(os.path.join(self.home, "events.csv")),
                         self.export("events").encode("utf-8"))


class RoundTrip(ExportCase):
    def other(self, name):
        path = os.path.join(self.home, name, "refnet.db")
        env = {"REFNET_DB": path}
        self.ok("init", env=env)
        return env

    def round_trip(self, fmt):
        exported = {e: self.ok("--format", fmt, "export", e).out for e in ENTITIES}
        env = self.other("copy-" + fmt)
        for entity in ENTITIES:
            path = os.path.join(self.home, f"{entity}.{fmt}")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(exported[entity])
            self.ok("import", entity, path, env=env)
        for entity in ENTITIES:
            again = self.ok("--format", fmt, "export", entity, env=env).out
            self.assertEqual(again, exported[entity], f"{fmt} {entity} changed in the round trip")

    def test_csv_round_trip_is_byte_identical(self):
        self.round_trip("csv")

    def test_json_round_trip_is_byte_identical(self):
        self.round_trip("json")

    def test_tsv_round_trip_is_byte_identical(self):
        self.round_trip("tsv")


class Vcard(ExportCase):
    def parse(self, text):
        code = ("import sys, json, vobject\n"
                "cards = []\n"
                "for c in vobject.readComponents(sys.stdin.read()):\n"
                "    d = {'fn': c.fn.value, 'version': c.version.value}\n"
                "    for key in ('org', 'title', 'tel', 'email', 'note', 'x_npi', 'categories', 'adr', 'n'):\n"
                "        if hasattr(c, key):\n"
                "            v = getattr(c, key).value\n"
                "            d[key] = v if isinstance(v, (str, list)) else str(v)\n"
                "    if hasattr(c, 'adr'): d['city'] = c.adr.value.city\n"
                "    if hasattr(c, 'n'): d['family'] = c.n.value.family; d['given'] = c.n.value.given\n"
                "    cards.append(d)\n"
                "print(json.dumps(cards))\n")
        proc = subprocess.run(["/usr/bin/python3", "-c", code], input=text, capture_output=True,
                              text=True, check=True)
        return json.loads(proc.stdout)

    def check_cards(self, text, version):
        self.assertTrue(text.startswith("BEGIN:VCARD\r\nVERSION:" + version + "\r\n"))
        for line in text.encode("utf-8").split(b"\r\n"):
            self.assertLessEqual(len(line), 75)
            self.assertNotIn(b"\n", line)
            line.decode("utf-8")  # a fold never splits a character
        cards = self.parse(text)
        self.assertEqual(len(cards), 3)  # active contacts only
        ann = next(c for c in cards if c["fn"] == "Dr. Ann Lee")
        self.assertEqual(ann["version"], version)
        self.assertEqual(ann["x_npi"], "1234567893")
        self.assertEqual(ann["note"], "likes \"early\" calls\nsecond line; semicolon")
        self.assertEqual(ann["city"], "Zürich")
        self.assertEqual(ann["family"], "Lee")
        self.assertEqual(ann["email"], "ann@example.org")
        self.assertEqual(ann["tel"], "+1 555 0100")
        self.assertEqual(ann["categories"], ["diabetes", "vip"])
        self.assertIn("Elm Street, Family Medicine", str(ann["org"]))
        self.assertTrue(any(c["fn"] == "Cara Díaz 😀" for c in cards))

    def test_vcard_4_is_read_by_vobject(self):
        self.check_cards(self.ok("export", "contacts", "--format", "vcf").out, "4.0")

    def test_vcard_3_is_read_by_vobject(self):
        self.check_cards(self.ok("export", "contacts", "--format", "vcf", "--vcard", "3.0").out, "3.0")

    def test_vcard_comes_back_in_through_import(self):
        text = self.ok("export", "contacts", "--format", "vcf").out
        path = os.path.join(self.home, "book.vcf")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        env = {"REFNET_DB": os.path.join(self.home, "other", "refnet.db")}
        self.ok("init", env=env)
        self.ok("import", "contacts", path, env=env)
        rows = json.loads(self.ok("--format", "json", "list", "contacts", env=env).out)
        ann = next(r for r in rows if r["name"] == "Dr. Ann Lee")
        self.assertEqual(ann["npi"], "1234567893")
        self.assertEqual(ann["role"], "pcp")
        self.assertEqual(ann["practice"], "Elm Street, Family Medicine")
        self.assertEqual(ann["tags"], "diabetes,vip")
        self.assertEqual(ann["city"], "Zürich")
        self.assertEqual(ann["note"], "likes \"early\" calls\nsecond line; semicolon")

    def test_bad_vcard_version_is_a_usage_error(self):
        self.fails(2, "export", "contacts", "--format", "vcf", "--vcard", "2.1")

    def test_vcf_is_for_contacts_only(self):
        self.fails(2, "export", "referrals", "--format", "vcf")


class Calendar(ExportCase):
    def parse(self, text, component="VEVENT"):
        code = ("import sys, json, icalendar\n"
                "cal = icalendar.Calendar.from_ical(sys.stdin.read())\n"
                "out = []\n"
                f"for e in cal.walk('{component}'):\n"
                "    start = e.decoded('DTSTART' if 'DTSTART' in e else 'DUE')\n"
                "    end = e.decoded('DTEND').isoformat() if 'DTEND' in e else None\n"
                "    out.append({'uid': str(e['UID']), 'start': start.isoformat(),\n"
                "                'all_day': not hasattr(start, 'hour'), 'end': end,\n"
                "                'stamp': e.decoded('DTSTAMP').isoformat(),\n"
                "                'status': str(e.get('STATUS', '')), 'sequence': int(e['SEQUENCE']),\n"
                "                'completed': e.decoded('COMPLETED').isoformat() if 'COMPLETED' in e else None,\n"
                "                'summary': str(e['SUMMARY']), 'description': str(e.get('DESCRIPTION', ''))})\n"
                "print(json.dumps(out))\n")
        proc = subprocess.run(["/usr/bin/python3", "-c", code], input=text, capture_output=True,
                              text=True, check=True)
        return json.loads(proc.stdout)

    def test_open_planned_followups_are_events_read_by_icalendar(self):
        text = self.ok("export", "touchpoints", "--format", "ics").out
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        self.assertTrue(text.endswith("END:VCALENDAR\r\n"))
        for line in text.encode("utf-8").split(b"\r\n"):
            self.assertLessEqual(len(line), 75)
        events = [e for e in self.parse(text) if e["status"] != "CANCELLED"]
        planned = [t for t in json.loads(self.ok("--format", "json", "export", "touchpoints").out)
                   if t["state"] == "planned"]
        self.assertEqual(len(events), len(planned))
        video = next(e for e in events if e["summary"].startswith("Video call with Cara"))
        self.assertEqual(video["start"], "2026-12-02T09:00:00+00:00")
        self.assertEqual(video["stamp"], "2026-11-27T09:00:00+00:00")
        self.assertIn("catch up; long note " + "x" * 90, video["description"])
        self.assertRegex(video["uid"], r"^followup-\d+@[0-9a-f]{16}\.refnet$")

    def test_uids_are_stable_across_exports(self):
        first = self.parse(self.ok("export", "followups", "--format", "ics").out)
        second = self.parse(self.ok("export", "followups", "--format", "ics",
                                    now="2026-11-28T10:00:00Z").out)
        self.assertEqual([e["uid"] for e in first], [e["uid"] for e in second])

    def test_ics_is_for_followups_only(self):
        self.fails(2, "export", "contacts", "--format", "ics")
        self.refused(2, "export", "touchpoints", "--ics", "todo", says="--ics goes with --format ics")
        self.refused(2, "export", "touchpoints", "--format", "ics", "--ics", "journal")


class CalendarLife(RefnetCase):
    """What a calendar that imports the export again and again sees: days as days, and closed
    follow-ups cancelled (or completed) for export.ics_keep_closed, then gone."""

    def setUp(self):
        super().setUp()
        self.init()
        self.add("Ann Lee", "--role", "pcp")
        self.day = self.ok("--format", "json", "followup", "ann", "--due", "friday").json()["id"]
        self.timed = self.ok("--format", "json", "followup", "ann", "--due", "tomorrow 9am",
                             "--via", "email").json()["id"]
        self.later = self.ok("--format", "json", "followup", "ann", "--due", "in 3 days",
                             "--via", "visit").json()["id"]

    parse = Calendar.parse

    def by_id(self, items):
        return {int(re.match(r"followup-(\d+)@", e["uid"]).group(1)): e for e in items}

    def test_a_day_is_an_all_day_event_and_a_time_stays_timed(self):
        events = self.by_id(self.parse(self.ok("export", "touchpoints", "--format", "ics").out))
        self.assertEqual((events[self.day]["all_day"], events[self.day]["start"],
                          events[self.day]["end"]), (True, "2026-12-04", "2026-12-05"))
        self.assertEqual((events[self.timed]["all_day"], events[self.timed]["start"]),
                         (False, "2026-11-28T09:00:00+00:00"))
        # In New York a day planned there is that local day, whatever its UTC instant.
        ny = {"TZ": "America/New_York"}
        planned = self.ok("--format", "json", "followup", "ann", "--due", "2026-12-10",
                          env=ny).json()
        self.assertEqual(planned["due"], "2026-12-11T04:59:59Z")
        events = self.by_id(self.parse(self.ok("export", "touchpoints", "--format", "ics",
                                               env=ny).out))
        self.assertEqual((events[planned["id"]]["all_day"], events[planned["id"]]["start"]),
                         (True, "2026-12-10"))

    def test_closed_followups_are_cancelled_for_a_while_then_gone(self):
        self.ok("followup", "dismiss", str(self.timed))
        self.ok("followup", "done", str(self.later))
        events = self.by_id(self.parse(self.ok("export", "touchpoints", "--format", "ics").out))
        # Done and dismissed: cancelled with a higher SEQUENCE, so a calendar drops them. Marking
        # one done also satisfies the other open plan of the contact.
        self.assertEqual({i: (e["status"], e["sequence"]) for i, e in events.items()},
                         {self.day: ("CANCELLED", 1), self.timed: ("CANCELLED", 1),
                          self.later: ("CANCELLED", 1)})
        later = self.parse(self.ok("export", "touchpoints", "--format", "ics",
                                   now="2026-12-28T09:00:00Z").out)
        self.assertEqual(later, [], "closed 31 days ago: out of the export")
        self.write_config('[export]\nics_keep_closed = "60d"\n')
        kept = self.parse(self.ok("export", "touchpoints", "--format", "ics",
                                  now="2026-12-28T09:00:00Z").out)
        self.assertEqual(len(kept), 3)

    def test_todo_for_task_apps(self):
        self.ok("followup", "dismiss", str(self.timed))
        todos = self.by_id(self.parse(self.ok("export", "touchpoints", "--format", "ics",
                                              "--ics", "todo").out, "VTODO"))
        self.assertEqual((todos[self.day]["status"], todos[self.day]["all_day"],
                          todos[self.day]["start"]), ("NEEDS-ACTION", True, "2026-12-04"))
        self.assertEqual(todos[self.timed]["status"], "CANCELLED")
        self.ok("followup", "done", str(self.later), now="2026-11-28T10:00:00Z")
        todos = self.by_id(self.parse(self.ok("export", "touchpoints", "--format", "ics",
                                              "--ics", "todo", now="2026-11-28T11:00:00Z").out,
                                      "VTODO"))
        self.assertEqual((todos[self.later]["status"], todos[self.later]["completed"]),
                         ("COMPLETED", "2026-11-28T10:00:00+00:00"))
        self.assertEqual(self.parse(self.ok("export", "touchpoints", "--format", "ics",
                                            "--ics", "todo").out, "VEVENT"), [])

    def test_appointments_are_events_without_the_patient(self):
        referral = self.ok("--format", "json", "refer", "--from", "ann", "--patient",
                           "MRN-4242").json()["id"]
        self.ok("status", str(referral), "scheduled", "--date", "tuesday 10:30")
        text = self.ok("export", "touchpoints", "--format", "ics").out
        self.assertNotIn("MRN-4242", text)
        events = {e["uid"].split("@")[0]: e for e in self.parse(text)}
        visit = events[f"appointment-{referral}"]
        self.assertEqual((visit["start"], visit["status"], visit["sequence"], visit["summary"]),
                         ("2026-12-01T10:30:00+00:00", "", 0,
                          f"Appointment: referral #{referral} from Ann Lee"))
        self.ok("status", str(referral), "cancelled")
        events = {e["uid"].split("@")[0]: e for e in self.parse(
            self.ok("export", "touchpoints", "--format", "ics").out)}
        self.assertEqual((events[f"appointment-{referral}"]["status"],
                          events[f"appointment-{referral}"]["sequence"]), ("CANCELLED", 1))

    @unittest.skipUnless(shutil.which("khal"), "needs khal")
    def test_khal_imports_it_and_sees_a_dismissed_followup_cancelled(self):
        config = os.path.join(self.home, "khal", "config")
        calendar = os.path.join(self.home, "khal", "calendar")
        os.makedirs(calendar)
        with open(config, "w") as f:
            f.write(f"[calendars]\n[[refnet]]\npath = {calendar}\ntype = calendar\n"
                    "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
                    "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
                    "longdatetimeformat = %Y-%m-%d %H:%M\nlocal_timezone = UTC\n"
                    "default_timezone = UTC\n[default]\ndefault_calendar = refnet\n")
        env = dict(self.env, XDG_DATA_HOME=os.path.join(self.home, "khal", "data"))

        def khal(*args):
            proc = subprocess.run(["khal", "-c", config, *args], env=env, capture_output=True,
                                  text=True, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            return proc.stdout

        def import_export():
            target = os.path.join(self.home, "followups.ics")
            self.ok("export", "touchpoints", "--format", "ics", "-o", target)
            khal("import", "--batch", "-a", "refnet", target)

        import_export()
        listed = khal("list", "--format", "{start} {cancelled}{title}", "2026-11-27", "10d")
        self.assertIn("2026-11-28 09:00 Email Ann Lee", listed)
        self.assertIn("2026-12-04 Call Ann Lee", listed)  # a day, no time
        self.ok("followup", "dismiss", str(self.timed))
        import_export()
        listed = khal("list", "--format", "{start} {cancelled}{title}", "2026-11-27", "10d")
        self.assertIn("2026-11-28 09:00 CANCELLED Email Ann Lee", listed)
        self.assertIn("2026-12-04 Call Ann Lee", listed)


class Redaction(ExportCase):
    def patients(self, env=None):
        rows = json.loads(self.ok("--format", "json", "export", "referrals", "--redact", env=env).out)
        return {r["id"]: r["patient"] for r in rows}

    def test_patients_become_stable_pseudonyms(self):
        first = self.patients()
        self.assertEqual(first, self.patients())
        for value in first.values():
            self.assertRegex(value, r"^P-[0-9a-f]{12}$")
        # The same reference gives the same pseudonym; a different one a different pseudonym.
        self.assertEqual(first[self.ids["r1"]], first[self.ids["r3"]])
        self.assertNotEqual(first[self.ids["r1"]], first[self.ids["r2"]])
        text = self.ok("export", "referrals", "--redact").out
        self.assertNotIn("MRN-1001", text)
        self.assertNotIn(",JS,", text)

    def test_other_fields_are_unchanged(self):
        plain = json.loads(self.ok("--format", "json", "export", "referrals").out)
        redacted = json.loads(self.ok("--format", "json", "export", "referrals", "--redact").out)
        for a, b in zip(plain, redacted):
            a.pop("patient")
            b.pop("patient")
            self.assertEqual(a, b)

    def test_another_database_gives_other_pseudonyms(self):
        env = {"REFNET_DB": os.path.join(self.home, "other", "refnet.db")}
        self.ok("init", env=env)
        self.ok("add", "Ann Lee", env=env)
        self.ok("refer", "--from", "Ann Lee", "--patient", "MRN-1001", env=env)
        other = list(self.patients(env=env).values())[0]
        self.assertNotEqual(other, self.patients()[self.ids["r1"]])

    def test_the_key_is_made_at_init_and_kept(self):
        rows = self.query("SELECT purpose, length(value) FROM secret")
        self.assertEqual(rows, [("redaction", 32)])


class FormatsElsewhere(ExportCase):
    def test_other_commands_refuse_vcf_and_ics_before_changing_anything(self):
        for fmt in ("vcf", "ics"):
            self.refused(2, "--format", fmt, "add", "Zed", says=f"--format {fmt} is only for refnet export")
            self.refused(2, "list", "contacts", "--format", fmt)


if __name__ == "__main__":
    unittest.main()
