#!/usr/bin/python3
"""refnet against hand-written sqlite3 over the same file: one table, one CSV.

Makes a network with `refnet demo` (fixed seed), then times each operation several times with
refnet and with the sqlite3 command-line shell doing the same job, and prints the median wall
time of each, their ratio, the peak resident memory of the slowest run (ru_maxrss of the child,
the figure `/usr/bin/time -v` prints) and whether the target of the performance issue is met.

    tests/bench/bench.py                          # 20,000 contacts, 1,000,000 referrals
    tests/bench/bench.py --contacts 200 --referrals 5000 --runs 1 --check   # what CI runs
    tests/bench/bench.py --postgresql            # the same on PostgreSQL, against psql

With --postgresql the network lives in a new database on the server the libpq variables (PGHOST,
PGPORT, PGUSER) name, dropped at the end, and each baseline is psql doing the same job with the
best PostgreSQL SQL we found (COPY for streams and import, pg_dump for backups).

Not a timed test: it fails (with --check) only when a command fails or prints nothing.
"""

import argparse
import csv
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NOW = "2026-11-27T09:00:00Z"

# The period every report is asked about, and the same bounds in the baseline SQL.
SINCE, UNTIL = "2025-11-27", "2026-11-27"
SINCE_AT, UNTIL_AT = "2025-11-27T00:00:00Z", "2026-11-28T00:00:00Z"  # --until names a whole day
PERIOD = f"referred_at >= '{SINCE_AT}' AND referred_at < '{UNTIL_AT}'"


def overdue_items(now):
    """The open items of the overdue list, in SQL both dialects read alike; keep-in-touch follows."""
    return f"""
            SELECT r.direction, c.name, r.id, r.patient, r.acknowledge_due AS due
            FROM referral r JOIN contact c ON c.id = r.contact_id
            WHERE r.status = 'new' AND r.acknowledge_due < '{now}'
            UNION ALL
            SELECT 'followup', c.name, t.id, t.via, t.due FROM touchpoint t JOIN contact c ON c.id = t.contact_id
            WHERE t.done_at IS NULL AND t.satisfied_by IS NULL AND t.dismissed_at IS NULL AND t.due < '{now}'
            UNION ALL
            SELECT r.direction, c.name, r.id, r.patient, r.report_due FROM referral r JOIN contact c ON c.id = r.contact_id
            WHERE r.status = 'seen' AND r.report_due < '{now}'
            UNION ALL
"""


