"""Shared harness for the end-to-end suites: the real refnet binary in a scratch HOME."""

import atexit
import contextlib
import csv
import io
import json
import os
import re
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

# REFNET_E2E_BACKEND=postgresql runs the suites against PostgreSQL: each test gets a database of
# its own on the server the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD) name, as
# pg_virtualenv sets them, and refnet finds it through REFNET_DB.
BACKEND = os.environ.get("REFNET_E2E_BACKEND", "sqlite")
POSTGRES = BACKEND == "postgresql"
PG_VARIABLES = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGPASSFILE", "PGSERVICE",
                "PGSERVICEFILE", "PGSSLMODE")


def sqlite_only(why):
    """Marks a test of what only the SQLite backend has (the file, its journal, sqlite3)."""
    return unittest.skipIf(POSTGRES, f"SQLite only: {why}")


def postgres_only(why):
    return unittest.skipUnless(POSTGRES, f"PostgreSQL only: {why}")


def _pg_connect(database="postgres"):
    import psycopg2  # python3-psycopg2, only where the suites run on PostgreSQL
    conn = psycopg2.connect(dbname=database)
    conn.autocommit = True
    return conn


def _pg_admin(sql):
    with contextlib.closing(_pg_connect()) as conn, conn.cursor() as cursor:
        cursor.execute(sql)


def _pg_sql(sql, params):
    """sqlite3's ? and numbered ?N parameters as psycopg2's %s and %(pN)s, with the parameters
    as psycopg2 takes them."""
    sql = sql.replace("%", "%%")
    if re.search(r"\?\d", sql):
        return re.sub(r"\?(\d+)", r"%(p\1)s", sql), {f"p{i}": v for i, v in enumerate(params, 1)}
    return sql.replace("?", "%s"), params


