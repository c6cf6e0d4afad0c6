"""Every report against reference.py, an oracle written from the documentation alone.

One demo network (a few thousand referrals over 18 months, in New York time, with holidays and
report settings in the config, and a few changes made at past moments: contacts left to lose touch
across each daylight saving change, archives (one of a contact losing touch), merges, an event of a
contact's own dated after some as-of moments, an outcome recorded late, a follow-up planned for a
named day, a loop "closed" before its referral was made) is exported once as JSON; then every report, at several as-of moments (now, mid-history, just after each daylight
saving change) and over several periods (none, an empty one, one day, edges equal to referral
times, a lone --since, a lone --until, a long one, across each daylight saving change), is run with
--format json and compared with what reference.py works out from the exports. A difference prints
the rows that differ, refnet's and the reference's side by side."""

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import reference
from refnet_e2e import BIN, NOW, RefnetCase

TZ = "America/New_York"

CONFIG = """\
[practice]
name = "Lakeside Referral Clinic"

[sla]
keep_in_touch = "13w"

[calendar]
holidays = ["2025-07-04", "2025-11-27", "2025-12-25", "2026-01-01", 2026-05-25, "2026-07-03",
            "2026-09-07", "2026-11-26"]

[report]
at_risk_recent = "60d"
at_risk_baseline = "300d"
at_risk_high_drop = 55
at_risk_medium_drop = 25
at_risk_min_baseline = 4
"""

SETTINGS = reference.Config(
    holidays=["2025-07-04", "2025-11-27", "2025-12-25", "2026-01-01", "2026-05-25", "2026-07-03",
              "2026-09-07", "2026-11-26"],
    keep_in_touch="13w", practice_name="Lakeside Referral Clinic", at_risk_recent="60d",
    at_risk_baseline="300d", at_risk_high_drop=55, at_risk_medium_drop=25, at_risk_min_baseline=4)

# As-of moments: now (no --as-of: REFNET_NOW), a named day mid-history (its end), 30 minutes after
# clocks went forward (03:30 EDT, 2026-03-08), and 30 minutes after they went back (the second
# 01:30, EST, 2025-11-02).
AS_OF = {
    "now": None,
    "mid-history": "2026-02-20",
    "after-spring-forward": "2026-03-08T07:30:00Z",
    "after-fall-back": "2025-11-02T06:30:00Z",
}

# How each report's rows are told apart, to show differing rows side by side.
KEYS = {
    "summary": lambda r: (r["section"], r["metric"]),
    "overdue": lambda r: (r["kind"], r["contact_id"], r["referral_id"], r["followup_id"]),
    "reciprocity": lambda r: r["contact_id"],
    "sources": lambda r: (r["by"], r["name"]),
    "trend": lambda r: r["period"],
    "at-risk": lambda r: r["contact_id"],
    "closed-loop": lambda r: (r["scope"], r["direction"], r["contact_id"]),
    "turnaround": lambda r: (r["direction"], r["urgency"], r["step"]),
    "network": lambda r: (r["direction"], r["source_id"], r["target_id"]),
}

# The binary is rebuilt by others while this runs: a missing, busy or half-written file is waited
# for rather than failed on.
RETRY_ERRNOS = {errno.ETXTBSY, errno.ENOENT, errno.EACCES, errno.ENOEXEC}


def with_retries(run):
    deadline = time.monotonic() + 120
    while True:
        try:
            return run()
        except OSError as e:
            if e.errno not in RETRY_ERRNOS or time.monotonic() > deadline:
                raise
            time.sleep(1)