# The best hand-written SQL found for each report: what a practice with sqlite3 would type. At a
# past as-of it asks the simpler question of the records as they are now (no rebuilt state).
def report_sql(now, since_at, until_at):
    period = f"referred_at >= '{since_at}' AND referred_at < '{until_at}'"
    return {
        "summary": f"""
            SELECT sum(direction = 'in'), sum(direction = 'out'),
                   sum(closed_at >= referred_at AND closed_at <= '{now}'),
                   (SELECT count(*) FROM referral WHERE status IN ('new','acknowledged','scheduled','seen')),
                   (SELECT count(*) FROM contact WHERE created_at >= '{since_at}' AND created_at < '{until_at}'),
                   (SELECT count(*) FROM touchpoint WHERE done_at IS NULL AND satisfied_by IS NULL
                      AND dismissed_at IS NULL AND due < '{now}')
            FROM referral WHERE {period};
            SELECT c.id, c.name, count(*) AS n FROM referral r JOIN contact c ON c.id = r.contact_id
            WHERE r.direction = 'in' AND r.{period} GROUP BY c.id ORDER BY n DESC LIMIT 5;""",
        "overdue": overdue_items(now) + f"""
            SELECT 'keep-in-touch', c.name, c.id, NULL,
                   max(c.created_at, coalesce((SELECT max(referred_at) FROM referral r WHERE r.contact_id = c.id), ''),
                       coalesce((SELECT max(done_at) FROM touchpoint t WHERE t.contact_id = c.id), '')) AS last
            FROM contact c WHERE c.archived_at IS NULL AND last < date('{now}', '-90 days')
            ORDER BY due;""",
        "reciprocity": f"""
            SELECT c.id, c.name, sum(r.direction = 'in') AS n_in, sum(r.direction = 'out') AS n_out,
                   max(CASE r.direction WHEN 'in' THEN r.referred_at END),
                   max(CASE r.direction WHEN 'out' THEN r.referred_at END)
            FROM referral r JOIN contact c ON c.id = r.contact_id WHERE r.{period}
            GROUP BY c.id ORDER BY n_in + n_out DESC, c.name;""",
        "sources": f"""
            SELECT coalesce(c.source, 'unknown'), count(*) FROM referral r JOIN contact c ON c.id = r.contact_id
            WHERE r.direction = 'in' AND r.{period} GROUP BY 1 ORDER BY 2 DESC;
            SELECT coalesce(e.name, 'no event'), count(*) FROM referral r JOIN contact c ON c.id = r.contact_id
            LEFT JOIN event e ON e.id = c.event_id
            WHERE r.direction = 'in' AND r.{period} GROUP BY 1 ORDER BY 2 DESC;""",
        "trend": f"""
            SELECT strftime('%Y-%m', referred_at) AS month, sum(direction = 'in'), sum(direction = 'out')
            FROM referral WHERE {period} GROUP BY month ORDER BY month;""",
        "at-risk": f"""
            WITH volume AS (
              SELECT contact_id, sum(referred_at < date('{now}', '-90 days')) AS baseline,
                     sum(referred_at >= date('{now}', '-90 days')) AS recent, max(referred_at) AS last
              FROM referral
              WHERE direction = 'in' AND referred_at >= date('{now}', '-455 days') AND referred_at < '{now}'
              GROUP BY contact_id HAVING baseline >= 3)
            SELECT c.name, v.baseline, v.recent, v.last,
                   round(100.0 * (v.baseline * 90.0 / 365 - v.recent) / (v.baseline * 90.0 / 365), 1) AS drop_percent
            FROM volume v JOIN contact c ON c.id = v.contact_id
            WHERE drop_percent >= 50 ORDER BY drop_percent DESC;""",
        "closed-loop": f"""
            SELECT direction, contact_id, count(*), sum(status = 'closed' AND closed_at >= referred_at),
                   round(100.0 * sum(status = 'closed' AND closed_at >= referred_at) / count(*), 1)
            FROM referral WHERE {period} GROUP BY direction, contact_id;
            SELECT direction, count(*), sum(status = 'closed' AND closed_at >= referred_at)
            FROM referral WHERE {period} GROUP BY direction;""",
        "turnaround": " UNION ALL ".join(f"""
            SELECT * FROM (
              WITH h AS (SELECT direction, urgency,
                                (julianday({step}_at) - julianday(referred_at)) * 24 AS hours
                         FROM referral WHERE {step}_at IS NOT NULL AND {period}),
                   ranked AS (SELECT *, row_number() OVER (PARTITION BY direction, urgency ORDER BY hours) AS k,
                                     count(*) OVER (PARTITION BY direction, urgency) AS n FROM h)
              SELECT '{step}', direction, urgency, n, max(CASE WHEN k = (n + 1) / 2 THEN hours END),
                     max(CASE WHEN k = (9 * n + 9) / 10 THEN hours END)
              FROM ranked GROUP BY direction, urgency)"""
                                     for step in ("acknowledged", "scheduled", "seen", "closed")) + ";",
        "network": f"""
            SELECT e.direction, c.name, c.role, c.specialty, e.n
            FROM (SELECT direction, contact_id, count(*) AS n FROM referral WHERE {period}
                  GROUP BY direction, contact_id) e JOIN contact c ON c.id = e.contact_id
            ORDER BY e.n DESC;""",
    }


REPORT_SQL = report_sql(NOW, SINCE_AT, UNTIL_AT)
# A mid-history as-of, where a report rebuilds what was open then from the stamps, and its period.
PAST = "2026-03-01T00:00:00Z"
PAST_SINCE, PAST_UNTIL = "2025-09-01", "2026-02-28"
PAST_SQL = report_sql(PAST, "2025-09-01T00:00:00Z", "2026-03-01T00:00:00Z")


def days_before(at, days):
    """The date `days` before the time `at` (UTC text), as SQLite's date(at, '-N days') gives it."""
    moment = datetime.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ")
    return (moment - datetime.timedelta(days=days)).strftime("%Y-%m-%d")


