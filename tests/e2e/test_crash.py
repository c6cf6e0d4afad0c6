"""Crashes: refnet killed (SIGKILL) at random moments while it imports a large file or builds the
demo network. After every kill the database passes `refnet db check` and holds all of the work or
none of it: an import and a demo are each one transaction. The write lock dies with the process:
the next writer gets through at once.

On PostgreSQL the kill leaves the server a transaction whose client is gone: it must roll it back,
end the client's backend and release the write lock (an advisory lock) by itself."""

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

from refnet_e2e import BIN, POSTGRES, RefnetCase, _pg_admin, _pg_connect

KILLS = 15          # per command; seeded, so a failure can be replayed
SEED = 20261127
IMPORT_LINES = 3000
# refnet's write lock on PostgreSQL: pg_advisory_xact_lock with refnet's application id as key.
PG_WRITE_LOCK = 1380339284
# How long the server may take to notice a killed client and clean up after it.
SETTLE_SECONDS = 10


def sidecars(path):
    return [path + suffix for suffix in ("", "-wal", "-shm", "-journal")]


class CrashCase(RefnetCase):
    def launch(self, *args):
        # A run killed at a random moment may be killed while LeakSanitizer (asan preset) checks
        # it at exit, and leaves a half-written report ("Unable to get registers from thread")
        # that is no finding: leaks are checked on the runs that end, every other one here.
        env = dict(self.env)
        for name in ("ASAN_OPTIONS", "LSAN_OPTIONS"):
            env[name] = f"{env[name]}:detect_leaks=0" if env.get(name) else "detect_leaks=0"
        return subprocess.Popen([BIN, *args], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    def timed(self, *args):
        """Runs a command to the end; returns how long it took."""
        started = time.monotonic()
        self.ok(*args)
        return time.monotonic() - started

    def kill_at(self, delay, *args):
        """Starts refnet, kills it with SIGKILL after `delay` seconds (if it is still running);
        returns whether the kill hit a running process."""
        proc = self.launch(*args)
        time.sleep(delay)
        hit = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return hit and proc.returncode == -signal.SIGKILL

    def assert_sound(self, *db):
        check = self.rows(*db, "db", "check")
        self.assertTrue(all(r["ok"] for r in check), check)

    def assert_settled(self, database):
        """On PostgreSQL: the server has noticed the killed client, rolled back or finished its
        transaction and ended its backend, and nobody holds refnet's write lock on `database`.
        Polled until a deadline, as the server cleans up on its own time; nothing on SQLite,
        whose locks the kernel drops with the process. Returns whether the server was still
        at it when first asked (for the summary: the kills left it work)."""
        if not POSTGRES:
            return False
        deadline = time.monotonic() + SETTLE_SECONDS
        first = None
        with contextlib.closing(_pg_connect()) as conn, conn.cursor() as cursor:
            while True:
                cursor.execute(
                    "SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = %s),"
                    " (SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                    "  WHERE d.datname = %s AND l.locktype = 'advisory' AND l.objid = %s)",
                    (database, database, PG_WRITE_LOCK))
                backends, locks = cursor.fetchone()
                first = (backends, locks) if first is None else first
                if (backends, locks) == (0, 0) or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
        self.assertEqual((backends, locks), (0, 0),
                         "backends left on the database, holders of the write lock")
        return first != (0, 0)

    def quick_config(self):
        """A config whose writers give up on a held lock after 100ms (exit 75)."""
        return self.write_file("quick.toml", '[database]\nbusy_timeout = "100ms"\n')


