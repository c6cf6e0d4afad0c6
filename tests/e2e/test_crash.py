"""Crashes: refnet killed (SIGKILL) at random moments while it imports a large file or builds the
demo network. After every kill the database passes `refnet db check` and holds all of the work or
none of it: an import and a demo are each one transaction."""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

from refnet_e2e import BIN, RefnetCase

KILLS = 15          # per command; seeded, so a failure can be replayed
SEED = 20261127
IMPORT_LINES = 3000


def sidecars(path):
    return [path + suffix for suffix in ("", "-wal", "-shm", "-journal")]


class CrashCase(RefnetCase):
    def launch(self, *args):
        return subprocess.Popen([BIN, *args], env=self.env, stdout=subprocess.DEVNULL,
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


class KilledImport(CrashCase):
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
        pristine = os.path.join(self.home, "pristine.db")
        shutil.copy(self.db, pristine)
        before = self.dump()

        duration = self.timed("import", "referrals", path)
        self.assertEqual(self.query("SELECT count(*) FROM referral")[0][0], IMPORT_LINES)
        full = self.dump()
        for file in sidecars(self.db):  # a second whole run: the quicker one sets the kill window
            if os.path.exists(file):
                os.remove(file)
        shutil.copy(pristine, self.db)
        duration = min(duration, self.timed("import", "referrals", path))

        rng = random.Random(SEED)
        outcomes = {"none": 0, "all": 0}
        hits = 0
        for kill in range(KILLS):
            # Start each attempt from the database without the import.
            for file in sidecars(self.db):
                if os.path.exists(file):
                    os.remove(file)
            shutil.copy(pristine, self.db)
            delay = rng.uniform(0, duration * 1.1)
            with self.subTest(kill=kill, delay=delay):
                hits += self.kill_at(delay, "import", "referrals", path)
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
        self.assertGreaterEqual(hits, KILLS // 3, "kills hit a running import")
        print(f"\n  {KILLS} kills ({hits} mid-run): {outcomes['none']} left nothing, "
              f"{outcomes['all']} the whole file; import took {duration:.2f}s", end=" ")


class KilledDemo(CrashCase):
    def counts(self, db):
        tables = ("contact", "event", "referral", "touchpoint", "audit")
        conn = sqlite3.connect(db)
        try:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        finally:
            conn.close()

    def test_a_demo_killed_at_any_moment_leaves_a_whole_network_or_none(self):
        folder = os.path.join(self.home, "demos")
        os.mkdir(folder)
        # The kill window is the quickest of three whole runs: one slow run (a busy machine)
        # would put most kills after the end.
        durations = []
        for run in range(3):
            complete_db = os.path.join(folder, f"complete-{run}.db")
            started = time.monotonic()
            summary = self.ok("--db", complete_db, "--format", "json", "demo", "--seed", "7").json()
            durations.append(time.monotonic() - started)
        duration = min(durations)
        complete = self.counts(complete_db)
        self.assertEqual(complete["contact"], summary["contacts"])
        self.assertEqual(complete["referral"], summary["referrals"])
        self.assertEqual(complete["audit"], 1)

        rng = random.Random(SEED + 1)
        outcomes = {"absent": 0, "empty": 0, "complete": 0}
        hits = 0
        for kill in range(KILLS):
            db = os.path.join(folder, f"killed-{kill}.db")
            delay = rng.uniform(0, duration * 1.1)
            with self.subTest(kill=kill, delay=delay):
                hits += self.kill_at(delay, "--db", db, "demo", "--seed", "7")
                if not os.path.exists(db):
                    outcomes["absent"] += 1
                    continue
                self.assert_sound("--db", db)
                counts = self.counts(db)
                if counts["contact"] == 0:
                    outcomes["empty"] += 1
                    self.assertEqual(counts, dict.fromkeys(counts, 0))
                    # A demo killed before it finished can be run again, and completes.
                    self.ok("--db", db, "demo", "--seed", "7")
                    self.assertEqual(self.counts(db), complete)
                else:
                    outcomes["complete"] += 1
                    self.assertEqual(counts, complete)
        self.assertGreaterEqual(hits, KILLS // 3, "kills hit a running demo")
        print(f"\n  {KILLS} kills ({hits} mid-run): {outcomes['absent']} before the file existed, "
              f"{outcomes['empty']} left an empty database, {outcomes['complete']} a whole network; "
              f"demo took {duration:.2f}s", end=" ")


if __name__ == "__main__":
    unittest.main()