# The same questions in PostgreSQL's SQL, as a practice with psql would ask them of refnet's
# tables there (times are UTC text in both stores, so the bounds compare as text).
def pg_report_sql(now, since_at, until_at):
    period = f"referred_at >= '{since_at}' AND referred_at < '{until_at}'"
    closed = "status = 'closed' AND closed_at >= referred_at"
    d90, d455 = days_before(now, 90), days_before(now, 455)
    return {
        "summary": f"""
            SELECT count(*) FILTER (WHERE direction = 'in'), count(*) FILTER (WHERE direction = 'out'),
                   count(*) FILTER (WHERE closed_at >= referred_at AND closed_at <= '{now}'),
                   (SELECT count(*) FROM referral WHERE status IN ('new','acknowledged','scheduled','seen')),
                   (SELECT count(*) FROM contact WHERE created_at >= '{since_at}' AND created_at < '{until_at}'),
                   (SELECT count(*) FROM touchpoint WHERE done_at IS NULL AND satisfied_by IS NULL
                      AND dismissed_at IS NULL AND due < '{now}')
            FROM referral WHERE {period};
            SELECT c.id, c.name, count(*) AS n FROM referral r JOIN contact c ON c.id = r.contact_id
            WHERE r.direction = 'in' AND r.{period} GROUP BY c.id ORDER BY n DESC LIMIT 5;""",
        "overdue": overdue_items(now) + f"""
            SELECT * FROM (
              SELECT 'keep-in-touch', c.name, c.id, NULL,
                     greatest(c.created_at, (SELECT max(referred_at) FROM referral r WHERE r.contact_id = c.id),
                              (SELECT max(done_at) FROM touchpoint t WHERE t.contact_id = c.id)) AS last
              FROM contact c WHERE c.archived_at IS NULL) k WHERE last < '{d90}'
            ORDER BY due;""",
        "reciprocity": f"""
            SELECT c.id, c.name, count(*) FILTER (WHERE r.direction = 'in'),
                   count(*) FILTER (WHERE r.direction = 'out'),
                   max(r.referred_at) FILTER (WHERE r.direction = 'in'),
                   max(r.referred_at) FILTER (WHERE r.direction = 'out')
            FROM referral r JOIN contact c ON c.id = r.contact_id WHERE r.{period}
            GROUP BY c.id ORDER BY count(*) DESC, c.name;""",
        "sources": f"""
            SELECT coalesce(c.source, 'unknown'), count(*) FROM referral r JOIN contact c ON c.id = r.contact_id
            WHERE r.direction = 'in' AND r.{period} GROUP BY 1 ORDER BY 2 DESC;
            SELECT coalesce(e.name, 'no event'), count(*) FROM referral r JOIN contact c ON c.id = r.contact_id
            LEFT JOIN event e ON e.id = c.event_id
            WHERE r.direction = 'in' AND r.{period} GROUP BY 1 ORDER BY 2 DESC;""",
        "trend": f"""
            SELECT substr(referred_at, 1, 7) AS month, count(*) FILTER (WHERE direction = 'in'),
                   count(*) FILTER (WHERE direction = 'out')
            FROM referral WHERE {period} GROUP BY month ORDER BY month;""",
        "at-risk": f"""
            WITH volume AS (
              SELECT contact_id, count(*) FILTER (WHERE referred_at < '{d90}') AS baseline,
                     count(*) FILTER (WHERE referred_at >= '{d90}') AS recent, max(referred_at) AS last
              FROM referral
              WHERE direction = 'in' AND referred_at >= '{d455}' AND referred_at < '{now}'
              GROUP BY contact_id HAVING count(*) FILTER (WHERE referred_at < '{d90}') >= 3)
            SELECT * FROM (
              SELECT c.name, v.baseline, v.recent, v.last,
                     round(100.0 * (v.baseline * 90.0 / 365 - v.recent) / (v.baseline * 90.0 / 365), 1) AS drop_percent
              FROM volume v JOIN contact c ON c.id = v.contact_id) d
            WHERE drop_percent >= 50 ORDER BY drop_percent DESC;""",
        "closed-loop": f"""
            SELECT direction, contact_id, count(*), count(*) FILTER (WHERE {closed}),
                   round(100.0 * count(*) FILTER (WHERE {closed}) / count(*), 1)
            FROM referral WHERE {period} GROUP BY direction, contact_id;
            SELECT direction, count(*), count(*) FILTER (WHERE {closed})
            FROM referral WHERE {period} GROUP BY direction;""",
        "turnaround": " UNION ALL ".join(f"""
            SELECT '{step}', direction, urgency, count(*),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY hours),
                   percentile_disc(0.9) WITHIN GROUP (ORDER BY hours)
            FROM (SELECT direction, urgency,
                         extract(epoch FROM {step}_at::timestamptz - referred_at::timestamptz) / 3600 AS hours
                  FROM referral WHERE {step}_at IS NOT NULL AND {period}) h
            GROUP BY direction, urgency""" for step in ("acknowledged", "scheduled", "seen", "closed")) + ";",
        "network": REPORT_SQL["network"] if now == NOW else PAST_SQL["network"],
    }


PG_REPORT_SQL = pg_report_sql(NOW, SINCE_AT, UNTIL_AT)
PG_PAST_SQL = pg_report_sql(PAST, "2025-09-01T00:00:00Z", "2026-03-01T00:00:00Z")

TARGETS = {  # operation kind → (wall seconds, ratio to the baseline, peak MiB), None = no target
    "single": (0.010, 2.0, None),
    "report": (0.5, 1.5, None),
    "digest": (1.0, None, None),
    "search": (0.1, None, None),
    "stream": (None, None, 32),
    "import": (None, 3.0, None),
    "demo": (20.0, None, None),
    "backup": (None, None, None),
}
# On PostgreSQL: every report in a second, import within 3x psql's \copy, a single command in 30 ms
# over a local socket (connecting included).
PG_TARGETS = dict(TARGETS, single=(0.030, None, None), report=(1.0, None, None),
                  search=(None, None, None), demo=(None, None, None))