class KilledImport(CrashCase):
    def keep_pristine(self):
        """Keeps the database as it is now; returns a function that puts it back."""
        if POSTGRES:
            pristine = f"{self.pg_database}_pristine"
            _pg_admin(f'CREATE DATABASE "{pristine}" TEMPLATE "{self.pg_database}"')
            self.addCleanup(_pg_admin, f'DROP DATABASE IF EXISTS "{pristine}"')

            def restore():
                # Without FORCE: a backend left behind would make this fail, not vanish.
                _pg_admin(f'DROP DATABASE "{self.pg_database}"')
                _pg_admin(f'CREATE DATABASE "{self.pg_database}" TEMPLATE "{pristine}"')
            return restore
        pristine = os.path.join(self.home, "pristine.db")
        shutil.copy(self.db, pristine)

        def restore():
            for file in sidecars(self.db):
                if os.path.exists(file):
                    os.remove(file)
            shutil.copy(pristine, self.db)
        return restore

    def test_an_import_killed_at_any_moment_leaves_all_or_nothing(self):
        self.init()
        self.add("Ann Lee", "--npi", "1234567893")
        self.add("Bob Stone")
        path = os.path.join(self.home, "referrals.csv")
        with open(path, "w") as f:
            f.write("direction,contact_npi,contact,patient,reason,referred,urgency,status\n")
            for i in range(IMPORT_LINES):
                who = ("1234567893", "") if i % 2 else ("", "Bob Stone")
                f.write(f"{'in' if i % 3 else 'out'},{who[0]},{who[1]},MRN-{i:05d},"
                        f"\"knee, line {i}\",2026-{1 + i % 10:02d}-{1 + i % 28:02d}T10:00:00Z,"
                        f"{('routine', 'urgent', 'emergent')[i % 3]},{('new', 'seen', 'closed')[i % 3]}\n")
        restore = self.keep_pristine()
        before = self.dump()
        quick = self.quick_config()

        duration = self.timed("import", "referrals", path)
        self.assertEqual(self.query("SELECT count(*) FROM referral")[0][0], IMPORT_LINES)
        full = self.dump()
        restore()  # a second whole run: the quicker one sets the kill window
        duration = min(duration, self.timed("import", "referrals", path))

        rng = random.Random(SEED)
        outcomes = {"none": 0, "all": 0}
        hits = unsettled = 0
        dirty = True  # the second whole run
        for kill in range(KILLS):
            # Each attempt starts from the database without the import. A server's database
            # that a kill left as it was (its dump equal to before) needs no new copy.
            if dirty or not POSTGRES:
                restore()
            delay = rng.uniform(0, duration * 1.1)
            with self.subTest(kill=kill, delay=delay):
                dirty = True
                hits += self.kill_at(delay, "import", "referrals", path)
                unsettled += self.assert_settled(getattr(self, "pg_database", None))
                self.assert_sound()
                count = self.query("SELECT count(*) FROM referral")[0][0]
                audited = self.query("SELECT count(*) FROM audit WHERE action = 'import'")[0][0]
                self.assertIn((count, audited), [(0, 0), (IMPORT_LINES, 1)])
                if count == 0:
                    outcomes["none"] += 1
                    self.assertEqual(self.dump(), before)
                else:
                    outcomes["all"] += 1
                    self.assertEqual(self.dump(), full)
                # The next writer takes the lock at once: the ack of a referral that does not
                # exist is refused under it (65), not after waiting out the busy timeout (75).
                probe = self.fails(65, "--config", quick, "ack", "999999")
                self.assertIn("no referral #999999", probe.err)
                dirty = count != 0
        self.assertGreaterEqual(hits, KILLS // 3, "kills hit a running import")
        print(f"\n  {KILLS} kills ({hits} mid-run): {outcomes['none']} left nothing, "
              f"{outcomes['all']} the whole file; import took {duration:.2f}s"
              + (f"; the server was still cleaning up after {unsettled}" if POSTGRES else ""),
              end=" ")


class KilledDemo(CrashCase):
    TABLES = ("contact", "event", "referral", "touchpoint", "audit")

    def new_database(self, name):
        """A place for a database of its own, as `--db` takes it: a file not yet made on SQLite,
        an empty database on PostgreSQL. Returns (location, database name or file path)."""
        if POSTGRES:
            database = f"{self.pg_database}_{name.replace('-', '_')}"
            _pg_admin(f'CREATE DATABASE "{database}"')
            self.addCleanup(_pg_admin, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            return f"postgresql:///{database}", database
        path = os.path.join(self.home, "demos", f"{name}.db")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path, path

    def has_schema(self, db):
        """Whether refnet made its tables there; on PostgreSQL all of them or none (init is one
        transaction)."""
        if not POSTGRES:
            return os.path.exists(db)
        with contextlib.closing(_pg_connect(db)) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT count(*), count(*) FILTER (WHERE tablename = 'refnet_meta')"
                           " FROM pg_tables WHERE schemaname = 'public'")
            tables, meta = cursor.fetchone()
        self.assertIn((tables > 0, meta), [(False, 0), (True, 1)], "a schema made in part")
        return tables > 0

    def counts(self, db):
        if POSTGRES:
            with contextlib.closing(_pg_connect(db)) as conn, conn.cursor() as cursor:
                result = {}
                for t in self.TABLES:
                    cursor.execute(f"SELECT count(*) FROM {t}")
                    result[t] = cursor.fetchone()[0]
                return result
        conn = sqlite3.connect(db)
        try:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in self.TABLES}
        finally:
            conn.close()

    def test_a_demo_killed_at_any_moment_leaves_a_whole_network_or_none(self):
        # The kill window is the quickest of three whole runs: one slow run (a busy machine)
        # would put most kills after the end.
        durations = []
        for run in range(3):
            location, complete_db = self.new_database(f"complete-{run}")
            started = time.monotonic()
            summary = self.ok("--db", location, "--format", "json", "demo", "--seed", "7").json()
            durations.append(time.monotonic() - started)
        duration = min(durations)
        complete = self.counts(complete_db)
        self.assertEqual(complete["contact"], summary["contacts"])
        self.assertEqual(complete["referral"], summary["referrals"])
        self.assertEqual(complete["audit"], 1)
        quick = self.quick_config()

        rng = random.Random(SEED + 1)
        outcomes = {"absent": 0, "empty": 0, "complete": 0}
        hits = unsettled = 0
        for kill in range(KILLS):
            location, db = self.new_database(f"killed-{kill}")
            delay = rng.uniform(0, duration * 1.1)
            with self.subTest(kill=kill, delay=delay):
                hits += self.kill_at(delay, "--db", location, "demo", "--seed", "7")
                unsettled += self.assert_settled(db if POSTGRES else None)
                if not self.has_schema(db):
                    outcomes["absent"] += 1
                    whole = False
                else:
                    # Killed between two steps of making the schema (each its own transaction),
                    # the file is whole at an earlier version, which db check checks only once
                    # db migrate has brought it up (it never migrates itself).
                    check = self.run_refnet("--db", location, "db", "check")
                    if check.code == 65 and "this refnet reads version" in check.err:
                        self.ok("--db", location, "db", "migrate")
                    self.assert_sound("--db", location)
                    counts = self.counts(db)
                    whole = counts["contact"] != 0
                    if whole:
                        outcomes["complete"] += 1
                        self.assertEqual(counts, complete)
                    else:
                        outcomes["empty"] += 1
                        self.assertEqual(counts, dict.fromkeys(counts, 0))
                # The next demo takes the lock at once (it would give up after 100ms): it
                # completes a demo killed before it finished, and refuses to fill a whole one.
                if whole:
                    self.fails(65, "--config", quick, "--db", location, "demo", "--seed", "7")
                else:
                    self.ok("--config", quick, "--db", location, "demo", "--seed", "7")
                self.assertEqual(self.counts(db), complete)
        self.assertGreaterEqual(hits, KILLS // 3, "kills hit a running demo")
        print(f"\n  {KILLS} kills ({hits} mid-run): {outcomes['absent']} before the database "
              f"existed, {outcomes['empty']} left an empty database, {outcomes['complete']} a "
              f"whole network; demo took {duration:.2f}s"
              + (f"; the server was still cleaning up after {unsettled}" if POSTGRES else ""),
              end=" ")


if __name__ == "__main__":
    unittest.main()
