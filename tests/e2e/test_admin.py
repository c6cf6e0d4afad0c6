"""init, config, db, the clock, help and version, usage errors, and report overdue --check."""

import contextlib
import csv
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import tomllib
import unittest

from refnet_e2e import BIN, POSTGRES, RefnetCase, _pg_admin, _pg_connect, postgres_only, sqlite_only


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def files_under(folder):
    found = []
    for root, dirs, files in os.walk(folder):
        found += [os.path.join(root, name) for name in dirs + files]
    return sorted(found)


class AdminCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.config = os.path.join(self.home, ".config", "refnet", "config.toml")

    def write(self, path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def run_with_umask(self, umask, *args, env=None):
        environment = dict(self.env, **(env or {}))
        proc = subprocess.run([BIN, *args], env=environment, capture_output=True, text=True, timeout=60,
                              preexec_fn=lambda: os.umask(umask))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def config_rows(self, *args, **kwargs):
        return {row["key"]: row for row in self.rows("config", "show", *args, **kwargs)}

    def database_name(self):
        """How refnet's messages name this test's database: its file, or its name on the server."""
        return self.pg_database if POSTGRES else self.db

    def other_database(self, name):
        """Another, new database for a test of its own: a file named `name` in the scratch HOME,
        or on PostgreSQL a new empty database (refnet's default location becomes that one)."""
        if POSTGRES:
            self.use_postgres()
            return self.location
        return os.path.join(self.home, name)

    @contextlib.contextmanager
    def holding_the_write_lock(self):
        """Another program holds what every refnet writer takes first: on SQLite an exclusive
        transaction on the file, on PostgreSQL refnet's advisory lock (its application id) in a
        session of its own."""
        if POSTGRES:
            holder = _pg_connect(self.pg_database)
            try:
                with holder.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_lock(1380339284)")
                yield
            finally:
                holder.close()  # the session's lock goes with it
            return
        holder = sqlite3.connect(self.db, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()


class Init(AdminCase):
    @sqlite_only("the file's user_version and WAL journal, read with sqlite3")
    def test_init_creates_config_and_database(self):
        result = self.ok("init")
        self.assertIn(self.config, result.out)
        self.assertIn(self.db, result.out)
        self.assertTrue(os.path.isfile(self.config))
        with sqlite3.connect(self.db) as conn:
            self.assertGreaterEqual(conn.execute("PRAGMA user_version").fetchone()[0], 1)
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            self.assertEqual(conn.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        self.assertTrue({"contact", "referral", "touchpoint", "event", "audit"} <= tables)

    @postgres_only("the schema made on the server, read from its catalog")
    def test_init_creates_config_and_schema_on_the_server(self):
        result = self.ok("init")
        self.assertIn(self.config, result.out)
        self.assertIn(self.location, result.out)
        self.assertTrue(os.path.isfile(self.config))
        meta = dict(self.query("SELECT key, value FROM refnet_meta"))
        self.assertEqual(meta["application_id"], "1380339284")  # "RFNT", as the file's
        self.assertGreaterEqual(int(meta["schema_version"]), 1)
        tables = {row[0] for row in self.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        self.assertTrue({"contact", "referral", "touchpoint", "event", "audit"} <= tables)
        # Nothing of the database is written locally: only the config.
        self.assertEqual(files_under(self.home), [os.path.dirname(os.path.dirname(self.config)),
                                                  os.path.dirname(self.config), self.config])

    def test_config_has_every_key_commented_at_its_default(self):
        self.ok("init")
        with open(self.config) as f:
            text = f.read()
        # Nothing is set: every line is blank, a comment or a table header.
        for line in text.splitlines():
            self.assertRegex(line, r"^(\s*|#.*|\[[a-z_.]+\])$")
        def flatten(table, prefix=""):
            for key, value in table.items():
                if isinstance(value, dict):
                    yield from flatten(value, f"{prefix}{key}.")
                else:
                    yield f"{prefix}{key}", value
        self.assertEqual(dict(flatten(tomllib.loads(text))), {}, "no key is in force")
        # Uncommenting every "# key = value" line gives exactly the defaults config show reports.
        uncommented = re.sub(r"(?m)^# ([a-z_]+ = .*)$", r"\1", text)
        in_file = dict(flatten(tomllib.loads(uncommented)))
        shown = self.config_rows()
        self.assertEqual(set(in_file), set(shown), "the file lists every key config show knows")
        for key, row in shown.items():
            if key == "database.path":
                self.assertEqual(in_file[key], "")  # the XDG default
                # On PostgreSQL the suites name the database in REFNET_DB.
                self.assertEqual(row["origin"], "REFNET_DB" if POSTGRES else "default", key)
                continue
            self.assertEqual(row["origin"], "default", key)
            value = in_file[key]
            text_value = json.dumps(value) if isinstance(value, (list, bool)) else str(value)
            self.assertEqual(text_value, row["value"], key)
        for key in ("sla.acknowledge.routine", "sla.keep_in_touch", "output.color", "output.format",
                    "database.busy_timeout", "calendar.holidays"):
            self.assertIn(key, shown)
        # The uncommented file is itself a valid config.
        self.write(self.config, uncommented)
        self.assertEqual(self.config_rows()["sla.acknowledge.routine"]["value"], "2bd")

    def test_init_twice_changes_nothing(self):
        self.ok("init")
        self.ok("add", "Ann Lee")
        with open(self.config) as f:
            config_before = f.read()
        config_mtime = os.stat(self.config).st_mtime_ns
        before = self.dump()
        result = self.ok("init")
        self.assertIn("left as it was", result.out)
        self.assertEqual(self.dump(), before)
        with open(self.config) as f:
            self.assertEqual(f.read(), config_before)
        self.assertEqual(os.stat(self.config).st_mtime_ns, config_mtime)

    def test_inits_started_at_once_each_leave_a_whole_config(self):
        # They once all wrote through config.toml.tmp: one could rename another's half-written
        # file into place, or find its own file gone.
        procs = [subprocess.Popen([BIN, "init"], env=self.env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(24)]
        outcomes = [(proc.wait(timeout=60), proc.stderr.read().decode()) for proc in procs]
        for proc in procs:
            proc.stdout.close()
            proc.stderr.close()
        self.assertEqual([code for code, _ in outcomes], [0] * 24, outcomes)
        reference = os.path.join(self.home, "reference", "config.toml")
        self.ok("init", env={"REFNET_CONFIG": reference})
        with open(self.config) as f, open(reference) as g:
            self.assertEqual(f.read(), g.read())
        self.assertEqual(mode(self.config), 0o600)
        self.assertEqual(files_under(os.path.dirname(self.config)), [self.config])
        self.ok("db", "check")  # and the database they made at once is whole

    def test_init_keeps_an_existing_config(self):
        self.write(self.config, '[practice]\nname = "Elm Street"\n')
        self.ok("init")
        with open(self.config) as f:
            self.assertEqual(f.read(), '[practice]\nname = "Elm Street"\n')
        self.assertIsNotNone(self.dump(), "the database was made")

    def test_init_with_a_broken_config_creates_no_database(self):
        self.write(self.config, "[output]\ncolor = 3\n")
        result = self.fails(78, "init")
        self.assertIn("output.color", result.err)
        self.assertFalse(os.path.exists(os.path.dirname(self.db)))
        self.assertIsNone(self.dump(), "no table made on the server either")

    def test_init_json_prints_what_it_did(self):
        record = self.ok("--format", "json", "init").json()
        self.assertEqual(record["database"], self.location)
        self.assertEqual(record["config"], self.config)
        self.assertIs(record["database_created"], True)
        self.assertIs(self.ok("--format", "json", "init").json()["database_created"], False)

    @sqlite_only("a database file at a given path, in folders refnet makes private")
    def test_init_at_a_given_path(self):
        target = os.path.join(self.home, "clinic", "deep", "refnet.db")
        self.ok("--db", target, "init")
        self.assertTrue(os.path.isfile(target))
        self.assertFalse(os.path.exists(self.db))
        self.assertEqual(mode(os.path.dirname(target)), 0o700)


class DatabaseUrl(AdminCase):
    """A PostgreSQL location (a URL or libpq keywords) selects the PostgreSQL backend; it is never
    taken for a file (it used to become a folder named "postgresql:" in the current directory),
    a password in it is refused and never echoed, and a URL of another kind is refused."""

    # Nothing listens on port 1: connecting fails at once.
    unreachable = ("postgresql://127.0.0.1:1/refnet", "postgres://127.0.0.1:1/refnet",
                   " postgresql:/refnet?host=127.0.0.1&port=1",
                   "host=127.0.0.1 port=1 dbname=refnet")

    def listing(self):
        return sorted(os.path.relpath(os.path.join(folder, name), self.home)
                      for folder, dirs, files in os.walk(self.home) for name in dirs + files
                      if name != "config.toml" and name != "refnet")

    def test_an_unreachable_server_is_said_so_and_nothing_is_made(self):
        before = self.listing()
        for location in self.unreachable:
            for args, env in ((["--db", location, "list", "contacts"], None),
                              (["list", "contacts"], {"REFNET_DB": location})):
                with self.subTest(args=args, env=env):
                    result = self.fails(74, *args, env=env, cwd=self.home)
                    self.assertIn("cannot connect to PostgreSQL", result.err)
                    self.assertEqual(self.listing(), before)
        self.write(self.config, '[database]\npath = "postgresql://127.0.0.1:1/refnet"\n')
        # REFNET_DB, which the PostgreSQL pass sets, would come before the config.
        result = self.fails(74, "list", "contacts", env={"REFNET_DB": None}, cwd=self.home)
        self.assertIn("cannot connect to PostgreSQL", result.err)

    def test_db_path_shows_the_location_as_given(self):
        self.assertEqual(self.ok("--db", self.unreachable[0], "db", "path").out,
                         self.unreachable[0] + "\n")

    def test_other_urls_are_refused(self):
        before = self.listing()
        for args, env, code in ((["--db", "https://db.example/refnet", "init"], None, 2),
                                (["init"], {"REFNET_DB": "mysql://db.example/refnet"}, 78)):
            with self.subTest(args=args, env=env):
                result = self.fails(code, *args, env=env, cwd=self.home)
                self.assertIn("URL", result.err)
                self.assertEqual(self.listing(), before)

    def test_a_password_in_it_is_refused_and_never_repeated(self):
        before = self.listing()
        for location in ("postgresql://ann:s3cret@db.example/refnet",
                         " postgresql://ann:s3cret@db.example/refnet",
                         "postgres:/db.example/refnet?sslmode=require&password=s3cret",
                         "host=db.example user=ann password=s3cret dbname=refnet"):
            with self.subTest(location=location):
                result = self.fails(2, "--db", location, "init", cwd=self.home)
                self.assertIn("holds a password", result.err)
                self.assertIn(".pgpass", result.err)
                self.assertNotIn("s3cret", result.err + result.out)
                self.assertEqual(self.listing(), before)

    def test_a_folder_named_postgresql_is_a_path(self):
        target = os.path.join(self.home, "postgresql", "refnet.db")
        self.ok("--db", target, "init")
        self.assertTrue(os.path.isfile(target))


class DatabaseCopy(AdminCase):
    """db copy carries a whole database, audit trail, voided records and redaction key included,
    into a new one: a file or a PostgreSQL database (README "A practice on PostgreSQL")."""

    READS = (["list", "contacts"], ["list", "referrals"], ["list", "followups"],
             ["list", "referrals", "--voided"], ["export", "referrals", "--redact"],
             ["report", "overdue"], ["report"])

    def setUp(self):
        super().setUp()
        self.ok("demo", "--contacts", "40", "--referrals", "300", "--seed", "7")
        self.ok("void", "--referral", "5", "--reason", "entered twice", now="2026-11-27T09:05:00Z")
        self.ok("export", "referrals", "--redact")  # makes the database's redaction key
        self.copy = os.path.join(self.home, "copy", "refnet.db")

    def read_both(self, other):
        for args in self.READS:
            with self.subTest(args=args):
                self.assertEqual(self.ok("--format", "csv", *args).out,
                                 self.ok("--db", other, "--format", "csv", *args).out)

    def test_the_copy_reads_as_the_original_and_its_log_says_where_it_came_from(self):
        result = self.ok("db", "copy", "--to", self.copy)
        self.assertIn(" 299 referral, ", result.out)
        self.assertEqual(mode(self.copy), 0o600)
        self.read_both(self.copy)
        original = self.audit()
        copied = self.ok("--db", self.copy, "--format", "json", "log").json()
        self.assertEqual(copied[:-1], original)
        self.assertEqual((copied[-1]["action"], copied[-1]["entity"]), ("copy", "database"))
        self.ok("--db", self.copy, "db", "check")

    def test_json_counts_every_table(self):
        rows = self.ok("--format", "json", "db", "copy", "--to", self.copy).json()
        counts = {row["table"]: row["rows"] for row in rows}
        self.assertEqual(counts["referral"], 299)
        self.assertEqual(counts["voided"], 1)
        self.assertEqual(counts["secret"], 1)
        self.assertEqual(list(counts), ["event", "contact", "contact_tag", "event_contact",
                                        "referral", "touchpoint", "voided", "audit", "secret"])

    def test_a_database_with_records_is_refused_and_left_as_it_was(self):
        self.ok("--db", self.copy, "init")
        self.ok("--db", self.copy, "add", "Someone Else")
        with open(self.copy, "rb") as f:
            before = f.read()
        result = self.fails(65, "db", "copy", "--to", self.copy)
        self.assertIn("already holds", result.err)
        with open(self.copy, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_a_url_with_a_password_or_of_another_kind_is_refused(self):
        result = self.fails(2, "db", "copy", "--to", "postgresql://ann:s3cret@127.0.0.1:1/x")
        self.assertNotIn("s3cret", result.err)
        self.fails(2, "db", "copy", "--to", "https://db.example/refnet")

    @postgres_only("a file copied onto the server")
    def test_a_file_copied_onto_the_server_reads_the_same(self):
        self.ok("db", "copy", "--to", self.copy)
        # A new, empty database on the server, filled from the file.
        self.use_postgres()
        self.ok("--db", self.copy, "db", "copy", "--to", self.env["REFNET_DB"])
        self.read_both(self.copy)
        self.ok("db", "check")

    @postgres_only("a backup of a shared database")
    def test_a_backup_of_the_server_is_a_refnet_file(self):
        backup = os.path.join(self.home, "backup.db")
        self.ok("db", "backup", backup)
        self.assertEqual(mode(backup), 0o600)
        self.read_both(backup)
        self.ok("--db", backup, "db", "check")
        # Refused, the shared database left as it was.
        self.refused(2, "db", "restore", backup, says="db copy")


class Permissions(AdminCase):
    def check_private(self, umask):
        self.run_with_umask(umask, "init")
        self.assertEqual(mode(self.db), 0o600, f"database under umask {umask:03o}")
        self.assertEqual(mode(os.path.dirname(self.db)), 0o700, f"its folder under umask {umask:03o}")
        # Every folder refnet had to create is private (XDG: created 0700), and the config that
        # says where the patient data lives is not writable by others.
        for folder in (os.path.join(self.home, ".local"), os.path.join(self.home, ".local", "share")):
            self.assertEqual(mode(folder), 0o700, folder)
        self.assertEqual(mode(self.config) & 0o022, 0, "config writable by others")

    @sqlite_only("the database file's mode and its folders'")
    def test_private_under_umask_022(self):
        self.check_private(0o022)

    @sqlite_only("the database file's mode and its folders'")
    def test_private_under_umask_000(self):
        self.check_private(0o000)

    @sqlite_only("the database file's mode and its folder's")
    def test_private_under_umask_000_via_a_shell(self):
        proc = subprocess.run(["/bin/sh", "-c", f'umask 000; exec "$0" "$@"', BIN, "add", "Ann"],
                              env=self.env, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 66, "add does not create a database")
        proc = subprocess.run(["/bin/sh", "-c", f'umask 000; exec "$0" "$@"', BIN, "init"],
                              env=self.env, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(mode(self.db), 0o600)
        self.assertEqual(mode(os.path.dirname(self.db)), 0o700)

    @sqlite_only("SQLite's -wal and -shm files")
    def test_wal_and_shm_are_private_after_a_write(self):
        self.run_with_umask(0o000, "init")
        # A reader holding the database open keeps the -wal and -shm files in place after refnet
        # exits, as happens while a nightly report runs.
        old = os.umask(0)
        try:
            reader = sqlite3.connect(self.db)
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM contact").fetchone()
            self.run_with_umask(0o000, "add", "Ann Lee", "--phone", "555-0100")
            for suffix in ("-wal", "-shm"):
                path = self.db + suffix
                self.assertTrue(os.path.exists(path), path)
                self.assertEqual(mode(path), 0o600, path)
            reader.rollback()
            reader.close()
        finally:
            os.umask(old)
        self.assertEqual(mode(self.db), 0o600)

    @sqlite_only("the database file, its -wal and -shm, and a backup and an export of it")
    def test_every_file_refnet_writes_is_private_while_in_use(self):
        for umask in (0o022, 0o000):
            with self.subTest(umask=f"{umask:03o}"):
                home = os.path.join(self.home, f"umask{umask:03o}")
                db = os.path.join(home, "data", "refnet.db")
                env = {"REFNET_DB": db}
                self.run_with_umask(umask, "init", env=env)
                reader = sqlite3.connect(db)  # keeps -wal and -shm in place, as a report would
                try:
                    reader.execute("BEGIN")
                    reader.execute("SELECT count(*) FROM contact").fetchone()
                    self.run_with_umask(umask, "add", "Ann Lee", env=env)
                    self.run_with_umask(umask, "refer", "--from", "Ann", "--patient", "P-1", env=env)
                    backup = os.path.join(home, "backup.db")
                    export = os.path.join(home, "referrals.csv")
                    self.run_with_umask(umask, "db", "backup", backup, env=env)
                    self.run_with_umask(umask, "export", "referrals", "-o", export, env=env)
                    for path in (db, db + "-wal", db + "-shm", backup, export):
                        self.assertTrue(os.path.exists(path), path)
                        self.assertEqual(mode(path), 0o600, path)
                    self.assertEqual(mode(os.path.dirname(db)), 0o700)
                finally:
                    reader.rollback()
                    reader.close()

    @postgres_only("a database on a server: who may read its tables, and the files written of it")
    def test_on_a_server_no_one_else_may_read_and_every_file_written_is_private(self):
        for args in (("init",), ("add", "Ann Lee", "--phone", "555-0100"),
                     ("refer", "--from", "Ann", "--patient", "MRN-SECRET")):
            self.run_with_umask(0o000, *args)
        # The config is not writable by others, and nothing of the database is written locally.
        self.assertEqual(mode(self.config) & 0o022, 0, "config writable by others")
        self.assertFalse(os.path.exists(os.path.join(self.home, ".local")))
        # refnet grants nothing on its tables: only their owner (and the server's superusers) may
        # read them until the practice grants roles (README "A practice on PostgreSQL").
        granted = self.query("SELECT c.relname, a.grantee::regrole::text, a.privilege_type"
                             " FROM pg_class c, aclexplode(c.relacl) a"
                             " WHERE c.relnamespace = to_regnamespace(current_schema())"
                             " AND a.grantee <> c.relowner ORDER BY 1, 2, 3")
        self.assertEqual(granted, [])
        # Another login on the same server is refused, and learns nothing of a patient.
        login = "nobody_" + self.pg_database[-8:]
        _pg_admin(f"CREATE ROLE \"{login}\" LOGIN PASSWORD 'pw-{login}'")
        self.addCleanup(_pg_admin, f'DROP ROLE IF EXISTS "{login}"')
        before = self.dump()
        for args in (("list", "referrals"), ("export", "referrals"), ("add", "Bob Ray")):
            with self.subTest(args=args):
                result = self.fails(73, *args, env={"PGUSER": login, "PGPASSWORD": f"pw-{login}"})
                self.assertIn("may not", result.err)
                self.assertNotIn("MRN-SECRET", result.out + result.err)
        self.assertEqual(self.dump(), before)
        # What refnet writes of it to files is private under any umask.
        backup = os.path.join(self.home, "backup.db")
        export = os.path.join(self.home, "referrals.csv")
        self.run_with_umask(0o000, "db", "backup", backup)
        self.run_with_umask(0o000, "export", "referrals", "-o", export)
        for path in (backup, export):
            self.assertEqual(mode(path), 0o600, path)


class MissingAndBrokenDatabase(AdminCase):
    COMMANDS = [
        ("list", "contacts"), ("list", "referrals"), ("show", "Ann"), ("show", "--referral", "1"),
        ("add", "Ann"), ("refer", "--from", "Ann", "--patient", "P1"), ("ack", "1"),
        ("followup", "Ann"), ("event", "CME", "--kind", "cme", "--date", "2026-11-01"),
        ("log",), ("report", "overdue"), ("report", "overdue", "--check"), ("edit", "Ann", "--city", "X"),
    ]

    def test_missing_database_exits_66_with_a_hint_and_creates_nothing(self):
        for args in self.COMMANDS:
            with self.subTest(args=args):
                result = self.fails(66, *args)
                self.assertIn(self.database_name(), result.err)
                self.assertIn("refnet init", result.err)
                self.assertEqual(result.out, "")
                self.assertEqual(files_under(self.home), [])
                self.assertIsNone(self.dump(), "no table made on the server either")

    def test_missing_database_named_by_db_or_env(self):
        # On a server: a database that was never created there.
        elsewhere = (f"postgresql:///{self.pg_database}_nowhere" if POSTGRES
                     else os.path.join(self.home, "nowhere", "x.db"))
        result = self.fails(66, "--db", elsewhere, "list", "contacts")
        self.assertIn(elsewhere.removeprefix("postgresql:///"), result.err)
        self.fails(66, "list", "contacts", env={"REFNET_DB": elsewhere})
        self.assertEqual(files_under(self.home), [])

    def test_db_path_needs_no_database(self):
        self.assertEqual(self.ok("db", "path").out, self.location + "\n")
        self.assertEqual(files_under(self.home), [])
        self.assertIsNone(self.dump())

    def check_not_a_database(self, content):
        path = os.path.join(self.home, "notes.db")
        with open(path, "wb") as f:
            f.write(content)
        for args in (("list", "contacts"), ("add", "Ann"), ("init",)):
            with self.subTest(args=args):
                result = self.run_refnet("--db", path, *args)
                self.assertNotIn(result.code, (0, 1, 2), result)
                self.assertTrue(result.err.startswith("refnet: "), result)
                self.assertIn(path, result.err, "names the file")
                self.assertIn("not a refnet database", result.err)
                self.assertEqual(result.out, "")
        with open(path, "rb") as f:
            self.assertEqual(f.read(), content, "the file is left alone")

    @sqlite_only("a file that is not SQLite's")
    def test_a_text_file_is_not_a_database(self):
        self.check_not_a_database(b"garbage, not SQLite\n")

    @sqlite_only("a file that is not SQLite's")
    def test_random_bytes_are_not_a_database(self):
        self.check_not_a_database(bytes(range(256)) * 16)

    @sqlite_only("another program's SQLite file, its bytes and its journal")
    def test_another_programs_sqlite_file_is_left_byte_for_byte(self):
        # A SQLite file with tables of its own and no application id: refused (65), and not
        # switched to WAL, migrated or given refnet's tables.
        path = os.path.join(self.home, "other.db")
        before = self.write_sqlite(path, "CREATE TABLE patients (mrn TEXT)",
                                   "INSERT INTO patients VALUES ('MRN-1')")
        for args in (("list", "contacts"), ("add", "Ann"), ("init",)):
            with self.subTest(args=args):
                result = self.fails(65, "--db", path, *args)
                self.assertIn(f"{path} is not a refnet database: it holds tables refnet does not "
                              "know (patients)", result.err)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertEqual([n for n in os.listdir(self.home) if n.startswith("other.db")],
                         ["other.db"], "no -wal, -shm or -journal beside it")

    @postgres_only("another program's tables in the database on the server")
    def test_another_programs_tables_are_left_untouched(self):
        # Refused (65), and given none of refnet's tables, nor a row.
        self.write_sql("CREATE TABLE patients (mrn TEXT)", "INSERT INTO patients VALUES ('MRN-1')")
        before = self.dump()
        for args in (("list", "contacts"), ("add", "Ann"), ("init",)):
            with self.subTest(args=args):
                result = self.fails(65, *args)
                self.assertIn(f"PostgreSQL database {self.pg_database} is not a refnet database: "
                              "it holds tables refnet does not know (patients)", result.err)
                self.assertEqual(self.dump(), before)

    @sqlite_only("the file's user_version, and its bytes: not even switched to WAL")
    def test_a_newer_schema_is_refused_before_anything_is_written(self):
        self.ok("init")
        self.add("Ann Lee")
        conn = sqlite3.connect(self.db)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA user_version = 999")
        conn.commit()
        conn.close()
        with open(self.db, "rb") as f:
            before = f.read()
        result = self.fails(65, "add", "Bo Diaz")
        self.assertIn("schema version 999, newer than this refnet knows", result.err)
        with open(self.db, "rb") as f:
            self.assertEqual(f.read(), before, "not even switched to WAL")

    @postgres_only("the schema version refnet_meta holds on the server")
    def test_a_newer_schema_on_the_server_is_refused_before_anything_is_written(self):
        self.ok("init")
        self.add("Ann Lee")
        self.write_sql("UPDATE refnet_meta SET value = '999' WHERE key = 'schema_version'")
        before = self.dump()
        for args in (("add", "Bo Diaz"), ("list", "contacts"), ("init",), ("db", "migrate")):
            with self.subTest(args=args):
                result = self.fails(65, *args)
                self.assertIn("schema version 999, newer than this refnet knows", result.err)
                self.assertEqual(self.dump(), before)

    @sqlite_only("a folder where the database file should be")
    def test_a_folder_as_database(self):
        folder = os.path.join(self.home, "folder.db")
        os.mkdir(folder)
        result = self.run_refnet("--db", folder, "list", "contacts")
        self.assertNotIn(result.code, (0, 1, 2), result)
        self.assertTrue(result.err.startswith("refnet: "))


class DatabaseMaintenance(AdminCase):
    def setUp(self):
        super().setUp()
        self.ok("init")
        self.add("Ann Lee", "--npi", "1234567893")
        self.refer("--from", "Ann", "--patient", "P-1")

    def test_check_a_sound_database(self):
        rows = self.rows("db", "check")
        self.assertEqual({r["check"] for r in rows},
                         {"integrity", "foreign_keys", "counts", "schema_version"})
        self.assertTrue(all(r["ok"] is True for r in rows), rows)
        self.assertIn("ok", self.ok("db", "check").out)

    def test_check_finds_a_dangling_foreign_key(self):
        # sqlite3 does not enforce foreign keys unless asked; the server does, but not for a
        # session in replica mode, as a replication tool or a restore script runs.
        self.write_sql(*(["SET session_replication_role = replica"] if POSTGRES else []),
                       "INSERT INTO touchpoint (id, contact_id, via, created_at, done_at) "
                       "VALUES (999, 999, 'call', '2026-11-27T09:00:00Z', '2026-11-27T09:00:00Z')")
        result = self.fails(65, "db", "check", "--format", "json")
        bad = [r for r in result.json() if not r["ok"]]
        self.assertEqual([r["check"] for r in bad], ["foreign_keys"])
        self.assertIn("touchpoint", bad[0]["detail"])
        self.assertIn("1 problem", result.err)

    def test_check_finds_kept_counts_that_went_wrong(self):
        # The per-day referral counts summary reads: the triggers keep them, even for sqlite3's
        # writes, so only a dropped trigger lets them drift.
        self.refer("--from", "Ann", "--patient", "P-2", "--date", "2026-03-04T10:00:00Z")
        self.assertEqual(self.ok("db", "check").code, 0)
        self.write_sql("DROP TRIGGER referral_day_insert" + (" ON referral" if POSTGRES else ""),
                       "INSERT INTO referral (id, direction, contact_id, patient, referred_at, "
                       "acknowledge_due, created_at) VALUES (3, 'out', 1, 'P-3', "
                       "'2026-03-04T11:00:00Z', '2026-03-06T11:00:00Z', '2026-03-04T11:00:00Z')")
        result = self.fails(65, "db", "check", "--format", "json")
        bad = [r for r in result.json() if not r["ok"]]
        self.assertEqual([r["check"] for r in bad], ["counts"])
        self.assertIn("2026-03-04 out", bad[0]["detail"])
        self.assertIn("kept 0 referrals", bad[0]["detail"])
        self.assertIn("1 problem", result.err)

    @postgres_only("the search index's totals are a table of their own there (FTS5 keeps its own)")
    def test_check_finds_search_totals_that_went_wrong(self):
        self.ok("edit", "Ann", "--note", "met at the spring dinner")
        self.assertEqual(self.ok("db", "check").code, 0)
        self.write_sql("UPDATE search_total SET tokens = tokens + 1")
        result = self.fails(65, "db", "check", "--format", "json")
        bad = [r for r in result.json() if not r["ok"]]
        self.assertEqual([r["check"] for r in bad], ["counts"])
        self.assertIn("search_total: kept", bad[0]["detail"])

    @sqlite_only("an index of the file damaged through writable_schema; integrity_check")
    def test_check_finds_a_damaged_index(self):
        # An index whose definition no longer matches its entries, as a torn write could leave it.
        conn = sqlite3.connect(self.db, isolation_level=None)
        name, = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'referral' "
                             "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name").fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?",
                     (f'CREATE INDEX "{name}" ON referral (patient)', name))
        conn.close()
        result = self.fails(65, "db", "check", "--format", "json")
        bad = [r for r in result.json() if not r["ok"]]
        self.assertTrue(bad and all(r["check"] == "integrity" for r in bad), result.json())
        self.assertTrue(any(name in r["detail"] for r in bad), bad)
        self.assertIn("problem", result.err)
        table = self.run_refnet("db", "check")
        self.assertEqual(table.code, 65)
        self.assertIn(name, table.out, "the table lists what integrity_check found")

    @postgres_only("what the server's catalog says of refnet's indexes and triggers")
    def test_check_finds_an_invalid_index_and_a_disabled_trigger(self):
        # A unique index built CONCURRENTLY that failed on the rows stays behind invalid, and
        # enforces nothing; a trigger disabled by hand keeps no count.
        self.refer("--from", "Ann", "--patient", "P-2")
        with contextlib.closing(_pg_connect(self.pg_database)) as conn, conn.cursor() as cursor:
            with self.assertRaises(Exception):
                cursor.execute("CREATE UNIQUE INDEX CONCURRENTLY one_per_contact"
                               " ON referral (contact_id)")
        self.write_sql("ALTER TABLE referral DISABLE TRIGGER referral_day_insert")
        result = self.fails(65, "db", "check", "--format", "json")
        bad = [r for r in result.json() if not r["ok"]]
        self.assertEqual([r["check"] for r in bad], ["integrity", "integrity"], result.json())
        # Not ready: the build failed before the index took its first row.
        self.assertEqual([r["detail"] for r in bad],
                         ["index one_per_contact on referral is not ready",
                          "trigger referral_day_insert on referral is disabled"])
        self.assertIn("problem", result.err)
        table = self.run_refnet("db", "check")
        self.assertEqual(table.code, 65)
        self.assertIn("one_per_contact", table.out, "the table lists what the check found")

    def test_check_needs_a_database(self):
        self.fails(66, "--db", self.other_database("none.db"), "db", "check")

    def test_backup_is_a_private_copy(self):
        target = os.path.join(self.home, "backups", "copy.db")
        os.mkdir(os.path.dirname(target))
        self.run_with_umask(0o000, "db", "backup", target)
        self.assertEqual(mode(target), 0o600)
        copy = sqlite3.connect(target)
        try:
            self.assertEqual(copy.execute("SELECT name, npi FROM contact").fetchall(), [("Ann Lee", "1234567893")])
            self.assertEqual(copy.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        finally:
            copy.close()
        self.assertEqual(sorted(os.listdir(os.path.dirname(target))), ["copy.db"], "no journal left behind")
        # The copy is a working refnet database.
        self.assertEqual([r["name"] for r in self.rows("--db", target, "list", "contacts")], ["Ann Lee"])

    @sqlite_only("schema 15 is a file's: a database on PostgreSQL is made at the newest version")
    def test_backup_copies_an_older_schema_as_it_is(self):
        # The file as refnet wrote it at schema 15, before undo's change sets.
        self.write_sql("DROP INDEX audit_change_set", "DROP INDEX audit_undoes",
                       "ALTER TABLE audit DROP COLUMN change_set",
                       "ALTER TABLE audit DROP COLUMN undoes", "PRAGMA user_version = 15")
        with open(self.db, "rb") as f:
            before = f.read()
        target = os.path.join(self.home, "before-upgrade.db")
        self.ok("db", "backup", target)
        with open(self.db, "rb") as f:
            self.assertEqual(f.read(), before, "the backup migrated the database")
        with contextlib.closing(sqlite3.connect(target)) as copy:
            self.assertEqual(copy.execute("PRAGMA user_version").fetchone()[0], 15)
        # Then the migration, and the copy can be migrated the same way.
        self.ok("db", "migrate")
        self.ok("--db", target, "db", "migrate")
        self.assertEqual([r["name"] for r in self.rows("--db", target, "list", "contacts")],
                         ["Ann Lee"])

    @sqlite_only("schema 15 is a file's: a database on PostgreSQL is made at the newest version")
    def test_a_dry_run_does_not_migrate(self):
        """undo --dry-run, import --dry-run and db check change nothing, a migration included:
        an older schema is refused as by a command that only reads, the file left byte for
        byte."""
        self.ok("add", "Bo Diaz")
        people = self.write_file("people.csv", "name,role\nCy Ng,pcp\n")
        self.write_sql("DROP INDEX audit_change_set", "DROP INDEX audit_undoes",
                       "ALTER TABLE audit DROP COLUMN change_set",
                       "ALTER TABLE audit DROP COLUMN undoes", "PRAGMA user_version = 15")
        with open(self.db, "rb") as f:
            before = f.read()
        for args in (("undo", "--dry-run"), ("import", "contacts", people, "--dry-run"),
                     ("db", "check")):
            with self.subTest(command=args[0]):
                self.refused(65, *args, says=("has schema version 15; this refnet reads version",
                                              "hint: migrate it once with: refnet db migrate"))
                with open(self.db, "rb") as f:
                    self.assertEqual(f.read(), before, f"refnet {' '.join(args)} changed the file")
        self.ok("db", "migrate")
        self.ok("db", "check")
        self.assertIn("Would undo", self.ok("undo", "--dry-run").out)
        self.assertIn("1 contacts would be added",
                      self.ok("import", "contacts", people, "--dry-run").out)

    @sqlite_only("a sqlite3 reader in the file's WAL; the server's case is the write under way")
    def test_backup_while_another_reader_is_in(self):
        reader = sqlite3.connect(self.db)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM contact").fetchone()
            target = os.path.join(self.home, "online.db")
            record = self.ok("--format", "json", "db", "backup", target).json()
            self.assertEqual(record["backup"], target)
            self.assertGreater(record["bytes"], 0)
        finally:
            reader.close()

    def test_backup_holds_the_committed_data_while_a_write_is_under_way(self):
        self.add("Bob Stone", "--tag", "cardio")
        self.ok("followup", "Bob", "--due", "+2d")
        self.ok("event", "Fall CME", "--kind", "cme", "--date", "2026-11-01", "--met", "Ann")
        exports = {e: self.ok("export", e, "--format", "json").out
                   for e in ("contacts", "referrals", "touchpoints", "events")}
        # Another writer, part way through: on the server it holds refnet's write lock as
        # every refnet writer does.
        if POSTGRES:
            writer = _pg_connect(self.pg_database)
            writer.autocommit = False
            cursor = writer.cursor()
            cursor.execute("SELECT pg_advisory_xact_lock(1380339284)")
        else:
            writer = sqlite3.connect(self.db, isolation_level=None)
            writer.execute("BEGIN IMMEDIATE")
            cursor = writer
        try:
            cursor.execute("INSERT INTO contact (id, name, role, created_at) "
                           "VALUES (1000, 'Uncommitted', 'other', '2026-11-27T09:00:00Z')")
            target = os.path.join(self.home, "during-a-write.db")
            self.ok("db", "backup", target)
        finally:
            writer.rollback()
            writer.close()
        self.assertEqual(mode(target), 0o600)
        for entity, text in exports.items():
            with self.subTest(entity=entity):
                self.assertEqual(self.ok("--db", target, "export", entity, "--format", "json").out, text)
        self.assertTrue(all(r["ok"] for r in self.rows("--db", target, "db", "check")))

    def test_backup_never_overwrites(self):
        target = os.path.join(self.home, "exists.db")
        with open(target, "w") as f:
            f.write("precious")
        result = self.fails(73, "db", "backup", target)
        self.assertIn(target, result.err)
        with open(target) as f:
            self.assertEqual(f.read(), "precious")

    def test_backup_into_a_missing_folder(self):
        target = os.path.join(self.home, "no", "such", "folder", "copy.db")
        self.fails(73, "db", "backup", target)
        self.assertFalse(os.path.exists(os.path.join(self.home, "no")))

    def test_backup_needs_a_file(self):
        self.fails(2, "db", "backup")

    def test_locked_database_exits_75(self):
        self.write(self.config, '[database]\nbusy_timeout = "100ms"\n')
        before = self.dump()
        with self.holding_the_write_lock():
            result = self.fails(75, "add", "Bob Stone")
            self.assertIn("locked", result.err)
        self.assertEqual(self.dump(), before)
        self.ok("add", "Bob Stone")  # once it is let go


class ConfigFiles(AdminCase):
    def test_config_path_search_order(self):
        default = self.config
        xdg = os.path.join(self.home, "xdg")
        env_file = os.path.join(self.home, "env.toml")
        flag_file = os.path.join(self.home, "flag.toml")
        self.assertEqual(self.ok("config", "path").out, default + "\n")
        self.assertEqual(self.ok("config", "path", env={"XDG_CONFIG_HOME": xdg}).out,
                         os.path.join(xdg, "refnet", "config.toml") + "\n")
        self.assertEqual(self.ok("config", "path", env={"XDG_CONFIG_HOME": "relative/xdg"}).out,
                         default + "\n", "a relative XDG_CONFIG_HOME is ignored")
        self.assertEqual(self.ok("config", "path", env={"XDG_CONFIG_HOME": xdg, "REFNET_CONFIG": env_file}).out,
                         env_file + "\n")
        self.assertEqual(self.ok("--config", flag_file, "config", "path",
                                 env={"XDG_CONFIG_HOME": xdg, "REFNET_CONFIG": env_file}).out, flag_file + "\n")
        self.assertEqual(self.ok("config", "path", "--config", flag_file).out, flag_file + "\n")

    def test_the_file_found_is_the_file_read(self):
        xdg = os.path.join(self.home, "xdg")
        self.write(self.config, '[output]\nformat = "csv"\n')
        self.write(os.path.join(xdg, "refnet", "config.toml"), '[output]\nformat = "tsv"\n')
        env_file = self.write(os.path.join(self.home, "env.toml"), '[output]\nformat = "json"\n')
        flag_file = self.write(os.path.join(self.home, "flag.toml"), '[output]\nformat = "table"\n')
        get = lambda **kw: self.ok("config", "get", "output.format", **kw).out.strip()  # noqa: E731
        self.assertEqual(get(), "csv")
        self.assertEqual(get(env={"XDG_CONFIG_HOME": xdg}), "tsv")
        self.assertEqual(get(env={"XDG_CONFIG_HOME": xdg, "REFNET_CONFIG": env_file}), "json")
        self.assertEqual(self.ok("--config", flag_file, "config", "get", "output.format",
                                 env={"REFNET_CONFIG": env_file}).out.strip(), "table")

    def test_missing_config_means_defaults(self):
        rows = self.config_rows()
        self.assertTrue(all(row["origin"] == "default" for key, row in rows.items() if key != "database.path"))
        self.assertEqual(self.ok("config", "get", "sla.acknowledge.routine").out, "2bd\n")
        self.assertEqual(self.ok("config", "get", "sla.acknowledge.urgent").out, "24h\n")
        self.assertEqual(self.ok("config", "get", "sla.keep_in_touch").out, "90d\n")

    def test_show_says_where_each_value_came_from(self):
        self.write(self.config, '# mine\n[sla]\nkeep_in_touch = "60d"\n\n[sla.acknowledge]\n  urgent = "12h"\n')
        rows = self.config_rows()
        self.assertEqual(rows["sla.keep_in_touch"]["value"], "60d")
        self.assertEqual(rows["sla.keep_in_touch"]["origin"], f"{self.config}:3:1")
        self.assertEqual(rows["sla.acknowledge.urgent"]["value"], "12h")
        self.assertEqual(rows["sla.acknowledge.urgent"]["origin"], f"{self.config}:6:3")
        self.assertEqual(rows["sla.acknowledge.routine"]["origin"], "default")
        table = self.ok("config", "show").out
        self.assertRegex(table, rf"sla\.keep_in_touch\s+60d\s+{re.escape(self.config)}:3:1")
        csv_rows = self.ok("config", "show", "--format", "csv").csv()
        self.assertEqual(list(csv_rows[0]), ["key", "value", "origin"])
        self.assertEqual(self.ok("config", "get", "sla.keep_in_touch").out, "60d\n")

    def test_get_unknown_key_is_a_usage_error(self):
        result = self.fails(2, "config", "get", "sla.keep_in_tuch")
        self.assertIn("sla.keep_in_tuch", result.err)
        self.fails(2, "config", "get")

    def test_config_changes_behaviour(self):
        # urgent acknowledgement within 2h instead of 24h: due at 11:00.
        self.write(self.config, '[sla.acknowledge]\nurgent = "2h"\n')
        self.ok("init")
        self.add("Ann Lee")
        referral = self.ok("--format", "json", "refer", "--from", "Ann", "--patient", "P1",
                           "--urgency", "urgent").json()
        self.assertEqual(referral["acknowledge_due"], "2026-11-27T11:00:00Z")


class DatabaseSearchOrder(AdminCase):
    def where(self, *args, env=None):
        path = self.ok(*args, "db", "path", env=env).out.strip()
        row = self.config_rows(*args, env=env)["database.path"]
        self.assertEqual(row["value"], path, "config show and db path agree")
        return path, row["origin"]

    @sqlite_only("the file's default place, under HOME; the server's case below")
    def test_default_is_under_home(self):
        self.assertEqual(self.where(), (self.db, "default"))

    @sqlite_only("the file's place under XDG_DATA_HOME; the server's case below")
    def test_xdg_data_home(self):
        xdg = os.path.join(self.home, "data")
        self.assertEqual(self.where(env={"XDG_DATA_HOME": xdg}),
                         (os.path.join(xdg, "refnet", "refnet.db"), "XDG_DATA_HOME"))
        self.assertEqual(self.where(env={"XDG_DATA_HOME": "relative"})[0], self.db)

    @sqlite_only("a file named in the config, with ~; the server's case below")
    def test_config_database_path_with_tilde(self):
        self.write(self.config, '[database]\npath = "~/clinic/refnet.db"\n')
        xdg = os.path.join(self.home, "data")
        self.assertEqual(self.where(env={"XDG_DATA_HOME": xdg}),
                         (os.path.join(self.home, "clinic", "refnet.db"), f"{self.config}:2:1"))
        self.ok("init")
        self.assertTrue(os.path.isfile(os.path.join(self.home, "clinic", "refnet.db")))

    @sqlite_only("files named in each place; the server's case below")
    def test_refnet_db_beats_the_config(self):
        self.write(self.config, '[database]\npath = "~/clinic/refnet.db"\n')
        env_db = os.path.join(self.home, "env.db")
        self.assertEqual(self.where(env={"REFNET_DB": env_db}), (env_db, "REFNET_DB"))

    @sqlite_only("files named in each place; the server's case below")
    def test_db_flag_beats_everything(self):
        self.write(self.config, '[database]\npath = "~/clinic/refnet.db"\n')
        flag_db = os.path.join(self.home, "flag.db")
        env = {"REFNET_DB": os.path.join(self.home, "env.db"), "XDG_DATA_HOME": os.path.join(self.home, "d")}
        self.assertEqual(self.where("--db", flag_db, env=env), (flag_db, "--db"))
        self.assertEqual(self.ok("db", "path", "--db", flag_db, env=env).out, flag_db + "\n")

    @sqlite_only("~ in a file's path; the server's case below")
    def test_tilde_in_refnet_db_and_db_flag(self):
        self.assertEqual(self.where(env={"REFNET_DB": "~/a.db"})[0], os.path.join(self.home, "a.db"))
        self.assertEqual(self.where("--db", "~/b.db")[0], os.path.join(self.home, "b.db"))

    @sqlite_only("two database files; the server's case below")
    def test_each_database_is_really_used(self):
        one = os.path.join(self.home, "one.db")
        two = os.path.join(self.home, "two.db")
        self.ok("--db", one, "init")
        self.ok("init", env={"REFNET_DB": two})
        self.ok("--db", one, "add", "Only In One")
        self.assertEqual(self.rows("list", "contacts", env={"REFNET_DB": two}), [])
        self.assertEqual([r["name"] for r in self.rows("list", "contacts", "--db", one,
                                                       env={"REFNET_DB": two})], ["Only In One"])

    @postgres_only("a location on a server, found in the order a file is")
    def test_a_server_location_is_found_in_the_same_order_and_used(self):
        url = self.location
        file_db = os.path.join(self.home, "file.db")
        self.write(self.config, f'[database]\npath = "{url}"\n')
        config, env_file = {"REFNET_DB": None}, {"REFNET_DB": file_db}
        self.assertEqual(self.where(env=config), (url, f"{self.config}:2:1"))
        self.assertEqual(self.where(env=env_file), (file_db, "REFNET_DB"))
        self.assertEqual(self.where(env={"REFNET_DB": url}), (url, "REFNET_DB"))
        self.assertEqual(self.where("--db", url, env=env_file), (url, "--db"))
        self.assertEqual(self.where("--db", file_db), (file_db, "--db"))
        self.ok("init", env=config)
        self.ok("add", "On The Server", env=config)
        self.ok("init", env=env_file)
        self.ok("add", "In The File", env=env_file)

        def names(*args, env):
            return [r["name"] for r in self.rows(*args, "list", "contacts", env=env)]
        self.assertEqual(names(env=config), ["On The Server"])
        self.assertEqual(names(env=env_file), ["In The File"])
        self.assertEqual(names("--db", url, env=env_file), ["On The Server"])
        self.assertEqual(names("--db", file_db, env=config), ["In The File"])


class ConfigErrors(AdminCase):
    CASES = [
        # (file text, line, column, what the message must name)
        ("[output]\ncolor = \"always\"\nformat = \"csv\n", 3, None, "syntax"),
        ("[sla]\nkeep_in_touch = \"90d\"\nkeep_in_tuch = \"30d\"\n", 3, 1, "sla.keep_in_tuch"),
        ("[outputs]\ncolor = \"never\"\n", None, None, "outputs"),
        ("[sla.acknowledge]\nroutine = 2\n", 2, 11, "sla.acknowledge.routine"),
        ("[calendar]\nholidays = \"2026-12-25\"\n", 2, 12, "calendar.holidays"),
        ("[output]\ncolor = \"sometimes\"\n", 2, 9, "output.color"),
        ("[sla]\nkeep_in_touch = \"ninety days\"\n", 2, 17, "sla.keep_in_touch"),
        ("[database]\nbusy_timeout = true\n", 2, 16, "database.busy_timeout"),
    ]

    def test_every_mistake_exits_78_with_file_line_column_and_key(self):
        self.ok("init")
        self.add("Ann Lee")
        before = self.dump()
        for text, line, column, name in self.CASES:
            with self.subTest(text=text):
                self.write(self.config, text)
                for args in (("list", "contacts"), ("add", "Bob"), ("config", "show"), ("init",)):
                    result = self.fails(78, *args)
                    self.assertEqual(result.out, "")
                    first = result.err.splitlines()[0]
                    where = re.escape(self.config) + ":" + (str(line) if line else r"\d+") + ":" + \
                        (str(column) if column else r"\d+")
                    self.assertRegex(first, "^refnet: " + where + ": ")
                    self.assertIn(name, first)
                self.assertEqual(self.dump(), before, "a broken config changes nothing")

    def test_unknown_key_suggests_the_right_one(self):
        self.write(self.config, "[output]\ncolour = \"never\"\n")
        result = self.fails(78, "config", "show")
        self.assertIn("output.colour", result.err)
        self.assertIn("output.color", result.err)

    def test_config_path_still_works_with_a_broken_config(self):
        self.write(self.config, "not toml at all [")
        self.assertEqual(self.ok("config", "path").out, self.config + "\n")

    def test_broken_config_named_by_flag_or_env(self):
        bad = self.write(os.path.join(self.home, "bad.toml"), "[output]\nformat = 1\n")
        result = self.fails(78, "--config", bad, "config", "show")
        self.assertIn(f"{bad}:2:10", result.err)
        result = self.fails(78, "config", "show", env={"REFNET_CONFIG": bad})
        self.assertIn(f"{bad}:2:10", result.err)


class Clock(AdminCase):
    def test_invalid_refnet_now_exits_2_and_changes_nothing(self):
        self.ok("init")
        before = self.dump()
        for args in (("list", "contacts"), ("add", "Ann"), ("report", "overdue"), ("log",), ("init",)):
            with self.subTest(args=args):
                result = self.fails(2, *args, now="yesterday-ish")
                self.assertIn("REFNET_NOW", result.err)
        self.assertEqual(self.dump(), before)

    def test_invalid_refnet_now_creates_nothing(self):
        self.fails(2, "init", now="2026-13-01")
        self.assertEqual(files_under(self.home), [])
        self.assertIsNone(self.dump(), "no table made on the server either")

    def test_refnet_now_fixes_the_clock(self):
        self.ok("init")
        record = self.ok("--format", "json", "add", "Ann", now="2030-01-02T03:04:05Z").json()
        self.assertEqual(record["created"], "2030-01-02T03:04:05Z")
        record = self.ok("--format", "json", "add", "Bob", now="2030-01-02T03:04:05+02:00").json()
        self.assertEqual(record["created"], "2030-01-02T01:04:05Z")


class HelpAndVersion(AdminCase):
    def test_version(self):
        result = self.ok("--version")
        self.assertRegex(result.out, r"^refnet \d+\.\d+\.\d+")
        self.assertRegex(result.out, r"SQLite 3\.\d+\.\d+")
        self.assertEqual(result.err, "")

    def subcommands(self, help_text):
        """The names listed under "Subcommands:" in a --help text."""
        names = []
        section = help_text.split("Subcommands:", 1)
        if len(section) == 1:
            return names
        for line in section[1].splitlines()[1:]:
            match = re.match(r"^  ([a-z_-]+)", line)  # "touchpoints, followups": the name, not its alias
            if not match:
                break
            names.append(match.group(1))
        return names

    def test_help_of_the_app_and_every_subcommand(self):
        top = self.ok("--help")
        self.assertIn("Example", top.out)
        self.assertIn("Usage", top.out)
        commands = self.subcommands(top.out)
        for expected in ("init", "add", "list", "show", "report", "log", "db", "config"):
            self.assertIn(expected, commands)
        seen = 0
        pending = [[name] for name in commands]
        while pending:
            path = pending.pop(0)
            with self.subTest(command=" ".join(path)):
                result = self.ok(*path, "--help")
                self.assertRegex(result.out, r"(?m)^Example", f"refnet {' '.join(path)} --help")
                self.assertEqual(result.err, "")
                self.assertEqual(self.ok(*path, "-h").out, result.out)
                self.assertLess(len(path), 4, "help nests three commands deep at most")
                pending += [path + [name] for name in self.subcommands(result.out) if name not in path]
                seen += 1
        self.assertGreater(seen, len(commands), "nested subcommands were walked too")
        self.assertEqual(files_under(self.home), [], "help touches no file")

    def test_help_works_without_a_database_or_with_a_broken_config(self):
        self.write(self.config, "[[[")
        self.ok("list", "--help")
        self.ok("--help")


class UsageErrors(AdminCase):
    CASES = [
        ("frobnicate",),
        ("list", "patients"),
        ("list",),
        ("--frobnicate", "list", "contacts"),
        ("list", "contacts", "--frobnicate"),
        ("list", "contacts", "extra-word"),
        ("--format", "xml", "list", "contacts"),
        ("--color", "sometimes", "list", "contacts"),
        ("--format",),
        (),
        ("report", "overdue", "--as-of", "whenever"),
        ("config", "frob"),
        ("db", "frob"),
    ]

    def test_usage_errors_exit_2_with_refnet_prefix(self):
        self.ok("init")
        for args in self.CASES:
            with self.subTest(args=args):
                result = self.fails(2, *args)
                self.assertEqual(result.out, "")
                self.assertRegex(result.err, r"^refnet: \S")

    def test_unknown_command_is_named_with_the_alternatives(self):
        result = self.fails(2, "lst", "contacts")
        self.assertIn("'lst'", result.err)
        self.assertIn("list", result.err)
        result = self.fails(2, "list", "patients")
        self.assertIn("'patients'", result.err)
        self.assertIn("contacts", result.err)
        result = self.fails(2, "--format", "csv", "list", "patients")
        self.assertIn("'patients'", result.err)
        result = self.fails(2, "list")
        self.assertIn("referrals", result.err)
        # A flag before the word takes no value: the word is still the one named.
        result = self.fails(2, "--no-header", "lst", "contacts")
        self.assertIn("'lst' is not a refnet command", result.err)
        result = self.fails(2, "--db=x.db", "--no-header", "--format", "csv", "lst")
        self.assertIn("'lst' is not a refnet command", result.err)

    def test_a_slip_gets_a_did_you_mean(self):
        self.ok("init")
        self.ok("add", "Ann Lee", "--role", "pcp")
        cases = [
            (("refr",), "'refr' is not a refnet command; did you mean 'refer'?"),
            (("reprot",), "did you mean 'report'?"),
            (("list", "referals"), "'referals' is not a refnet list command; did you mean 'referrals'?"),
            (("report", "overdu"), "'overdu' is not a refnet report command; did you mean 'overdue'?"),
            (("export", "contcts"), "did you mean 'contacts'?"),
            # A misspelt option is named before whatever it makes look missing or unexpected.
            (("refer", "--to", "lee", "--patiant", "X"),
             "refnet refer takes no option --patiant; did you mean --patient?"),
            (("refer", "--to", "lee", "--patient", "Y", "--patiant", "X"),
             "refnet refer takes no option --patiant; did you mean --patient?"),
            (("list", "referrals", "--opne"), "did you mean --open?"),
            # Options a command takes from refnet and its parent count too.
            (("report", "overdue", "--sinse", "2026-01-01"), "did you mean --since?"),
            (("--formt", "csv", "list", "contacts"), "did you mean --format?"),
            (("ack", "1", "2"), "refnet ack takes no argument '2'"),
        ]
        for args, says in cases:
            with self.subTest(args=args):
                result = self.refused(2, *args, says=says)
                self.assertEqual(result.err.count("\n"), 2, result.err)  # one line, one hint
        # Nothing near enough: the alternatives, without a guess.
        result = self.refused(2, "frobnicate")
        self.assertNotIn("did you mean", result.err)
        self.assertIn("use one of: init, add", result.err)

    def test_a_missing_id_says_how_ids_are_typed(self):
        self.ok("init")
        self.ok("add", "Ann Lee", "--role", "pcp")
        self.ok("refer", "--from", "Ann", "--patient", "MRN-1")
        # `refnet ack #1` reaches refnet as `refnet ack`: the shell drops the comment.
        result = self.refused(2, "ack", says="REFERRAL is required")
        self.assertIn("ids are typed without '#' (refnet ack 2)", result.err)
        self.ok("ack", "#1")  # quoted, it is read

    def test_help_lists_what_a_command_takes_from_refnet_and_its_parent(self):
        help_text = self.ok("export", "contacts", "--help").out
        self.assertIn("Also takes:", help_text)
        self.assertRegex(help_text, r"(?m)^  --format FORMAT")
        overdue = self.ok("report", "overdue", "--help").out
        for option in ("--since DATE", "--until DATE", "--as-of DATE", "--db FILE", "--wide"):
            self.assertRegex(overdue, r"(?m)^  " + re.escape(option))
        # Its own -o is listed once, as its own.
        self.assertEqual(len(re.findall(r"(?m)^  -o,--output", overdue)), 1)
        self.assertNotIn("Also takes", self.ok("--help").out)

    def test_global_options_before_the_command_find_it(self):
        # refnet wires only the command the line names: finding it must step over every global
        # option and its value, in both spellings, or the command would run unwired.
        self.ok("init")
        self.ok("add", "Ann Lee", "--role", "pcp")
        expected = self.ok("list", "contacts", "--format", "csv").out
        for prefix in (("--format", "csv"), ("--format=csv",), ("--no-header", "--format", "csv"),
                       ("--color", "never", "--format", "csv"), ("--db", self.location, "--format", "csv"),
                       ("--config", self.config, "--format", "csv")):
            with self.subTest(prefix=prefix):
                out = self.ok(*prefix, "list", "contacts").out
                self.assertEqual(out, expected.split("\n", 1)[1] if "--no-header" in prefix else expected)
        # A value that happens to be a command's name is still the option's value: a database
        # file named "add" in the working folder.
        self.ok("--db", os.path.join(self.home, "add"), "init")
        self.ok("--db", os.path.join(self.home, "add"), "add", "Bo Diaz")
        for args in (("--db", "add", "list", "contacts"), ("--db=add", "list", "contacts"),
                     ("--no-header", "--db", "add", "list", "contacts")):
            with self.subTest(args=args):
                self.assertIn("Bo Diaz", self.ok(*args, "--format", "csv", cwd=self.home).out)


def build_overdue(case):
    """One of each debt, each with a known due time."""
    case.init()
    ids = {}
    ids["ann"] = case.add("Ann Lee", "--role", "pcp", now="2026-11-01T09:00:00Z")
    ids["bob"] = case.add("Bob Stone", "--role", "specialist", now="2026-11-01T09:00:00Z")
    ids["cara"] = case.add("Cara Diaz", now="2026-08-21T09:00:00Z")  # nothing since: losing touch
    # Inbound urgent, not acknowledged: due 2026-11-25T09:00Z.
    ids["ack"] = case.refer("--from", "Ann", "--patient", "P-ACK", "--urgency", "urgent",
                            "--date", "2026-11-24T09:00:00Z", now="2026-11-24T09:00:00Z")
    case.ok("followup", "Ann", "--via", "call", "--note", "thanks", now="2026-11-24T10:00:00Z")
    # Outbound routine, not acknowledged by the consultant: Mon 16th + 2bd = Wed 18th.
    ids["chase"] = case.refer("--to", "Bob", "--patient", "P-CHASE", "--date", "2026-11-16T09:00:00Z",
                              now="2026-11-16T09:00:00Z")
    # Inbound seen on the 1st: our report is owed by the 15th.
    ids["report"] = case.refer("--from", "Bob", "--patient", "P-REPORT", "--date", "2026-10-28T09:00:00Z",
                               now="2026-10-28T09:00:00Z")
    case.ok("status", str(ids["report"]), "seen", "--date", "2026-11-01T09:00:00Z", now="2026-11-01T09:00:00Z")
    case.ok("followup", "Bob", "--via", "email", "--note", "thanks", now="2026-11-16T10:00:00Z")
    # A planned follow-up due on the 26th.
    ids["plan"] = case.ok("--format", "json", "followup", "Ann", "--due", "2026-11-26T09:00:00Z",
                          "--via", "video", now="2026-11-25T09:00:00Z").json()["id"]
    return ids


class ReportOverdue(AdminCase):
    def setUp(self):
        super().setUp()
        self.ids = self.seed(build_overdue)

    def test_check_exits_1_when_something_is_overdue(self):
        result = self.run_refnet("report", "overdue", "--check")
        self.assertEqual(result.code, 1, result)
        self.assertIn("P-ACK", result.out, "the list is printed as well")

    def test_check_exits_0_when_nothing_is_overdue(self):
        # Before anything fell due: the call planned after Bob's referral of the 28th is due on the
        # 29th at 09:00, the seen referral's report on the 15th.
        result = self.run_refnet("report", "overdue", "--check", "--as-of", "2026-10-29T08:59:59Z")
        self.assertEqual(result.code, 0, result)
        empty = self.ok("report", "overdue", "--check", "--as-of", "2026-10-29T08:59:59Z", "--format", "json")
        self.assertEqual(empty.json(), [])

    def test_check_on_an_empty_database(self):
        empty = self.other_database("empty.db")
        self.ok("init", "--db", empty)
        result = self.run_refnet("--db", empty, "report", "overdue", "--check")
        self.assertEqual(result.code, 0, result)

    def test_as_of_moves_the_clock(self):
        kinds = lambda as_of: {r["kind"] for r in self.rows("report", "overdue", "--as-of", as_of)}  # noqa
        # The call planned after Bob's referral was open until the email of the 16th at 10:00
        # satisfied it: the list at an earlier as-of has it, a later one does not.
        self.assertEqual(kinds("2026-11-02T09:00:00Z"), {"followup"})
        self.assertEqual(kinds("2026-11-16T09:00:00Z"), {"send-report", "followup"})
        self.assertEqual(kinds("2026-11-18T09:00:01Z"), {"send-report", "chase-acknowledgement"})
        self.assertIn("keep-in-touch", kinds("2026-11-19T09:00:01Z"))
        self.assertNotIn("acknowledge", kinds("2026-11-25T08:59:59Z"))
        self.assertIn("acknowledge", kinds("2026-11-25T09:00:01Z"))
        # A named day means the end of it.
        self.assertIn("acknowledge", kinds("2026-11-25"))
        self.assertNotIn("acknowledge", kinds("2026-11-24"))

    def test_a_past_as_of_sees_the_list_as_it_stood_then(self):
        # Ann's referral acknowledged and Cara archived on the 26th: both still owed on the 25th.
        self.ok("ack", str(self.ids["ack"]), "--date", "2026-11-26T09:00:00Z", now="2026-11-26T09:00:00Z")
        self.ok("archive", "Cara", now="2026-11-26T09:00:00Z")
        now = {r["kind"] for r in self.rows("report", "overdue")}
        self.assertNotIn("acknowledge", now)
        self.assertNotIn("keep-in-touch", now)
        then = self.rows("report", "overdue", "--as-of", "2026-11-25T12:00:00Z")
        self.assertEqual({r["kind"] for r in then}, {"acknowledge", "keep-in-touch", "send-report",
                                                      "chase-acknowledgement"})
        self.assertEqual([r["contact"] for r in then if r["kind"] == "keep-in-touch"], ["Cara Diaz"])
        # The summary's figures count the same items, and the plan due on the 26th is in the week.
        summary = {(r["section"], r["metric"]): r["value"]
                   for r in self.rows("report", "summary", "--as-of", "2026-11-25T12:00:00Z")}
        self.assertEqual(summary[("actions", "overdue")], len(then))
        self.assertEqual(summary[("actions", "followups_past_due")], 0)
        self.assertEqual(summary[("actions", "followups_due_7d")], 1)
        # A period keeps the items that fell due in it (Bob's on the 18th, Ann's on the 25th),
        # whenever their referrals were made.
        within = self.rows("report", "overdue", "--as-of", "2026-11-25T12:00:00Z",
                           "--since", "2026-11-18", "--until", "2026-11-25")
        self.assertEqual([(r["kind"], r["due"]) for r in within],
                         [("chase-acknowledgement", "2026-11-18T09:00:00Z"),
                          ("keep-in-touch", "2026-11-19T09:00:00Z"),
                          ("acknowledge", "2026-11-25T09:00:00Z")])

    def test_every_kind_of_debt_and_most_overdue_first(self):
        rows = self.rows("report", "overdue")
        kinds = [r["kind"] for r in rows]
        for kind in ("acknowledge", "chase-acknowledgement", "send-report", "followup", "keep-in-touch"):
            self.assertIn(kind, kinds)
        dues = [r["due"] for r in rows]
        self.assertEqual(dues, sorted(dues), "most overdue first")
        lates = [r["late_hours"] for r in rows]
        self.assertEqual(lates, sorted(lates, reverse=True))
        by_kind = {r["kind"]: r for r in rows}
        ack = by_kind["acknowledge"]
        self.assertEqual(ack["contact"], "Ann Lee")
        self.assertEqual(ack["referral_id"], self.ids["ack"])
        self.assertEqual(ack["due"], "2026-11-25T09:00:00Z")
        self.assertEqual(ack["late_hours"], 48)
        self.assertIn("P-ACK", ack["owed"])
        chase = by_kind["chase-acknowledgement"]
        self.assertEqual((chase["contact"], chase["due"]), ("Bob Stone", "2026-11-18T09:00:00Z"))
        report = by_kind["send-report"]
        self.assertEqual((report["contact"], report["due"]), ("Bob Stone", "2026-11-15T09:00:00Z"))
        followup = by_kind["followup"]
        self.assertEqual((followup["followup_id"], followup["due"]), (self.ids["plan"], "2026-11-26T09:00:00Z"))
        self.assertEqual(followup["late_hours"], 24)
        touch = by_kind["keep-in-touch"]
        self.assertEqual(touch["contact"], "Cara Diaz")
        self.assertIsNone(touch["referral_id"])
        self.assertEqual(touch["due"], "2026-11-19T09:00:00Z")  # 90 days after she was added

    def test_keep_in_touch_counts_local_days_across_daylight_saving(self):
        # Added 2026-07-15 09:00 EDT; 90 local days later is 2026-10-13 09:00 EDT (13:00Z), and
        # as of 2026-12-01 12:00Z that is 1,175 hours late, whatever the offset did in between.
        ny = {"TZ": "America/New_York"}
        db = self.other_database("dst.db")
        self.ok("--db", db, "init", env=ny)
        self.ok("--db", db, "add", "Dana Summer", "--role", "pcp", env=ny,
                now="2026-07-15T13:00:00Z")
        self.ok("--db", db, "followup", "Dana", env=ny, now="2026-07-15T13:00:00Z")
        rows = self.rows("--db", db, "report", "overdue", env=ny, now="2026-12-01T12:00:00Z")
        touch = next(r for r in rows if r["kind"] == "keep-in-touch")
        self.assertEqual((touch["due"], touch["late_hours"]), ("2026-10-13T13:00:00Z", 1175))
        self.assertEqual(self.ok("--db", db, "report", "overdue", env=ny,
                                 now="2026-10-13T12:59:59Z").out, "")

    def test_debts_due_together_to_one_contact_are_listed_by_id(self):
        # Three reports owed to Bob at the same moment, seen in an order their ids do not follow
        # and with patients whose order is another again: the list goes by referral id, whatever
        # index the rows come from.
        ids = []
        for patient in ("Z-LAST", "A-FIRST", "M-MIDDLE"):
            ref = self.refer("--from", "Bob", "--patient", patient, "--date", "2026-10-28T09:00:00Z",
                             now="2026-10-28T09:00:00Z")
            ids.append(ref)
        for ref in reversed(ids):
            self.ok("status", str(ref), "seen", "--date", "2026-11-02T09:00:00Z",
                    now="2026-11-02T09:00:00Z")
        rows = [r for r in self.rows("report", "overdue") if r["due"] == "2026-11-16T09:00:00Z"]
        self.assertEqual([r["referral_id"] for r in rows], ids)

    def test_csv_columns_say_what_to_whom_and_how_late(self):
        text = self.ok("report", "overdue", "--format", "csv").out
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        header = text.splitlines()[0].split(",")
        for column in ("kind", "owed", "contact", "due", "late", "late_hours"):
            self.assertIn(column, header)
        self.assertEqual(len(rows), len(self.rows("report", "overdue")))
        self.assertTrue(all(re.fullmatch(r"\d+", r["late_hours"]) for r in rows))
        self.assertTrue(all(r["due"].endswith("Z") for r in rows))
        self.assertEqual(rows[0]["kind"], "send-report")

    def test_table_shows_how_late_in_words(self):
        table = self.ok("report", "overdue").out
        self.assertRegex(table, r"(?m)^\s*2d\s+acknowledge\b")
        self.assertIn("Ann Lee", table)

    def test_done_debts_leave_the_list(self):
        self.ok("ack", str(self.ids["ack"]))
        self.ok("followup", "done", str(self.ids["plan"]))
        self.ok("status", str(self.ids["report"]), "closed")
        self.ok("ack", str(self.ids["chase"]))
        self.ok("followup", "Cara", "--via", "call")
        result = self.run_refnet("report", "overdue", "--check", "--format", "json")
        self.assertEqual(result.code, 0, result)
        self.assertEqual(result.json(), [])


if __name__ == "__main__":
    unittest.main()