class Run:
    def __init__(self, seconds, peak_kib, out_bytes):
        self.seconds, self.peak_kib, self.out_bytes = seconds, peak_kib, out_bytes


def run(argv, env, check_output=False):
    """Runs argv once: wall seconds, peak resident KiB of that child alone, bytes on stdout."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        size = out.tell()
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({proc.returncode}): {err.strip()}")
    if check_output and size == 0:
        raise SystemExit(f"bench: {' '.join(argv)} printed nothing")
    return Run(seconds, usage.ru_maxrss, size)


def median_of(runs):
    return statistics.median(r.seconds for r in runs), max(r.peak_kib for r in runs)


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="refnet-bench-", dir=args.work)
        self.db = os.path.join(self.work, "bench.db")
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.work,
                    "LANG": "C.UTF-8", "TZ": "UTC", "REFNET_NOW": NOW,
                    "REFNET_CONFIG": os.path.join(self.work, "none.toml")}
        self.rows = []
        self.targets = TARGETS
        self.tool = "sqlite3"

    def refnet(self, *argv, db=None):
        return [self.args.refnet, "--db", db or self.db, *argv]

    def sqlite(self, sql, *flags, db=None):
        return [self.args.sqlite3, *flags, db or self.db, sql]

    def record(self, name, kind, ours, baseline, note=""):
        seconds, peak = median_of(ours)
        base_seconds, base_peak = median_of(baseline) if baseline else (None, None)
        ratio = seconds / base_seconds if base_seconds else None
        wall, max_ratio, max_mib = self.targets[kind]
        misses = []
        if wall is not None and seconds > wall:
            misses.append(f"> {wall * 1000:g} ms" if wall < 1 else f"> {wall:g} s")
        if max_ratio is not None and ratio is not None and ratio > max_ratio:
            misses.append(f"> {max_ratio:g}x")
        if max_mib is not None and peak / 1024 > max_mib:
            misses.append(f"> {max_mib} MiB")
        target = []
        if wall is not None:
            target.append(f"< {wall * 1000:g} ms" if wall < 1 else f"< {wall:g} s")
        if max_ratio is not None:
            target.append(f"<= {max_ratio:g}x")
        if max_mib is not None:
            target.append(f"< {max_mib} MiB")
        self.rows.append({
            "operation": name,
            "refnet_s": f"{seconds:.4f}",
            "baseline_s": "" if base_seconds is None else f"{base_seconds:.4f}",
            "ratio": "" if ratio is None else f"{ratio:.2f}",
            "refnet_peak_mib": f"{peak / 1024:.1f}",
            "baseline_peak_mib": "" if base_peak is None else f"{base_peak / 1024:.1f}",
            "runs": len(ours),
            "target": " and ".join(target),
            "met": "no: " + ", ".join(misses) if misses else "yes",
            "note": note,
        })
        print(f"  {name:<32} {seconds:8.4f} s" +
              ("" if ratio is None else f"  vs {base_seconds:8.4f} s  ({ratio:.2f}x)"),
              file=sys.stderr, flush=True)

    def times(self, argv, runs=None, check_output=False):
        return [run(argv, self.env, check_output) for _ in range(runs or self.args.runs)]

    def value(self, sql, db=None):
        return subprocess.run(self.sqlite(sql, db=db), capture_output=True, text=True,
                              check=True).stdout.strip()

    def make_data(self):
        a = self.args
        demo = self.times(self.refnet("demo", "--contacts", str(a.contacts), "--referrals",
                                      str(a.referrals), "--seed", "42"), runs=1)
        self.record(f"demo {a.contacts} contacts / {a.referrals} referrals", "demo", demo, None,
                    "one run: it makes the data the other rows read")
        # The demo leaves most of its file as dirty pages the kernel writes back over the next
        # minute: flush them first, or every fsync and read timed next waits behind that.
        os.sync()
        # Warm the page cache the way a machine in daily use has it.
        run(self.sqlite("SELECT count(*) FROM referral; SELECT count(*) FROM contact;"), self.env)

    def single_commands(self):
        n = self.args.single_runs
        ours = [run(self.refnet("add", f"Bench Contact {i}", "--role", "pcp", "--source", "linkedin"),
                    self.env) for i in range(n)]
        base = [run(self.sqlite(self.insert("contact", "name, role, source, created_at",
                                            f"'Baseline Contact {i}', 'pcp', 'linkedin', '{NOW}'")),
                    self.env) for i in range(n)]
        self.record("add", "single", ours, base, f"baseline: {self.tool} INSERT INTO contact")

        contact = self.value("SELECT id FROM contact WHERE name = 'Bench Contact 0'")
        # A contact named the way people type names: another case, another word order, among
        # 20,000 (the name-matching rule of refnet(1) show).
        # The last one added: no other holds its number (Bench Contact 10 of 0-10).
        ours = [run(self.refnet("show", f"{n - 1} BENCH"), self.env) for _ in range(n)]
        base = [run(self.sqlite(f"SELECT * FROM contact WHERE name LIKE '%bench%' AND name LIKE '% {n - 1}'"),
                    self.env) for _ in range(n)]
        self.record("show NAME (case and word order)", "single", ours, base,
                    f"contact resolution; baseline: {self.tool} LIKE, no folding")
        ours = [run(self.refnet("refer", "--to", contact, "--patient", f"MRN-B{i}"), self.env)
                for i in range(n)]
        base = [run(self.sqlite(self.insert("referral", "direction, contact_id, patient, referred_at, acknowledge_due, "
                                            "created_at", f"'out', {contact}, 'MRN-S{i}', '{NOW}', '{NOW}', '{NOW}'")), self.env) for i in range(n)]
        self.record("refer", "single", ours, base, f"baseline: {self.tool} INSERT INTO referral")

        ids = self.value(self.ids_where("patient LIKE 'MRN-B%'")).split()
        others = self.value(self.ids_where("patient LIKE 'MRN-S%'")).split()
        ours = [run(self.refnet("ack", i), self.env) for i in ids]
        base = [run(self.sqlite(f"UPDATE referral SET status = 'acknowledged', acknowledged_at = '{NOW}' "
                                f"WHERE id = {i}"), self.env) for i in others]
        self.record("ack", "single", ours, base, f"baseline: {self.tool} UPDATE referral")

        ours = [run(self.refnet("followup", contact, "--via", "call", "--note", f"call {i}"), self.env)
                for i in range(n)]
        base = [run(self.sqlite(self.insert("touchpoint", "contact_id, via, note, created_at, done_at",
                                            f"{contact}, 'call', 'call {i}', '{NOW}', '{NOW}'")), self.env)
                for i in range(n)]
        self.record("followup", "single", ours, base, f"baseline: {self.tool} INSERT INTO touchpoint")

    def ids_where(self, condition):
        return f"SELECT group_concat(id, ' ') FROM referral WHERE {condition}"

    def insert(self, table, columns, values):
        return f"INSERT INTO {table}({columns}) VALUES ({values})"

    def report_sql(self, past):
        return PAST_SQL if past else REPORT_SQL

    def reports(self, past=False):
        period = ["--since", PAST_SINCE, "--until", PAST_UNTIL] if past else ["--since", SINCE, "--until", UNTIL]
        as_of = ["--as-of", PAST] if past else []
        for name, sql in self.report_sql(past).items():
            argv = ["--format", "csv", "report", name] + as_of
            argv += [] if name in ("overdue", "at-risk") else period
            ours = self.times(self.refnet(*argv))
            base = self.times(self.sqlite(sql, "-csv"))
            self.record(f"report {name}" + (f" --as-of {PAST[:10]}" if past else ""), "report", ours, base,
                        f"baseline: hand-written SQL, {self.tool} csv" + (", of today's state" if past else ""))

    def digest(self):
        # The whole Monday page, as the cron line writes it: every section, html, to a file.
        page = os.path.join(self.work, "digest.html")
        for as_of in ([], ["--as-of", PAST]):
            ours = self.times(self.refnet("report", "digest", "--format", "html", "--redact", "-o", page, *as_of))
            self.record("report digest --format html" + (f" --as-of {PAST[:10]}" if as_of else ""), "digest",
                        ours, None, "no baseline: one page composed of eight reports' questions")

    def searches(self):
        # A word in about one referral in seven (150,000 rows), one in about a hundred, a
        # contact's surname (a handful of rows) and a word in none; each the way it is typed,
        # its last word a prefix. Baseline: sqlite3 asking the FTS5 index the same question,
        # without reading the records found or printing them.
        surname = self.value("SELECT name FROM contact ORDER BY id LIMIT 1").split()[-1]
        for label, text in (("common", "pain"), ("frequent", "interpreter"), ("rare", surname),
                            ("miss", "zebra")):
            ours = self.times(self.refnet("--format", "csv", "search", text))
            base = self.times(self.search_baseline(text))
            self.record(f"search ({label} word)", "search", ours, base,
                        f"searching {text!r}; baseline: {self.search_note}")

    search_note = "sqlite3, the FTS5 query alone"

    def search_baseline(self, text):
        query = '"' + text.replace("'", "").replace('"', '""') + '"*'
        return self.sqlite(f"SELECT rowid FROM search WHERE search MATCH '{query}' ORDER BY rank LIMIT 20",
                           "-csv")

    def streams(self):
        for name, argv in (("list referrals --format csv", ["--format", "csv", "list", "referrals"]),
                           ("export referrals --format json", ["--format", "json", "export", "referrals"]),
                           ("export referrals --format csv", ["--format", "csv", "export", "referrals"])):
            ours = self.times(self.refnet(*argv), check_output=True)
            baseline, note = self.stream_baseline(name)
            self.record(name, "stream", ours, self.times(baseline), f"baseline: {note}")

    LIST_SQL = "SELECT r.*, c.name FROM referral r JOIN contact c ON c.id = r.contact_id ORDER BY r.referred_at, r.id"

    def stream_baseline(self, name):
        return {"list referrals --format csv": (self.sqlite(self.LIST_SQL, "-csv"), "sqlite3 -csv join"),
                "export referrals --format json": (self.sqlite("SELECT * FROM referral", "-json"), "sqlite3 -json"),
                "export referrals --format csv": (self.sqlite("SELECT * FROM referral", "-csv", "-header"),
                                                  "sqlite3 -csv")}[name]

    # The office-spreadsheet variant of the referrals file: headers in other words (aliases), one
    # renamed by --map, and a column of the office's own left out by --ignore.
    MAPPED_HEADERS = {"patient": "MRN", "referred": "Referral Date", "note": "Comments",
                      "reason": "Why referred"}
    MAPPED_ARGS = ["--map", "Why referred=reason", "--ignore", "Office ID"]

    def mapped_copy(self, source, target):
        with open(source, newline="", encoding="utf-8") as f_in, \
                open(target, "w", newline="", encoding="utf-8") as f_out:
            reader, writer = csv.reader(f_in), csv.writer(f_out, lineterminator="\r\n")
            header = next(reader)
            writer.writerow([self.MAPPED_HEADERS.get(h, h) for h in header] + ["Office ID"])
            for n, row in enumerate(reader):
                writer.writerow(row + [f"OF-{n}"])

    def import_referrals(self):
        files = {entity: os.path.join(self.work, f"{entity}.csv")
                 for entity in ("events", "contacts", "referrals")}
        for entity, path in files.items():
            with open(path, "wb") as f:
                subprocess.run(self.refnet("--format", "csv", "export", entity), env=self.env,
                               stdout=f, check=True)
        mapped = os.path.join(self.work, "referrals-office.csv")
        self.mapped_copy(files["referrals"], mapped)
        variants = [("import referrals (csv)", files["referrals"], []),
                    ("import referrals (csv, --map)", mapped, self.MAPPED_ARGS)]
        times = {label: ([], []) for label, _, _ in variants}
        for i in range(self.args.import_runs):
            for label, referrals, extra in variants:
                ours, base = times[label]
                fresh = self.new_database(f"import-{i}")
                subprocess.run(self.refnet("init", db=fresh), env=self.env, check=True,
                               capture_output=True)
                for entity in ("events", "contacts"):  # what the referrals refer to, not timed
                    subprocess.run(self.refnet("import", entity, files[entity], db=fresh),
                                   env=self.env, check=True, capture_output=True)
                os.sync()  # neither import waits behind the other's write-back
                ours.append(run(self.refnet("import", "referrals", referrals, *extra, db=fresh),
                                self.env))
                plain = self.new_database(f"plain-{i}")
                os.sync()
                base.append(self.import_baseline(referrals, plain))
                if i == 0:
                    got = self.value("SELECT count(*) FROM referral", db=fresh)
                    want = self.value("SELECT count(*) FROM referral", db=plain)
                    if got != want:
                        raise SystemExit(f"bench: {label} wrote {got} referrals, {self.tool} {want}")
                self.drop_database(fresh)
                self.drop_database(plain)
        for label, _, _ in variants:
            ours, base = times[label]
            self.record(label, "import", ours, base, self.import_note)

    import_note = "baseline: sqlite3 .import of the same file into an unindexed table"

    def new_database(self, name):
        """Where a new, empty database named `name` goes (made by refnet init)."""
        return os.path.join(self.work, f"{name}.db")

    def drop_database(self, location):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(location + suffix):
                os.remove(location + suffix)

    def import_baseline(self, referrals, plain):
        return run([self.args.sqlite3, plain, ".import --csv " + referrals + " referral"], self.env)

    def backups(self):
        """db backup plain and --encrypt, and db restore of the encrypted one into a new file,
        against the sqlite3 shell's .backup and .restore of the same database."""
        passphrase = os.path.join(self.work, "passphrase")
        with open(passphrase, "w") as f:
            f.write("bench passphrase, not a secret\n")
        os.chmod(passphrase, 0o600)
        env = dict(self.env, REFNET_PASSPHRASE_FILE=passphrase)
        runs = self.args.import_runs
        path = lambda name, i: os.path.join(self.work, f"{name}-{i}")
        ours = [run(self.refnet("db", "backup", path("plain", i)), env) for i in range(runs)]
        base = [run(self.sqlite(f".backup {path('shell', i)}"), env) for i in range(runs)]
        self.record("db backup", "backup", ours, base, "baseline: sqlite3 .backup")
        ours = [run(self.refnet("db", "backup", "--encrypt", path("sealed", i)), env)
                for i in range(runs)]
        self.record("db backup --encrypt", "backup", ours, base,
                    "baseline: sqlite3 .backup (not encrypted); Argon2id moderate included")
        os.sync()
        ours = [run(self.refnet("db", "restore", path("sealed", 0), db=path("restored", i)), env)
                for i in range(runs)]
        base = [run(self.sqlite(f".restore {path('shell', 0)}", db=path("shell-restored", i)), env)
                for i in range(runs)]
        if self.value("SELECT count(*) FROM referral", db=path("restored", 0)) != \
                self.value("SELECT count(*) FROM referral"):
            raise SystemExit("bench: the restored database differs from the one backed up")
        self.record("db restore (encrypted)", "backup", ours, base,
                    "baseline: sqlite3 .restore of a plain copy; integrity check included")

    def machine(self):
        cpu = "unknown CPU"
        try:
            with open("/proc/cpuinfo") as f:
                cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
        except (OSError, StopIteration):
            pass
        with open("/proc/meminfo") as f:
            mem_kib = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        version = subprocess.run([self.args.refnet, "--version"], capture_output=True, text=True).stdout.strip()
        return (f"{cpu}, {os.cpu_count()} cores, {mem_kib / 1024 / 1024:.0f} GiB, "
                f"{platform.system()} {platform.release()}; {version}")

    def cleanup(self):
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    def print_table(self):
        columns = ["operation", "refnet_s", "baseline_s", "ratio", "refnet_peak_mib", "target", "met"]
        titles = ["operation", "refnet", "baseline", "ratio", "peak MiB", "target", "met"]
        cells = [[titles[i]] + [str(r[c]) for r in self.rows] for i, c in enumerate(columns)]
        widths = [max(len(v) for v in col) for col in cells]
        for k in range(len(self.rows) + 1):
            print("  ".join(cells[i][k].ljust(widths[i]) if i in (0, 5, 6) else cells[i][k].rjust(widths[i])
                            for i in range(len(columns))).rstrip())

    def write_csv(self, path):
        with open(path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(self.rows[0].keys()))
            writer.writeheader()
            writer.writerows(self.rows)