# Everything the public schema holds, one line per object, as the catalog and its pg_get_*def
# functions (the text pg_dump prints) describe it: relations with their kind and options, columns
# with type, collation, nullability, default and generation, constraints, indexes, triggers,
# functions, row-level policies and comments on tables and columns.
_PG_SCHEMA = """
SELECT * FROM (
  SELECT 'relation' AS kind, c.relname AS name, c.relkind::text || ' '
         || coalesce(array_to_string(c.reloptions, ','), '') || ' ' || c.relrowsecurity::text
         AS definition
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'column', c.relname || '.' || a.attname,
         a.attnum || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || coalesce(l.collname, '')
         || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
         || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
         || ' ' || a.attgenerated::text || a.attidentity::text
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_collation l ON l.oid = a.attcollation
   WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(r.oid)
    FROM pg_constraint r JOIN pg_namespace n ON n.oid = r.connamespace
   WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL
  SELECT 'trigger', tgrelid::regclass::text || '.' || tgname, pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND NOT t.tgisinternal
  UNION ALL
  SELECT 'function', p.oid::regprocedure::text, pg_get_functiondef(p.oid)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'policy', tablename || '.' || policyname, cmd || ' ' || coalesce(qual, '') || ' '
         || coalesce(with_check, '')
    FROM pg_policies WHERE schemaname = 'public'
  UNION ALL
  SELECT 'comment', c.relname || ' ' || d.objsubid, d.description
    FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public'
) AS objects ORDER BY kind, name, definition
"""


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
        self.location = self.db  # what refnet names the database by (db path)
        if POSTGRES:
            self.use_postgres()
        self.collect_sanitizer_reports()

    def use_postgres(self):
        """A new, empty database of this test's own, dropped after it (called again, another)."""
        self.pg_count = getattr(self, "pg_count", 0) + 1
        self.pg_database = "e2e_" + os.path.basename(self.home).replace("-", "_").lower()
        if self.pg_count > 1:
            self.pg_database += f"_{self.pg_count}"
        _pg_admin(f'CREATE DATABASE "{self.pg_database}"')
        self.addCleanup(_pg_admin, f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)')
        for name in PG_VARIABLES:
            if name in os.environ:
                self.env[name] = os.environ[name]
        self.env["REFNET_DB"] = f"postgresql:///{self.pg_database}"
        self.location = self.env["REFNET_DB"]

    def collect_sanitizer_reports(self):
        """Every refnet the test starts, however it is started (shells, a terminal), writes its
        AddressSanitizer, LeakSanitizer (asan preset) or ThreadSanitizer (tsan preset) report to
        a scratch folder instead of stderr; any report fails the test. Other builds ignore these
        variables."""
        folder = tempfile.mkdtemp(prefix="refnet-sanitizer-")
        self.addCleanup(shutil.rmtree, folder, True)
        log = os.path.join(folder, "report")
        for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"):
            options = os.environ.get(name)
            self.env[name] = f"{options}:log_path={log}" if options else f"log_path={log}"
        self.addCleanup(self.fail_on_sanitizer_reports, folder)

    def fail_on_sanitizer_reports(self, folder):
        reports = []
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                reports.append(f.read())
        if reports:
            self.fail("a sanitizer reported:\n" + "\n".join(reports))

    def run_refnet(self, *args, env=None, input=None, now=None, cwd=None):
        environment = dict(self.env)
        if now is not None:
            environment["REFNET_NOW"] = now
        if env:
            for key, value in env.items():
                if value is None:
                    environment.pop(key, None)
                else:
                    environment[key] = value
        # Bytes in and out, decoded here: text=True would turn every CR LF into LF, hiding what
        # csv quoting and the tsv/terminal escapes do with a carriage return.
        if isinstance(input, str):
            input = input.encode("utf-8")
        proc = subprocess.run([BIN, *args], env=environment, input=input, capture_output=True,
                              timeout=60, cwd=cwd)
        proc.stdout = proc.stdout.decode("utf-8", "surrogateescape")
        proc.stderr = proc.stderr.decode("utf-8", "surrogateescape")
        # GCC's UBSan ignores log_path and reports on stderr; a command expected to fail would
        # otherwise pass with its abort.
        self.assertNotIn(": runtime error: ", proc.stderr, f"UBSan reported in refnet {' '.join(args)}")
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

    def dump(self, without=()):
        """The whole database as SQL text: equal dumps mean nothing changed. On PostgreSQL,
        `without` names tables left out."""
        if POSTGRES:
            return self.dump_postgres(without)
        if not os.path.exists(self.db):
            return None
        with contextlib.closing(sqlite3.connect(self.db)) as conn:
            return "\n".join(conn.iterdump())

    def dump_postgres(self, without=()):
        """dump() on PostgreSQL: the schema as the server's catalog describes it, then every
        table's rows in the order of all their columns (the order rows lie in is the server's
        business, as a table without rowid orders SQLite's dump); None while the database holds
        no table. The catalog is read on the same connection: pg_dump took a third of a second a
        call, and the suites dump before and after each refused command."""
        with contextlib.closing(_pg_connect(self.pg_database)) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                           " ORDER BY tablename")
            tables = [row[0] for row in cursor.fetchall() if row[0] not in without]
            if not tables:
                return None
            cursor.execute(_PG_SCHEMA)
            schema = "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
            parts = []
            for table in tables:
                cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')
                columns = len(cursor.description)
                cursor.execute(f'SELECT * FROM "{table}" ORDER BY '
                               + ", ".join(str(i + 1) for i in range(columns)))
                parts.append(f"-- {table}\n" + "\n".join(
                    repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                    for row in cursor.fetchall()))
        return schema + "\n" + "\n".join(parts)

    def assertUnchanged(self, before, *args, code=None):
        """Runs a command that must be refused and checks that the database did not change."""
        result = self.run_refnet(*args)
        if code is not None:
            self.assertEqual(result.code, code, f"refnet {' '.join(args)}: {result}")
        else:
            self.assertNotEqual(result.code, 0, f"refnet {' '.join(args)}: {result}")
        self.assertEqual(self.dump(), before, f"refnet {' '.join(args)} changed the database")
        return result

    def add(self, name, *args, **kwargs):
        """Adds a contact and returns its id."""
        return self.ok("--format", "json", "add", name, *args, **kwargs).json()["id"]

    def refer(self, *args, **kwargs):
        return self.ok("--format", "json", "refer", *args, **kwargs).json()["id"]

    # sqlite3's `with connect(...)` commits but does not close: an open connection left behind
    # would keep the file from the next command (a demo then cannot take the rollback journal).
    def query(self, sql, *params):
        if POSTGRES:
            with contextlib.closing(_pg_connect(self.pg_database)) as conn, conn.cursor() as cursor:
                cursor.execute(*_pg_sql(sql, params))
                # A statement that returns no rows (UPDATE) has none to fetch.
                return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        with contextlib.closing(sqlite3.connect(self.db)) as conn, conn:
            return conn.execute(sql, params).fetchall()

    def query_dicts(self, sql, *params):
        """query() with each row a dict of column name to value."""
        if POSTGRES:
            with contextlib.closing(_pg_connect(self.pg_database)) as conn, conn.cursor() as cursor:
                cursor.execute(*_pg_sql(sql, params))
                names = [column.name for column in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]
        with contextlib.closing(sqlite3.connect(self.db)) as conn, conn:
            conn.row_factory = sqlite3.Row
            return [dict(row) for row in conn.execute(sql, params).fetchall()]

    def write_sql(self, *statements):
        """Changes the database behind refnet's back, as sqlite3, psql or another program can."""
        if POSTGRES:
            with contextlib.closing(_pg_connect(self.pg_database)) as conn, conn.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
            return
        with contextlib.closing(sqlite3.connect(self.db)) as conn, conn:
            for sql in statements:
                conn.execute(sql)

    # --- helpers added for the reading/output/admin suites ---

    def rows(self, *args, **kwargs):
        """Runs a listing with --format json and returns its rows (a list of dicts)."""
        result = self.ok(*args, "--format", "json", **kwargs)
        rows = result.json()
        self.assertIsInstance(rows, list, f"refnet {' '.join(args)} --format json: {result}")
        return rows

    def seed(self, build):
        """Gives this test a copy of the database build(self) makes, built once per test class.

        build runs in the first test's scratch HOME and must leave its database at self.db; what it
        returns (ids, names) is returned to every test. Later tests copy the file instead of
        re-running dozens of commands."""
        key = (type(self).__module__, type(self).__qualname__, build.__name__)
        if POSTGRES:
            return self.seed_postgres(key, build)
        if key not in _seeded:
            value = build(self)
            folder = tempfile.mkdtemp(prefix="refnet-seed-")
            atexit.register(shutil.rmtree, folder, True)
            copy = os.path.join(folder, "refnet.db")
            _copy_database(self.db, copy)
            _seeded[key] = (copy, value)
            return value
        copy, value = _seeded[key]
        os.makedirs(os.path.dirname(self.db), mode=0o700, exist_ok=True)
        _copy_database(copy, self.db)
        os.chmod(self.db, 0o600)
        return value

    def seed_postgres(self, key, build):
        """seed() on PostgreSQL: the first test's database is kept as a template for the others."""
        if key not in _seeded:
            value = build(self)
            template = f"{self.pg_database}_seed"
            _pg_admin(f'CREATE DATABASE "{template}" TEMPLATE "{self.pg_database}"')
            atexit.register(_pg_admin, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            _seeded[key] = (template, value)
            return value
        template, value = _seeded[key]
        _pg_admin(f'DROP DATABASE "{self.pg_database}"')
        _pg_admin(f'CREATE DATABASE "{self.pg_database}" TEMPLATE "{template}"')
        return value

    # --- helpers added for the mutating-command suites ---

    def audit(self):
        """The audit trail, oldest first, as parsed `refnet log --format json` rows."""
        result = self.ok("--format", "json", "log")
        return result.json()

    def refused(self, code, *args, says=(), **kwargs):
        """Runs a command that must fail with `code`: stderr starts with "refnet: " and contains
        every text in `says`, stdout stays empty, and the database (audit trail included) is
        exactly as before."""
        before = self.dump()
        result = self.fails(code, *args, **kwargs)
        self.assertEqual(result.out, "", f"refnet {' '.join(args)} printed to stdout: {result}")
        for text in ([says] if isinstance(says, str) else says):
            self.assertIn(text, result.err, f"refnet {' '.join(args)}: {result}")
        self.assertEqual(self.dump(), before, f"refnet {' '.join(args)} changed the database")
        return result

    def write_file(self, name, data):
        """Writes `data` (bytes as they are, text as UTF-8) to a file in the scratch HOME and
        returns its path."""
        path = os.path.join(self.home, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    def write_sqlite(self, path, *statements):
        """Runs `statements` on the SQLite file at `path` (made if missing), as another program
        or sqlite3 would, and returns its bytes afterwards."""
        with contextlib.closing(sqlite3.connect(path)) as conn, conn:
            for sql in statements:
                conn.execute(sql)
        with open(path, "rb") as f:
            return f.read()

    def write_config(self, text):
        """Writes the default config file (~/.config/refnet/config.toml) and returns its path,
        private (0600) as `refnet init` writes it, so refnet has no mode to warn about."""
        path = os.path.join(self.home, ".config", "refnet", "config.toml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, 0o600)
        return path


# Seeded databases: {(module, class, builder): (path, what the builder returned)}.
_seeded = {}


def _copy_database(source_path, target_path):
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