def utc(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Reference(RefnetCase):
    now = NOW

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = tempfile.mkdtemp(prefix="refnet-reference-")
        cls.addClassCleanup(shutil.rmtree, cls.folder, True)
        cls.network_db = os.path.join(cls.folder, "refnet.db")
        cls.config_path = os.path.join(cls.folder, "config.toml")
        with open(cls.config_path, "w", encoding="utf-8") as f:
            f.write(CONFIG)
        os.chmod(cls.config_path, 0o600)
        sanitizer = os.path.join(cls.folder, "sanitizer")
        os.mkdir(sanitizer)
        cls.class_env = {"HOME": cls.folder, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                         "LANG": "C.UTF-8", "TZ": TZ, "REFNET_NOW": NOW}
        for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"):
            options = os.environ.get(name)
            log = f"log_path={os.path.join(sanitizer, 'report')}"
            cls.class_env[name] = f"{options}:{log}" if options else log
        cls.build()
        reports = [open(os.path.join(sanitizer, n), errors="replace").read()
                   for n in sorted(os.listdir(sanitizer))]
        if reports:
            raise AssertionError("a sanitizer reported while the network was built:\n"
                                 + "\n".join(reports))

    @classmethod
    def refnet(cls, *args, now=NOW):
        env = dict(cls.class_env, REFNET_NOW=now)
        proc = with_retries(lambda: subprocess.run(
            [BIN, "--db", cls.network_db, "--config", cls.config_path, *args], env=env,
            capture_output=True, text=True, timeout=120))
        if proc.returncode != 0:
            raise AssertionError(f"refnet {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
        return proc.stdout

    @classmethod
    def build(cls):
        cls.refnet("demo", "--contacts", "150", "--referrals", "3000", "--seed", "7")
        referrals = json.loads(cls.refnet("export", "referrals", "--format", "json"))
        inbound = {}
        for r in referrals:
            if r["direction"] == "in":
                inbound[r["contact_id"]] = inbound.get(r["contact_id"], 0) + 1
        ranked = sorted(inbound, key=lambda c: (-inbound[c], c))
        # The third busiest referrer retires in June, a quieter one in January; two others are
        # found to be one person in April.
        cls.refnet("archive", str(ranked[2]), now="2026-06-10T14:00:00Z")
        cls.refnet("archive", str(ranked[-1]), now="2026-01-15T15:00:00Z")
        cls.refnet("merge", str(ranked[5]), str(ranked[-3]), now="2026-04-01T13:00:00Z")
        # Contacts added and never heard from again, so keep-in-touch falls due across each
        # daylight saving change (13 weeks of local days): one added in October 2025 (EDT, due in
        # January, EST) retires on 2026-03-20, so it is owed a call at the spring as-of and not
        # now; one added in August is owed one just after clocks went back; one added in December
        # (EST) falls due in March (EDT).
        quiet = {}
        for name, added in (("Quinn Quiet", "2025-10-20T14:00:00Z"),
                            ("Petra Pastdue", "2025-08-01T13:00:00Z"),
                            ("Wes Winter", "2025-12-10T15:00:00Z")):
            quiet[name] = json.loads(cls.refnet("--format", "json", "add", name, "--source",
                                                "linkedin", now=added))["id"]
        cls.refnet("archive", str(quiet["Quinn Quiet"]), now="2026-03-20T14:00:00Z")
        # A contact added in February and found on the 25th to duplicate another: at an as-of
        # before the merge it was a new contact of its own.
        moss = json.loads(cls.refnet("--format", "json", "add", "Mia Moss", "--source", "linkedin",
                                     now="2026-02-10T15:00:00Z"))["id"]
        cls.refnet("merge", str(ranked[5]), str(moss), now="2026-02-25T15:00:00Z")
        # A busy referrer, met before at the demo's events or not, is credited from March to an
        # event of its own: before that event's date it gets no credit.
        cls.refnet("event", "Spring Referral Summit", "--kind", "conference", "--date", "2026-03-05",
                   now="2026-03-05T22:00:00Z")
        cls.refnet("edit", str(ranked[3]), "--event", "Spring Referral Summit",
                   now="2026-03-06T15:00:00Z")
        # A follow-up planned for a named day (due by its end) just before clocks went forward,
        # and one planned for a time, done a week later.
        keep = str(ranked[5])
        cls.refnet("followup", keep, "--due", "2026-03-07", "--via", "visit",
                   now="2026-03-02T15:00:00Z")
        plan = json.loads(cls.refnet("--format", "json", "followup", str(ranked[6]),
                                     "--due", "2026-02-10T14:00:00Z", "--via", "email",
                                     now="2026-02-01T15:00:00Z"))["id"]
        cls.refnet("followup", "done", str(plan), "--date", "2026-02-17T16:00:00Z",
                   now="2026-02-17T16:00:00Z")
        # A visit booked for 2026-02-12 whose outcome was recorded only on the 24th: at the
        # mid-history as-of the referral was still scheduled with its appointment passed.
        made = "2026-02-02T15:00:00Z"
        visit = json.loads(cls.refnet("--format", "json", "refer", "--from", str(ranked[4]),
                                      "--patient", "MRN-VISIT", "--date", made, now=made))["id"]
        cls.refnet("status", str(visit), "scheduled", "--date", "2026-02-03T15:00:00Z",
                   "--appointment", "2026-02-12T15:00:00Z", now="2026-02-03T15:00:00Z")
        cls.refnet("status", str(visit), "seen", "--date", "2026-02-24T15:00:00Z",
                   now="2026-02-24T15:00:00Z")
        # A loop "closed" before its referral was made (CMS50: it does not count as closed). The
        # status machine and import refuse that; another program writing the file need not.
        made = "2026-02-16T15:00:00Z"
        ref = json.loads(cls.refnet("--format", "json", "refer", "--from", str(ranked[1]),
                                    "--patient", "MRN-CMS50", "--date", made, now=made))["id"]
        cls.refnet("status", str(ref), "closed", "--date", "2026-02-18T15:00:00Z",
                   now="2026-02-18T15:00:00Z")
        conn = sqlite3.connect(cls.network_db)
        try:
            with conn:
                conn.execute("UPDATE referral SET closed_at = '2026-02-14T15:00:00Z' WHERE id = ?", (ref,))
        finally:
            conn.close()
        cls.exports = {kind: cls.refnet("export", kind, "--format", "json")
                       for kind in ("contacts", "referrals", "touchpoints", "events")}
        cls.data = reference.Data.from_json(cls.exports["contacts"], cls.exports["referrals"],
                                            cls.exports["touchpoints"], cls.exports["events"])
        cls.cases = cls.combinations()

    # --- periods ---------------------------------------------------------------------------------

    @classmethod
    def combinations(cls):
        """[(as-of name, --as-of, window name, --since, --until)]."""
        zone = ZoneInfo(TZ)
        clock = reference.Clock(TZ)
        made = sorted(r["_referred"] for r in cls.data.referrals)
        days_with_referrals = {clock.day(t) for t in made}
        cases = []
        for as_of_name, as_of in AS_OF.items():
            moment = reference.Period(clock, NOW, as_of=as_of).as_of
            today = clock.day(moment)
            windows = {"default": (None, None)}
            # Empty: the latest day before the last few with no referral made on it.
            empty = today - timedelta(days=3)
            while empty in days_with_referrals:
                empty -= timedelta(days=1)
            windows["empty"] = (empty.isoformat(), empty.isoformat())
            one = today - timedelta(days=6)
            while one not in days_with_referrals:
                one -= timedelta(days=1)
            windows["one-day"] = (one.isoformat(), one.isoformat())
            # Edges equal to referral times: --since as stored (UTC), --until with its local offset.
            before = [t for t in made if t <= moment]
            first, last = before[-120], before[-15]
            local_last = datetime.fromtimestamp(last, zone).isoformat()
            windows["exact-edges"] = (utc(first), local_last)
            windows["lone-since"] = ((today - timedelta(days=45)).isoformat(), None)
            windows["lone-until"] = (None, (today - timedelta(days=20)).isoformat())
            # A long one, for at-risk a baseline from --since and a recent window ending at --until.
            windows["long"] = ((today - timedelta(days=400)).isoformat(),
                               (today - timedelta(days=10)).isoformat())
            windows["across-spring-forward"] = ("2026-03-01", "2026-03-14")
            windows["across-fall-back"] = ("2025-10-26", "2025-11-08")
            for window, (since, until) in windows.items():
                cases.append((as_of_name, as_of, window, since, until))
        return cases

    # --- running and comparing -------------------------------------------------------------------

    def setUp(self):
        super().setUp()
        self.env["TZ"] = TZ

    def run_refnet(self, *args, **kwargs):
        result = with_retries(lambda: super(Reference, self).run_refnet(*args, **kwargs))
        for _ in range(3):  # killed by a signal: perhaps a binary caught half written
            if result.code >= 0:
                break
            time.sleep(2)
            result = with_retries(lambda: super(Reference, self).run_refnet(*args, **kwargs))
        return result

    def compare(self, name, by=None):
        for as_of_name, as_of, window, since, until in self.cases:
            with self.subTest(report=name, by=by, as_of=as_of_name, window=window):
                args = ["--db", self.network_db, "--config", self.config_path, "report", name,
                        "--format", "json"]
                for option, value in (("--as-of", as_of), ("--since", since), ("--until", until),
                                      ("--by", by)):
                    if value is not None:
                        args += [option, value]
                try:
                    expected = reference.report(name, self.data, SETTINGS, TZ, NOW, as_of=as_of,
                                                since=since, until=until, by=by)
                except reference.UsageError as e:
                    result = self.run_refnet(*args)
                    self.assertEqual(result.code, 2, f"refnet {' '.join(args)}: the reference "
                                     f"refuses it ({e}), refnet gave {result}")
                    continue
                result = self.run_refnet(*args)
                self.assertEqual(result.code, 0, f"refnet {' '.join(args)}: {result}")
                got = result.json()
                if name == "overdue":
                    # Most overdue first; the order among items due at the same time is not
                    # documented (beyond referral ids), so they are compared as sets.
                    dues = [r["due"] for r in got]
                    self.assertEqual(dues, sorted(dues), f"refnet {' '.join(args)}: not most "
                                     "overdue first")
                    got = sorted(got, key=reference.overdue_order)
                problem = self.difference(name, got, expected)
                if problem:
                    self.fail(f"refnet {' '.join(args)}\n(TZ={TZ}, REFNET_NOW={NOW}) differs from "
                              f"the reference:\n{problem}")

    @staticmethod
    def difference(name, got, expected, limit=25):
        """'' when equal; else the rows that differ, refnet's and the reference's, by key, or
        where the order first differs."""
        if got == expected:
            return ""
        key = KEYS[name]
        theirs, ours = {}, {}
        for rows, into in ((got, theirs), (expected, ours)):
            for row in rows:
                into.setdefault(repr(key(row)), []).append(row)
        lines = [f"{len(got)} rows from refnet, {len(expected)} from the reference"]
        shown = 0
        for k in list(dict.fromkeys(list(theirs) + list(ours))):
            a, b = theirs.get(k, []), ours.get(k, [])
            if a != b:
                shown += 1
                if shown <= limit:
                    lines.append(f"  {k}:")
                    lines.append(f"    refnet:    {json.dumps(a, ensure_ascii=False) if a else '(no row)'}")
                    lines.append(f"    reference: {json.dumps(b, ensure_ascii=False) if b else '(no row)'}")
        if shown > limit:
            lines.append(f"  ... and {shown - limit} more keys differ")
        if not shown:
            at = next(i for i, (a, b) in enumerate(zip(got, expected)) if a != b)
            lines.append(f"  the same rows in another order; first difference at row {at}:")
            for i in range(at, min(at + 5, len(got))):
                lines.append(f"    refnet[{i}]:    {json.dumps(got[i], ensure_ascii=False)}")
                lines.append(f"    reference[{i}]: {json.dumps(expected[i], ensure_ascii=False)}")
        return "\n".join(lines)

    # --- the reports -----------------------------------------------------------------------------

    def test_summary(self):
        self.compare("summary")

    def test_overdue(self):
        self.compare("overdue")

    def test_reciprocity(self):
        self.compare("reciprocity")

    def test_sources(self):
        self.compare("sources")

    def test_trend_by_month(self):
        self.compare("trend")

    def test_trend_by_week(self):
        self.compare("trend", by="week")

    def test_trend_by_quarter(self):
        self.compare("trend", by="quarter")

    def test_at_risk(self):
        self.compare("at-risk")

    def test_closed_loop(self):
        self.compare("closed-loop")

    def test_turnaround(self):
        self.compare("turnaround")

    def test_network(self):
        self.compare("network")

    def test_the_network_exercises_the_rules(self):
        """The data holds what the comparisons are meant to exercise, so that an agreement is not
        an agreement on nothing."""
        data = self.data
        self.assertGreaterEqual(len(data.referrals), 3000)
        self.assertTrue(any(c["merged_into"] for c in data.contacts.values()))
        self.assertEqual(sum(1 for c in data.contacts.values() if c["archived"]), 5)
        self.assertEqual(sum(1 for c in data.contacts.values() if c["name"] in
                             ("Quinn Quiet", "Petra Pastdue", "Wes Winter")), 3)
        self.assertTrue(any(r["_closed"] is not None and r["_closed"] < r["_referred"]
                            for r in data.referrals))
        self.assertTrue(any(r["appointment"] and r["status"] == "scheduled" for r in data.referrals))
        self.assertTrue(any(t["satisfied_by"] for t in data.touchpoints.values()))
        self.assertTrue(any(t["dismissed_at"] for t in data.touchpoints.values()))
        clock = reference.Clock(TZ)
        for as_of_name, as_of in AS_OF.items():
            moment = reference.Period(clock, NOW, as_of=as_of).as_of
            kinds = {r["kind"] for r in reference.overdue_items(data, SETTINGS, clock, moment)}
            with self.subTest(as_of=as_of_name):
                self.assertGreaterEqual(len(kinds), 4, kinds)
                self.assertIn("keep-in-touch", kinds)
                if as_of_name in ("now", "mid-history"):
                    self.assertIn("record-outcome", kinds)
        windows = {(w, s, u) for _, _, w, s, u in self.cases}
        self.assertEqual(len({w for w, _, _ in windows}), 9)
        # The empty windows are empty, the edge windows start and end on referral times.
        made = {r["referred"] for r in data.referrals}
        for window, since, until in windows:
            if window == "exact-edges":
                self.assertIn(since, made)
                until_utc = datetime.fromisoformat(until).astimezone(timezone.utc)
                self.assertIn(until_utc.strftime("%Y-%m-%dT%H:%M:%SZ"), made)
            if window == "empty":
                day = date.fromisoformat(since)
                self.assertFalse([r for r in data.referrals if clock.day(r["_referred"]) == day])


if __name__ == "__main__":
    unittest.main()