class PostgresBench(Bench):
    """The same operations on PostgreSQL: the network in a new database of its own on the server
    the libpq variables name, and psql doing each baseline's job."""

    def __init__(self, args):
        super().__init__(args)
        for name in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE",
                     "PGSSLMODE"):
            if name in os.environ:
                self.env[name] = os.environ[name]
        self.targets = PG_TARGETS
        self.tool = "psql"
        self.prefix = f"refnet_bench_{os.getpid()}"
        self.databases = []
        self.db = self.new_database("network")

    def make_data(self):
        super().make_data()
        # What autovacuum does in the minutes after a load (visibility map, hint bits, statistics)
        # and the checkpoint after it, done before the timings rather than during them: on two
        # cores a vacuum of the demo's twelve million rows running beside a report is noise
        # (seconds of it), and a network in daily use has been vacuumed since it was loaded.
        for sql in ("VACUUM (ANALYZE)", "CHECKPOINT"):
            run(self.psql(sql), self.env)

    def admin(self, sql):
        done = subprocess.run(self.psql(sql, db="postgres"), env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"bench: psql {sql!r} failed ({done.returncode}): {done.stderr.strip()}")

    def new_database(self, name):
        database = f"{self.prefix}_{name.replace('-', '_')}"
        self.admin(f'CREATE DATABASE "{database}"')
        self.databases.append(database)
        return f"postgresql:///{database}"

    def drop_database(self, location):
        database = location.rsplit("/", 1)[1]
        self.admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.databases.remove(database)

    def cleanup(self):
        if not self.args.keep:
            for database in list(self.databases):
                self.admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        super().cleanup()

    def psql(self, sql, *flags, db=None):
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *flags, "-d", db or self.db, "-c", sql]

    def sqlite(self, sql, *flags, db=None):
        return self.psql(sql, *("--csv" if flag == "-csv" else flag for flag in flags), db=db)

    def value(self, sql, db=None):
        return subprocess.run(self.psql(sql, "-At", db=db), env=self.env, capture_output=True, text=True,
                              check=True).stdout.strip()

    def ids_where(self, condition):
        return f"SELECT string_agg(id::text, ' ') FROM referral WHERE {condition}"

    def insert(self, table, columns, values):
        # refnet's tables there have no id default: refnet gives the next id itself.
        return (f"INSERT INTO {table}(id, {columns}) "
                f"VALUES ((SELECT coalesce(max(id), 0) + 1 FROM {table}), {values})")

    def report_sql(self, past):
        return PG_PAST_SQL if past else PG_REPORT_SQL

    search_note = "psql, ILIKE over the same fields (no index), the first 20"

    def search_baseline(self, text):
        like = "'%" + text.replace("'", "''") + "%'"
        return self.psql(f"SELECT id * 4 FROM contact WHERE name ILIKE {like} OR practice ILIKE {like} "
                         f"OR note ILIKE {like} UNION ALL SELECT id * 4 + 1 FROM referral "
                         f"WHERE reason ILIKE {like} OR note ILIKE {like} LIMIT 20", "--csv")

    def stream_baseline(self, name):
        copy = "COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)"
        return {"list referrals --format csv": (self.psql(copy.format(self.LIST_SQL)), "psql COPY of the join"),
                "export referrals --format json": (
                    self.psql("COPY (SELECT row_to_json(r) FROM referral r ORDER BY id) TO STDOUT"),
                    "psql COPY of row_to_json, a line each"),
                "export referrals --format csv": (
                    self.psql(copy.format("SELECT * FROM referral ORDER BY id")), "psql COPY csv")}[name]

    import_note = "psql \\copy of the same file into an unindexed table"

    def import_baseline(self, referrals, plain):
        with open(referrals, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        columns = ", ".join(f'"{name}" text' for name in header)
        subprocess.run(self.psql(f"CREATE TABLE referral ({columns})", db=plain), env=self.env, check=True)
        return run(self.psql(f"\\copy referral FROM '{referrals}' WITH (FORMAT csv, HEADER)", db=plain),
                   self.env)

    def backups(self):
        """db backup plain and --encrypt (each a refnet SQLite file) against pg_dump's custom
        format of the same database; a restore is of a file, not onto the server."""
        passphrase = os.path.join(self.work, "passphrase")
        with open(passphrase, "w") as f:
            f.write("bench passphrase, not a secret\n")
        os.chmod(passphrase, 0o600)
        env = dict(self.env, REFNET_PASSPHRASE_FILE=passphrase)
        runs = self.args.import_runs
        path = lambda name, i: os.path.join(self.work, f"{name}-{i}")
        base = [run(["pg_dump", "-Fc", "-f", path("dump", i), "-d", self.db], env) for i in range(runs)]
        ours = [run(self.refnet("db", "backup", path("plain", i)), env) for i in range(runs)]
        self.record("db backup", "backup", ours, base, "baseline: pg_dump -Fc")
        ours = [run(self.refnet("db", "backup", "--encrypt", path("sealed", i)), env) for i in range(runs)]
        self.record("db backup --encrypt", "backup", ours, base,
                    "baseline: pg_dump -Fc (not encrypted); Argon2id moderate included")

    def machine(self):
        server = self.value("SHOW server_version", db="postgres").split()[0]
        return f"{super().machine()}; PostgreSQL {server}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=20000)
    parser.add_argument("--referrals", type=int, default=1000000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each report and stream (median)")
    parser.add_argument("--single-runs", type=int, default=11, help="runs of each single command")
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--refnet", default=os.path.join(ROOT, "build", "release", "refnet"))
    parser.add_argument("--sqlite3", default=shutil.which("sqlite3") or "sqlite3")
    parser.add_argument("--csv", default="bench.csv", help="where the table goes as CSV")
    parser.add_argument("--work", default=None, help="scratch folder (default: the system's)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (and databases)")
    parser.add_argument("--postgresql", action="store_true",
                        help="on PostgreSQL (the server PGHOST/PGPORT/PGUSER name), against psql")
    parser.add_argument("--check", action="store_true", help="CI: one small pass, exit 0 if it all ran")
    args = parser.parse_args()
    if args.check:
        args.runs = args.single_runs = args.import_runs = 1
    bench = (PostgresBench if args.postgresql else Bench)(args)
    try:
        print(f"bench: {bench.machine()}", file=sys.stderr)
        bench.make_data()
        bench.single_commands()
        bench.reports()
        bench.reports(past=True)
        bench.digest()
        bench.searches()
        bench.streams()
        bench.import_referrals()
        bench.backups()
    finally:
        bench.cleanup()
    print(f"# {bench.machine()}")
    print(f"# {args.contacts} contacts, {args.referrals} referrals; median of {args.runs} runs "
          f"({args.single_runs} for single commands, {args.import_runs} for import)")
    bench.print_table()
    bench.write_csv(args.csv)
    print(f"# written to {args.csv}")


if __name__ == "__main__":
    main()
