"""Shared harness for the end-to-end suites: the real refnet binary in a scratch HOME."""

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

BIN = os.environ.get("REFNET_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "dev", "refnet")
SOURCE_DIR = os.environ.get("REFNET_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")

# A Friday morning, so business-day rules have a weekend ahead.
NOW = "2026-11-27T09:00:00Z"


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def csv(self, delimiter=","):
        return list(csv.DictReader(io.StringIO(self.out, newline=""), delimiter=delimiter))

    def __repr__(self):
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


class RefnetCase(unittest.TestCase):
    """Each test gets its own HOME, config folder and database; the clock is fixed."""

    now = NOW

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="refnet-e2e-")
        self.addCleanup(shutil.rmtree, self.home, True)
        self.db = os.path.join(self.home, ".local", "share", "refnet", "refnet.db")
        self.env = {
            "HOME": self.home,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "REFNET_NOW": self.now,
        }

    def run_refnet(self, *args, env=None, input=None, now=None):
        environment = dict(self.env)
        if now is not None:
            environment["REFNET_NOW"] = now
        if env:
            for key, value in env.items():
                if value is None:
                    environment.pop(key, None)
                else:
                    environment[key] = value
        proc = subprocess.run([BIN, *args], env=environment, input=input, capture_output=True,
                              text=True, timeout=60)
        return Result(proc)

    def ok(self, *args, **kwargs):
        result = self.run_refnet(*args, **kwargs)
        self.assertEqual(result.code, 0, f"refnet {' '.join(args)} failed: {result}")
        return result

    def fails(self, code, *args, **kwargs):
        result = self.run_refnet(*args, **kwargs)
        self.assertEqual(result.code, code, f"refnet {' '.join(args)}: {result}")
        self.assertTrue(result.err.startswith("refnet: "), f"stderr should say refnet: ...: {result}")
        return result

    def init(self):
        return self.ok("init")

    def dump(self):
        """The whole database as SQL text: equal dumps mean nothing changed."""
        if not os.path.exists(self.db):
            return None
        with sqlite3.connect(self.db) as conn:
            return "\n".join(conn.iterdump())

    def assertUnchanged(self, before, *args, code=None):
        """Runs a command that must be refused and checks that the database did not change."""
        result = self.run_refnet(*args)
        if code is not None:
            self.assertEqual(result.code, code, f"refnet {' '.join(args)}: {result}")
        else:
            self.assertNotEqual(result.code, 0, f"refnet {' '.join(args)}: {result}")
        self.assertEqual(self.dump(), before, f"refnet {' '.join(args)} changed the database")
        return result

    def add(self, name, *args):
        """Adds a contact and returns its id."""
        return self.ok("--format", "json", "add", name, *args).json()["id"]

    def refer(self, *args):
        return self.ok("--format", "json", "refer", *args).json()["id"]

    def query(self, sql, *params):
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql, params).fetchall()
