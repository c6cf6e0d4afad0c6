"""Concurrency: the cron report, a shell loop and the user at the terminal on one database at once.
Writers wait for the lock up to database.busy_timeout, then fail with exit 75 and a clear message;
nothing is lost, no command fails with raw SQLite text, and readers always get whole output.

On PostgreSQL the write lock is an advisory lock every writer takes first (README "A practice on
PostgreSQL"); another program holds it here as a long write by another refnet would."""

import json
import os
import sqlite3
import subprocess
import threading
import time
import unittest

from refnet_e2e import BIN, POSTGRES, RefnetCase, _pg_connect, _pg_sql, sqlite_only

# refnet's write lock on PostgreSQL: pg_advisory_xact_lock with refnet's application id as key.
PG_WRITE_LOCK = 1380339284

# Each writer runs this many commands one after another, all four writers at once.
WRITES_PER_WRITER = 25


class PgLockHolder:
    """A psycopg2 session used as the tests use a sqlite3 connection: execute() with ?
    parameters, close()."""

    def __init__(self, database):
        self.conn = _pg_connect(database)

    def execute(self, sql, params=()):
        with self.conn.cursor() as cursor:
            cursor.execute(*_pg_sql(sql, params))

    def close(self):
        self.conn.close()


class ConcurrencyCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()

    def set_busy_timeout(self, text):
        self.write_config(f'[database]\nbusy_timeout = "{text}"\n')

    def environment(self):
        return dict(self.env)

    def start(self, *args):
        return subprocess.Popen([BIN, *args], env=self.environment(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def hold_write_lock(self):
        """A connection that holds the write lock in an open transaction, as a long write by
        another program does: on SQLite a sqlite3 connection (BEGIN IMMEDIATE), on PostgreSQL a
        psycopg2 session holding refnet's advisory lock. COMMIT or ROLLBACK releases it."""
        if POSTGRES:
            holder = PgLockHolder(self.pg_database)
            self.addCleanup(holder.close)
            holder.execute("BEGIN")
            holder.execute(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
            return holder
        holder = sqlite3.connect(self.db, isolation_level=None, timeout=0)
        holder.execute("BEGIN IMMEDIATE")
        self.addCleanup(holder.close)
        return holder

    def wait_until_waiting(self, writers):
        """Gives `writers` started refnets time to queue behind the held lock. On PostgreSQL the
        server shows them waiting for the advisory lock (polled, with a deadline); SQLite's
        busy handler shows nothing, so half a second there."""
        if not POSTGRES:
            time.sleep(0.5)
            return
        deadline = time.monotonic() + 30
        while True:
            waiting = self.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                 "AND objid = ? AND NOT granted AND database = "
                                 "(SELECT oid FROM pg_database WHERE datname = current_database())",
                                 PG_WRITE_LOCK)[0][0]
            if waiting >= writers or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        self.assertEqual(waiting, writers, "refnets waiting for the write lock")

    def hold_write_lock_in_rollback_mode(self):
        """The write lock, held with SQLite's rollback journal: as `refnet demo` fills a file it
        has to itself. Switching to WAL, as every refnet command does on opening, then needs the
        file alone, and SQLite gives up at once instead of waiting."""
        holder = sqlite3.connect(self.db, isolation_level=None, timeout=0)
        self.addCleanup(holder.close)
        self.assertEqual(holder.execute("PRAGMA journal_mode = DELETE").fetchone(), ("delete",))
        holder.execute("BEGIN IMMEDIATE")
        return holder

    def assert_clear_lock_error(self, result):
        self.assertEqual(result.code, 75, result)
        self.assertEqual(result.out, "")
        lines = result.err.splitlines()
        locked = ("refnet: the database stayed locked by another refnet" if POSTGRES else
                  "refnet: the database is locked by another refnet or sqlite3 process")
        self.assertEqual(lines[0], locked, result)
        self.assertTrue(lines[1].startswith("hint: ") and "database.busy_timeout" in lines[1], result)
        self.assertEqual(len(lines), 2, result)


class ParallelWriters(ConcurrencyCase):
    def run_loop(self, name, commands, results):
        """Runs each command in turn and records (name, args, exit status, stdout, stderr)."""
        for args in commands:
            proc = subprocess.run([BIN, *args], env=self.environment(), capture_output=True,
                                  timeout=120)
            results.append((name, args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                            proc.stderr.decode("utf-8", "replace")))

    def test_four_writers_and_a_reader_lose_nothing(self):
        n = WRITES_PER_WRITER
        # A realistic timeout: long enough for the others' short writes, as the default 5s is.
        self.set_busy_timeout("10s")
        self.add("Bea Referrer", "--npi", "1234567893")
        self.add("Cal Caller")
        self.add("Dee Acked")
        path = os.path.join(self.home, "to-ack.csv")
        with open(path, "w") as f:
            f.write("direction,contact,patient,referred\n")
            for i in range(n):
                f.write(f"in,Dee Acked,D-{i},2026-11-20T09:00:00Z\n")
        self.ok("import", "referrals", path)
        to_ack = [r["id"] for r in self.rows("list", "referrals", "--contact", "Dee Acked")]
        self.assertEqual(len(to_ack), n)
        audit_before = self.query("SELECT count(*) FROM audit")[0][0]

        writers = {
            "add": [("add", f"Writer Contact {i}", "--city", "Springfield") for i in range(n)],
            "refer": [("refer", "--from", "1234567893", "--patient", f"B-{i}") for i in range(n)],
            "followup": [("followup", "Cal Caller", "--via", "call", "--note", f"C-{i}")
                         for i in range(n)],
            "ack": [("ack", str(i), "--note", f"acked {i}") for i in to_ack],
        }
        results = {name: [] for name in writers}
        threads = [threading.Thread(target=self.run_loop, args=(name, commands, results[name]))
                   for name, commands in writers.items()]
        readings = []
        done = threading.Event()

        def reader():
            reads = [("report", "overdue", "--format", "json"),
                     ("list", "referrals", "--format", "json")]
            i = 0
            while not done.is_set() or i < 4:
                self.run_loop("reader", [reads[i % 2]], readings)
                i += 1

        reader_thread = threading.Thread(target=reader)
        started = time.monotonic()
        reader_thread.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done.set()
        reader_thread.join()
        elapsed = time.monotonic() - started

        everything = [r for name in writers for r in results[name]] + readings
        failed = [r for r in everything if r[2] != 0]
        self.assertEqual(failed, [], "no command may fail")
        for _, args, _, out, err in everything:
            self.assertNotIn("SQLITE", err.upper().replace("SQLITE3 PROCESS", ""), args)
        for _, args, _, out, _ in readings:
            rows = json.loads(out)  # whole output, never cut off or mixed
            self.assertIsInstance(rows, list, args)
        self.assertEqual(sum(len(results[name]) for name in writers), 4 * n)

        # Every write is there, once.
        q = self.query
        self.assertEqual(q("SELECT count(*) FROM contact WHERE name LIKE 'Writer Contact %'")[0][0], n)
        self.assertEqual(q("SELECT count(DISTINCT city) FROM contact WHERE name LIKE 'Writer%'"),
                         [(1,)])
        self.assertEqual(q("SELECT count(*) FROM referral WHERE patient LIKE 'B-%'")[0][0], n)
        self.assertEqual(q("SELECT count(*) FROM touchpoint WHERE note LIKE 'C-%'")[0][0], n)
        self.assertEqual(q("SELECT count(*) FROM referral WHERE patient LIKE 'D-%' "
                           "AND status = 'acknowledged' AND note LIKE 'acked %'")[0][0], n)
        # add: 1 row; refer --from: the referral and its thank-you plan; followup: 1 row (and one
        # for the thank-you plans it satisfies: none here, Cal has none); ack: 1 row.
        audit_rows = q("SELECT count(*) FROM audit")[0][0] - audit_before
        self.assertEqual(audit_rows, n + 2 * n + n + n)
        check = self.rows("db", "check")
        self.assertTrue(all(r["ok"] for r in check), check)
        print(f"\n  {4 * n} writes by 4 writers and {len(readings)} reads in {elapsed:.1f}s",
              end=" ")


class BusyTimeout(ConcurrencyCase):
    def setUp(self):
        super().setUp()
        self.ann = self.add("Ann Lee")
        self.referral = self.refer("--from", "Ann", "--patient", "P-1")

    # Each command reads before it writes (resolving a contact or a referral) except add.
    WRITERS = [
        ("add", "Bob Stone"),
        ("edit", "Ann", "--city", "Boston"),
        ("followup", "Ann", "--via", "call"),
        ("refer", "--to", "Ann", "--patient", "P-2"),
        ("ack", "1"),
        ("event", "CME", "--kind", "cme", "--date", "2026-11-01", "--met", "Ann"),
    ]

    def assert_each_gives_up_after_300ms(self, commands):
        """Each command waits out a busy timeout of 300ms, then fails with exit 75."""
        for args in commands:
            with self.subTest(args=args):
                started = time.monotonic()
                result = self.run_refnet(*args)
                waited = time.monotonic() - started
                self.assert_clear_lock_error(result)
                self.assertGreaterEqual(waited, 0.3, "it waited for the busy timeout first")
                self.assertLess(waited, 10)

    def test_a_writer_gives_up_after_the_busy_timeout_with_exit_75(self):
        self.set_busy_timeout("300ms")
        before = self.dump()
        self.hold_write_lock()
        self.assert_each_gives_up_after_300ms(self.WRITERS)
        self.assertEqual(self.dump(), before)

    @sqlite_only("SQLite's rollback journal: switching the file to WAL needs it alone")
    def test_every_writer_gives_up_after_the_busy_timeout_on_a_rollback_mode_writer(self):
        self.set_busy_timeout("300ms")
        before = self.dump()
        holder = self.hold_write_lock_in_rollback_mode()
        self.assert_each_gives_up_after_300ms(self.WRITERS[:2])
        # A command that only reads takes the file as it is (refnet(1) FILES): it
        # reads what was committed, without waiting and without switching it to WAL. That it
        # succeeds is the proof: the holder never lets go, so a wait would end in exit 75 after
        # the busy timeout (a wall-clock bound failed under ASan on a slow machine: 3.2 s).
        for args in (("list", "contacts"), ("report", "summary")):
            with self.subTest(args=args):
                self.ok(*args)
        holder.execute("ROLLBACK")
        holder.close()
        self.assertEqual(self.dump(), before)
        self.assertEqual(self.query("PRAGMA journal_mode"), [("delete",)])

    def writer_waits_then_sees_the_holders_row(self, holder, before_commit=None):
        """The holder adds "Holder" and keeps the lock; `edit Holder` waits for it and then
        finds the row the holder committed meanwhile, which no reader saw before."""
        holder.execute("INSERT INTO contact (id, name, role, created_at) "
                       "VALUES (100, 'Holder', 'other', '2026-11-27T09:00:00Z')")
        listed = self.ok("--format", "json", "list", "contacts").json()
        self.assertEqual([c["name"] for c in listed], ["Ann Lee"])
        proc = self.start("--format", "json", "edit", "Holder", "--city", "Boston")
        self.wait_until_waiting(1)
        waiting = proc.poll() is None
        if before_commit:
            before_commit()
        holder.execute("COMMIT")
        holder.close()
        out, err = proc.communicate(timeout=60)
        self.assertTrue(waiting, f"refnet waits while the lock is held: {err.decode()}")
        self.assertEqual(proc.returncode, 0, err.decode())
        self.assertEqual(json.loads(out)["city"], "Boston")
        self.assertEqual(self.query("SELECT city FROM contact WHERE id = 100"), [("Boston",)])

    def test_a_writer_that_waited_sees_what_the_holder_committed(self):
        # The write lock comes first, then the reads (on PostgreSQL each statement after the
        # lock sees the latest commits, READ COMMITTED).
        self.set_busy_timeout("20s")
        self.writer_waits_then_sees_the_holders_row(self.hold_write_lock())

    @sqlite_only("SQLite's rollback journal and its switch to WAL")
    def test_a_writer_waits_for_a_rollback_mode_writer_then_sees_its_rows(self):
        self.set_busy_timeout("20s")
        holder = self.hold_write_lock_in_rollback_mode()
        # The commit needs the file to itself, and refnet, waiting, takes a shared lock for a
        # moment each time it tries again: the holder waits those out rather than failing.
        self.writer_waits_then_sees_the_holders_row(
            holder, lambda: holder.execute("PRAGMA busy_timeout = 10000"))
        self.assertEqual(self.query("PRAGMA journal_mode"), [("wal",)])

    def test_a_writer_waits_for_a_lock_shorter_than_the_busy_timeout(self):
        # A reading command must not keep a read snapshot open while it waits for the write lock:
        # SQLite does not wait (busy handler) for a connection that holds one, and once the
        # holder commits, the snapshot is stale (SQLITE_BUSY_SNAPSHOT).
        self.set_busy_timeout("20s")
        for i, args in enumerate(self.WRITERS):
            with self.subTest(args=args):
                holder = self.hold_write_lock()
                try:
                    holder.execute("INSERT INTO contact (id, name, role, created_at) "
                                   "VALUES (?, ?, 'other', '2026-11-27T09:00:00Z')",
                                   (1000 + 10 * i, f"Holder {i}"))
                    proc = self.start(*args)
                    self.wait_until_waiting(1)
                    waiting = proc.poll() is None
                    holder.execute("COMMIT")
                finally:
                    holder.close()
                out, err = proc.communicate(timeout=60)
                self.assertTrue(waiting, f"refnet waits while the lock is held: {err.decode()}")
                self.assertEqual(proc.returncode, 0, err.decode())
        self.assertEqual(len(self.query("SELECT id FROM contact WHERE name LIKE 'Holder %'")),
                         len(self.WRITERS))

    def test_a_reader_is_not_blocked_by_a_writer(self):
        self.set_busy_timeout("100ms")
        holder = self.hold_write_lock()
        # The holder has changed rows it has not committed: readers neither wait for them (row
        # locks on PostgreSQL) nor see them.
        holder.execute("UPDATE contact SET city = 'Holdville'")
        holder.execute("UPDATE referral SET note = 'held'")
        contacts = self.rows("list", "contacts")
        self.assertEqual([(r["name"], r["city"]) for r in contacts], [("Ann Lee", None)])
        self.ok("report", "overdue")
        self.assertNotIn("held", self.ok("export", "referrals").out)

    def test_a_decision_is_made_under_the_write_lock(self):
        # Two `ack`s of one referral queue behind a third writer: the first acknowledges it, the
        # second must see that and refuse, not acknowledge it again over the first.
        self.set_busy_timeout("20s")
        holder = self.hold_write_lock()
        first = self.start("ack", str(self.referral), "--note", "first")
        second = self.start("ack", str(self.referral), "--note", "second")
        self.wait_until_waiting(2)
        holder.execute("COMMIT")
        outcomes = sorted(p.wait(timeout=60) for p in (first, second))
        for p in (first, second):
            p.stdout.close()
            p.stderr.close()
        self.assertEqual(outcomes, [0, 65])
        acks = self.query("SELECT count(*) FROM audit WHERE action = 'ack'")[0][0]
        self.assertEqual(acks, 1)


class TwoDemos(ConcurrencyCase):
    def test_two_demos_started_at_once_fill_the_database_once(self):
        self.set_busy_timeout("20s")
        holder = self.hold_write_lock()
        demos = [self.start("demo", "--contacts", "5", "--referrals", "20", "--seed", str(seed))
                 for seed in (1, 2)]
        self.wait_until_waiting(2)
        holder.execute("COMMIT")
        outcomes = []
        for proc in demos:
            out, err = proc.communicate(timeout=60)
            outcomes.append((proc.returncode, err.decode()))
        self.assertEqual(sorted(code for code, _ in outcomes), [0, 65], outcomes)
        self.assertIn("already holds contacts", [err for code, err in outcomes if code == 65][0])
        self.assertEqual(self.query("SELECT count(*) FROM contact")[0][0], 5)
        self.assertEqual(self.query("SELECT count(*) FROM audit WHERE action = 'demo'"), [(1,)])


if __name__ == "__main__":
    unittest.main()
