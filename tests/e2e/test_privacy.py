"""Patient references stay protected: --redact and -o on every command that prints them,
output.redact, warnings about files others can read, the README's cron recipe, encrypted backups
and db restore. On PostgreSQL the same promises are checked the server's way: logins without a
grant instead of a file's mode, refnet_meta instead of the file header, and a backup of the server
opened as a file, since db restore never replaces a shared database."""

import json
import os
import pty
import re
import select
import sqlite3
import stat
import subprocess
import time
import unittest

import cli_help
from refnet_e2e import (BIN, POSTGRES, SOURCE_DIR, RefnetCase, _pg_admin,
                        postgres_only, sqlite_only)

PATIENTS = ["MRN-1001", "MRN-1002", "MRN-1003", "MRN-1004"]
PASSPHRASE = "correct horse battery staple"
PSEUDONYM = re.compile(r"\bP-[0-9a-f]{12}\b")


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def build_network(case):
    """Three contacts, referrals both ways in every stage, so every report and listing has a
    patient reference to print: overdue acknowledgements, a report owed, status changes in the
    log, a planned follow-up tied to a referral."""
    case.init()
    case.add("Dr. Ann Lee", "--role", "pcp", "--source", "conference")
    case.add("Dr. Raj Patel", "--role", "specialist", "--specialty", "cardiology")
    case.add("Dr. Cara Diaz", "--role", "pcp")
    case.refer("--from", "Lee", "--patient", PATIENTS[0], "--date", "2026-10-01", "--reason", "chest pain")
    case.refer("--to", "Patel", "--patient", PATIENTS[1], "--date", "2026-10-15")
    case.refer("--from", "Diaz", "--patient", PATIENTS[2], "--date", "2026-11-02", "--urgency", "urgent")
    case.refer("--from", "Lee", "--patient", PATIENTS[3], "--date", "2026-11-20")
    case.ok("ack", "1", "--date", "2026-10-02")
    case.ok("status", "1", "scheduled", "--date", "2026-10-05")
    case.ok("status", "1", "seen", "--date", "2026-10-10")
    case.ok("followup", "Patel", "--referral", "2", "--due", "2026-11-20")
    return None


def printing_commands():
    """Every command path that prints records, with the arguments it needs: from the binary's
    own help, so a new report is covered without being named here."""
    commands = []
    for command in cli_help.walk():
        if command.subcommands or not any(o.long == "--redact" for o in command.options):
            continue
        path = list(command.path)
        if path == ["show"]:
            commands += [["show", "Lee"], ["show", "Patel"], ["show", "--referral", "1"],
                         ["show", "--referral", "2"]]
        elif path == ["search"]:
            commands.append(["search", "chest"])
        elif path == ["undo"]:
            # What the last change did to a referral, its patient included; changing nothing.
            commands.append(["undo", "--dry-run"])
        else:
            commands.append(path)
    return commands


class PrivacyCase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.seed(build_network)

    def leaked(self, text):
        return [p for p in PATIENTS if p in text]

    def restored(self):
        """Where `db restore` puts a backup: in place of the database file; on PostgreSQL, where
        it is refused, a new file, as README says of an encrypted backup of the server (db
        restore it into a file first)."""
        return os.path.join(self.home, "restored", "refnet.db") if POSTGRES else self.db

    def restore_args(self, *args):
        return (("--db", self.restored()) if POSTGRES else ()) + ("db", "restore", *args)

    def restored_bytes(self):
        """The restore target's bytes (None while there is none) and its folder's files."""
        folder = os.path.dirname(self.restored())
        if not os.path.exists(self.restored()):
            return None, sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        with open(self.restored(), "rb") as f:
            return f.read(), sorted(os.listdir(folder))


class Redaction(PrivacyCase):
    def test_every_command_that_can_print_a_patient_takes_redact(self):
        commands = printing_commands()
        names = {" ".join(c[:2]) for c in commands}
        # The commands the README names, at least: a new one joins by taking --redact.
        for expected in ("list referrals", "show Lee", "report overdue", "report summary",
                         "log", "export referrals", "export touchpoints"):
            self.assertIn(expected, names)
        for args in commands:
            # show prints a card: a table or json.
            formats = ["table", "json"] if args[0] == "show" else ["table", "csv", "tsv", "json"]
            if args[0] == "export" and args[1] == "touchpoints":
                formats.append("ics")
            if args[:2] == ["report", "network"]:
                formats.append("dot")
            if args[:2] == ["report", "digest"]:
                formats = ["table", "json", "html"]  # a page, not rows
            for fmt in formats:
                with self.subTest(command=" ".join(args), format=fmt):
                    plain = self.ok(*args, "--format", fmt, "--no-redact")
                    redacted = self.ok(*args, "--format", fmt, "--redact")
                    self.assertEqual(self.leaked(redacted.out), [], redacted.out)
                    # Where the plain output names a patient, the redacted one has a pseudonym in
                    # its place, and nothing else differs in shape.
                    if self.leaked(plain.out):
                        self.assertRegex(redacted.out, PSEUDONYM)
                        self.assertEqual(redacted.out.count("\n"), plain.out.count("\n"))

    def test_the_patients_that_show_up_unredacted(self):
        # The plain outputs do name patients where the contract says they do: otherwise the test
        # above would prove nothing.
        for args in (["list", "referrals"], ["show", "--referral", "1"], ["show", "Lee"],
                     ["report", "overdue"], ["log", "--format", "json"], ["export", "referrals"]):
            with self.subTest(command=" ".join(args)):
                self.assertNotEqual(self.leaked(self.ok(*args).out), [], args)

    def test_a_pseudonym_is_the_same_everywhere_in_one_database(self):
        listed = {r["id"]: r["patient"] for r in self.rows("list", "referrals", "--redact")}
        exported = {r["id"]: r["patient"] for r in self.rows("export", "referrals", "--redact")}
        self.assertEqual(listed, exported)
        self.assertEqual(len(set(listed.values())), len(PATIENTS))
        shown = self.ok("show", "--referral", "4", "--redact", "--format", "json").json()
        self.assertEqual(shown["referral"]["patient"], listed[4])
        overdue = self.ok("report", "overdue", "--redact", "--format", "json").json()
        owed = [r["owed"] for r in overdue if r["referral_id"] == 4 and r["kind"] == "acknowledge"]
        self.assertEqual(owed, [f"acknowledge referral #4 (patient {listed[4]})"])

    def test_the_log_redacts_old_and_new_values(self):
        rows = self.ok("log", "--redact", "--format", "json").json()
        referral_rows = [r for r in rows if r["entity"] == "referral"]
        self.assertTrue(any(r["new"] and "patient" in r["new"] for r in referral_rows))
        for row in referral_rows:
            for side in ("old", "new"):
                if row[side] and "patient" in row[side]:
                    self.assertRegex(row[side]["patient"], PSEUDONYM)
        self.assertEqual(self.leaked(self.ok("log", "--redact", "--format", "csv").out), [])

    def test_redact_and_no_redact_exclude_each_other(self):
        self.refused(2, "list", "referrals", "--redact", "--no-redact", says="excludes")

    def test_output_redact_always_and_never(self):
        self.write_config('[output]\nredact = "always"\n')
        self.assertEqual(self.leaked(self.ok("list", "referrals").out), [])
        self.assertNotEqual(self.leaked(self.ok("list", "referrals", "--no-redact").out), [])
        self.write_config('[output]\nredact = "never"\n')
        self.assertNotEqual(self.leaked(self.ok("list", "referrals").out), [])
        self.assertEqual(self.leaked(self.ok("list", "referrals", "--redact").out), [])

    def test_output_redact_auto_redacts_a_pipe_and_a_file_but_not_a_terminal(self):
        self.write_config('[output]\nredact = "auto"\n')
        # A pipe (what the test reads) is not a terminal.
        self.assertEqual(self.leaked(self.ok("report", "overdue").out), [])
        target = os.path.join(self.home, "overdue.txt")
        self.ok("report", "overdue", "-o", target)
        with open(target, encoding="utf-8") as f:
            self.assertEqual(self.leaked(f.read()), [])
        # At a terminal, the physician sees the references.
        screen = run_at_terminal([BIN, "list", "referrals"], self.env)
        self.assertIn(PATIENTS[0], screen)
        screen = run_at_terminal([BIN, "list", "referrals", "--redact"], self.env)
        self.assertNotIn(PATIENTS[0], screen)


class OutputFile(PrivacyCase):
    def run_with_umask(self, umask, *args):
        proc = subprocess.run([BIN, *args], env=self.env, capture_output=True, text=True,
                              timeout=60, preexec_fn=lambda: os.umask(umask))
        return proc

    def test_o_writes_what_stdout_would_get_into_a_private_file(self):
        for umask in (0o022, 0o000):
            for args in (["report", "overdue"], ["list", "contacts"], ["log"],
                         ["list", "referrals"], ["report", "trend"]):
                with self.subTest(umask=f"{umask:03o}", command=" ".join(args)):
                    target = os.path.join(self.home, f"out-{umask:03o}-{'-'.join(args)}.txt")
                    proc = self.run_with_umask(umask, *args, "--format", "csv", "-o", target)
                    self.assertEqual(proc.returncode, 0, proc.stderr)
                    self.assertEqual(proc.stdout, "")
                    self.assertEqual(mode(target), 0o600)
                    with open(target, encoding="utf-8") as f:
                        self.assertEqual(f.read(), self.ok(*args, "--format", "csv").out)

    def test_o_replaces_a_file_whole_and_keeps_it_when_the_command_fails(self):
        target = self.write_file("list.txt", "yesterday's list\n")
        os.chmod(target, 0o644)
        files = sorted(os.listdir(self.home))
        self.ok("list", "referrals", "-o", target)
        self.assertEqual(mode(target), 0o600, "a replaced file is private too")
        with open(target, encoding="utf-8") as f:
            first = f.read()
        self.assertIn("Dr. Ann Lee", first)
        self.fails(65, "show", "Nobody", "-o", target)
        self.fails(2, "report", "overdue", "--as-of", "not-a-date", "-o", target)
        with open(target, encoding="utf-8") as f:
            self.assertEqual(f.read(), first)
        self.assertEqual(sorted(os.listdir(self.home)), files, "no temporary file left behind")

    def test_check_that_finds_something_still_writes_the_file(self):
        target = os.path.join(self.home, "overdue.txt")
        result = self.run_refnet("report", "overdue", "--check", "-o", target)
        self.assertEqual(result.code, 1, result)
        self.assertEqual(result.out, "")
        with open(target, encoding="utf-8") as f:
            self.assertIn("acknowledge referral #4", f.read())

    @sqlite_only("the database is a file -o could name only on SQLite")
    def test_o_never_replaces_the_database(self):
        before = self.dump()
        for target in (self.db, self.db + "-wal", self.db + "-journal",
                       os.path.join(os.path.dirname(self.db), "..", "refnet", "refnet.db")):
            with self.subTest(target=target):
                result = self.fails(73, "list", "referrals", "-o", target)
                self.assertIn("the database itself", result.err)
        self.assertEqual(self.dump(), before)

    def test_o_into_a_missing_folder_is_73(self):
        result = self.fails(73, "report", "overdue", "-o", os.path.join(self.home, "no", "x.txt"))
        self.assertEqual(result.out, "")

    def test_a_table_in_a_file_has_no_colour_unless_asked(self):
        target = os.path.join(self.home, "t.txt")
        self.ok("report", "overdue", "-o", target, env={"CLICOLOR_FORCE": "1"})
        with open(target, encoding="utf-8") as f:
            self.assertNotIn("\x1b[", f.read())
        self.ok("--color", "always", "report", "overdue", "-o", target)
        with open(target, encoding="utf-8") as f:
            self.assertIn("\x1b[", f.read())


class CronRecipe(PrivacyCase):
    def readme_cron_line(self):
        with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        block = re.search(r"```cron\n(.*?)\n```", readme, re.S).group(1)
        fields = block.split(None, 5)
        self.assertEqual(len(fields), 6, block)
        return fields[5]

    def run_cron(self, umask=0o022):
        """Runs the README's crontab command as cron would (/bin/sh, HOME set), with a `mail`
        that keeps what it was given."""
        bin_dir = os.path.join(self.home, "bin")
        os.makedirs(bin_dir, exist_ok=True)
        refnet = os.path.join(bin_dir, "refnet")
        if not os.path.exists(refnet):
            os.symlink(os.path.abspath(BIN), refnet)
        mailed = os.path.join(self.home, "mailed")
        with open(os.path.join(bin_dir, "mail"), "w") as f:
            f.write(f'#!/bin/sh\nprintf "%s\\n" "$*" > {mailed}.args\ncat > {mailed}\n')
        os.chmod(os.path.join(bin_dir, "mail"), 0o755)
        env = dict(self.env, PATH=bin_dir + ":" + self.env["PATH"])
        if POSTGRES:
            # The line writes into refnet's folder beside a database file; with the database on
            # a server nothing has made it, so it is made once, private, as a user would.
            os.makedirs(os.path.join(self.home, ".local", "share", "refnet"), mode=0o700)
        proc = subprocess.run(["/bin/sh", "-c", self.readme_cron_line()], env=env, cwd="/",
                              capture_output=True, text=True, timeout=60,
                              preexec_fn=lambda: os.umask(umask))
        return proc, mailed

    def test_the_readme_cron_line_mails_a_redacted_list_and_leaves_nothing_readable(self):
        proc, mailed = self.run_cron(umask=0o022)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        with open(mailed, encoding="utf-8") as f:
            body = f.read()
        self.assertIn("acknowledge referral #4", body)
        self.assertEqual(self.leaked(body), [])
        self.assertRegex(body, PSEUDONYM)
        # Whatever it wrote is private, and nothing at all went to /tmp.
        for root, dirs, files in os.walk(self.home):
            for name in files:
                path = os.path.join(root, name)
                if os.path.islink(path) or root.endswith("bin") or path.startswith(mailed):
                    continue
                self.assertEqual(mode(path) & 0o077, 0, path)

    def test_the_readme_cron_line_mails_nothing_when_nothing_is_overdue(self):
        self.env["REFNET_NOW"] = "2026-09-01T09:00:00Z"  # before any referral
        proc, mailed = self.run_cron()
        self.assertEqual(proc.returncode, 1, "cron sees the line fail quietly")
        self.assertEqual(proc.stderr, "")
        self.assertFalse(os.path.exists(mailed))


class Warnings(PrivacyCase):
    @sqlite_only("the database is a file with a mode only on SQLite (PostgreSQL: OtherLogins)")
    def test_a_database_others_can_read_is_named_with_its_fix(self):
        os.chmod(self.db, 0o644)
        result = self.ok("list", "contacts")
        self.assertEqual(result.err,
                         f"refnet: warning: {self.db} is open to other users (mode 0644); "
                         f"make it private with: chmod 600 {self.db}\n")
        os.chmod(self.db, 0o600)
        self.assertEqual(self.ok("list", "contacts").err, "")

    def test_a_config_others_can_read_is_named_once(self):
        path = self.write_config('[output]\nformat = "table"\n')
        os.chmod(path, 0o640)
        result = self.ok("report", "overdue")
        self.assertEqual(result.err.count("warning"), 1, result.err)
        self.assertIn(f"{path} is open to other users (mode 0640)", result.err)

    def test_a_warning_comes_before_the_output_on_one_stream(self):
        """As cron's mail or `2>&1` has them: stderr is written at once, after what stdout
        held."""
        self.add("Zed Ordering")
        path = self.write_config('[output]\nformat = "table"\n')
        os.chmod(path, 0o640)
        proc = subprocess.run(["sh", "-c", '"$0" list contacts 2>&1', BIN], env=self.env,
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stdout)
        lines = proc.stdout.splitlines()
        self.assertTrue(lines[0].startswith("refnet: warning: "), proc.stdout)
        self.assertIn("Zed Ordering", proc.stdout)

    def test_machine_output_stays_clean(self):
        config = self.write_config('[output]\nformat = "table"\n')
        os.chmod(config, 0o644)
        if not POSTGRES:
            os.chmod(self.db, 0o644)
        result = self.ok("list", "referrals", "--format", "json")
        self.assertIsInstance(result.json(), list)
        self.assertEqual(result.err.count("warning"), 1 if POSTGRES else 2, result.err)


@postgres_only("a database on a server: its logins, not a file's mode")
class OtherLogins(PrivacyCase):
    """The twin of a database file others can read: on a server, a login the practice did not
    grant (README "A practice on PostgreSQL") reads nothing of the network."""

    def setUp(self):
        super().setUp()
        self.login = "outsider_" + self.pg_database[-8:]
        self.password = "pw-" + self.pg_database[-8:]
        # A password: pg_virtualenv's cluster asks for one over TCP.
        _pg_admin(f"CREATE ROLE \"{self.login}\" LOGIN PASSWORD '{self.password}'")
        self.addCleanup(_pg_admin, f'DROP ROLE IF EXISTS "{self.login}"')

    def test_a_login_without_a_grant_reads_no_patient(self):
        env = {"PGUSER": self.login, "PGPASSWORD": self.password}
        before = self.dump()
        for args in (["list", "referrals"], ["report", "overdue"], ["export", "referrals"],
                     ["log"], ["add", "Dr. Intruder"]):
            with self.subTest(command=" ".join(args)):
                result = self.fails(73, *args, env=env)
                self.assertIn("may not", result.err)
                self.assertEqual(result.out, "")
                self.assertEqual(self.leaked(result.err), [])
        self.assertEqual(self.dump(), before)
        import psycopg2
        conn = psycopg2.connect(dbname=self.pg_database, user=self.login, password=self.password)
        try:
            for table in ("referral", "audit", "secret"):
                with self.subTest(table=table), conn.cursor() as cursor:
                    with self.assertRaises(psycopg2.errors.InsufficientPrivilege):
                        cursor.execute(f"SELECT * FROM {table}")
                    conn.rollback()
        finally:
            conn.close()


def run_at_terminal(argv, env, answers=(), timeout=60):
    """Runs argv with a pseudo-terminal as its controlling terminal, stdin and stdout; writes each
    answer after its prompt shows. Returns everything the terminal showed."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    shown = b""
    pending = list(answers)
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
            if pending and shown.rstrip().endswith(pending[0][0].encode()):
                os.write(fd, pending.pop(0)[1].encode() + b"\n")
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    run_at_terminal.status = os.waitstatus_to_exitcode(status)
    return shown.decode(errors="replace").replace("\r", "")


class EncryptedBackup(PrivacyCase):
    def setUp(self):
        super().setUp()
        self.passfile = self.write_file("pass.txt", PASSPHRASE + "\n")
        os.chmod(self.passfile, 0o600)
        self.env["REFNET_PASSPHRASE_FILE"] = self.passfile
        self.backups = os.path.join(self.home, "usb")
        os.mkdir(self.backups)

    def backup(self, name="refnet.db.sealed", *extra, umask=0o022):
        target = os.path.join(self.backups, name)
        proc = subprocess.run([BIN, "db", "backup", target, "--encrypt", *extra], env=self.env,
                              capture_output=True, text=True, timeout=60,
                              preexec_fn=lambda: os.umask(umask))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return target

    @sqlite_only("db restore replaces the database file; refused on PostgreSQL (twin below)")
    def test_round_trip_gives_back_the_same_database(self):
        before = self.dump()
        target = self.backup()
        # Changes after the backup are what the restore takes back.
        self.add("Dr. Late Addition")
        result = self.ok("db", "restore", target, "--format", "json").json()
        self.assertEqual(result["encrypted"], True)
        self.assertEqual(result["replaced"], self.db + ".before-restore")
        after = self.dump()
        restore_rows = self.query("SELECT action, entity FROM audit WHERE action = 'restore'")
        self.assertEqual(restore_rows, [("restore", "database")])
        # Apart from the audit row of the restore, the database is the one backed up.
        self.assertEqual([l for l in after.splitlines() if "'restore'" not in l],
                         before.splitlines())
        self.assertEqual(mode(self.db + ".before-restore"), 0o600)
        self.assertEqual(mode(self.db), 0o600)
        kept = sqlite3.connect(self.db + ".before-restore")
        try:
            names = [r[0] for r in kept.execute("SELECT name FROM contact ORDER BY id")]
        finally:
            kept.close()
        self.assertIn("Dr. Late Addition", names)
        self.assertEqual(sorted(os.listdir(os.path.dirname(self.db))),
                         ["refnet.db", "refnet.db.before-restore"], "no temporary file left")
        log = self.ok("log", "--format", "json").json()
        self.assertEqual(log[-1]["action"], "restore")

    @postgres_only("a backup of the server, opened as a file and copied back onto a server")
    def test_round_trip_through_a_file_gives_back_the_same_database(self):
        before = self.dump()
        plain = {args: self.ok(*args, "--format", "json").out
                 for args in (("export", "referrals"), ("list", "contacts"), ("log",))}
        redacted = self.ok("list", "referrals", "--redact", "--format", "json").out
        self.assertRegex(redacted, PSEUDONYM)
        target = self.backup()
        self.add("Dr. Late Addition")  # after the backup: not in it
        # README: an encrypted backup of the server is db restored into a file first.
        restored = os.path.join(self.home, "restored", "refnet.db")
        result = self.ok("--db", restored, "db", "restore", target, "--format", "json").json()
        self.assertEqual(result["encrypted"], True)
        self.assertIsNone(result["replaced"])
        self.assertEqual(mode(restored), 0o600)
        for args, out in plain.items():
            if args == ("log",):  # the file's trail ends with its restore
                rows = self.ok("--db", restored, *args, "--format", "json").json()
                self.assertEqual(rows[-1]["action"], "restore")
                self.assertEqual(rows[:-1], json.loads(out))
                continue
            self.assertEqual(self.ok("--db", restored, *args, "--format", "json").out, out, args)
        # The redaction key went with it: the same pseudonyms.
        self.assertEqual(self.ok("--db", restored, "list", "referrals", "--redact",
                                 "--format", "json").out, redacted)
        # And back onto a server, into a new, empty database: the same database, but for the
        # audit rows of the restore into the file and of the copy.
        self.use_postgres()
        self.ok("--db", restored, "db", "copy", "--to", self.location)
        after = [l for l in self.dump().splitlines()
                 if "'restore', 'database'" not in l and "'copy', 'database'" not in l]
        self.assertEqual(after, before.splitlines())
        self.assertEqual(self.ok("list", "referrals", "--redact", "--format", "json").out,
                         redacted)

    def test_the_backup_holds_no_plaintext_and_is_private_under_any_umask(self):
        for umask in (0o022, 0o000):
            with self.subTest(umask=f"{umask:03o}"):
                target = self.backup(f"b{umask:03o}.sealed", umask=umask)
                self.assertEqual(mode(target), 0o600)
                with open(target, "rb") as f:
                    data = f.read()
                self.assertTrue(data.startswith(b"RFNTSEAL\x01\x02"))
                for plain in [p.encode() for p in PATIENTS] + [b"SQLite format 3", b"Dr. Ann Lee"]:
                    self.assertNotIn(plain, data)
                # The size is the database's, plus 66 header bytes and 17 per 64 KiB chunk. On
                # PostgreSQL the sealed database is an image made in memory, which no file
                # holds: its size, as the chunks give it, is whole pages.
                if POSTGRES:
                    size = len(data) - 66 - 17 * ((len(data) - 66) // 65553 + 1)
                    self.assertEqual(size % 4096, 0, size)
                else:
                    size = os.path.getsize(self.db)
                chunks = size // 65536 + 1
                self.assertEqual(len(data), 66 + size + 17 * chunks)
        self.assertEqual(sorted(os.listdir(self.backups)), ["b000.sealed", "b022.sealed"],
                         "nothing but the backups was written there")

    def test_two_backups_of_one_database_differ(self):
        first, second = self.backup("one"), self.backup("two")
        with open(first, "rb") as a, open(second, "rb") as b:
            one, two = a.read(), b.read()
        self.assertNotEqual(one[26:42], two[26:42], "a fresh salt each time")
        self.assertNotEqual(one[66:], two[66:])

    def test_header_as_the_readme_documents_it(self):
        with open(self.backup(), "rb") as f:
            header = f.read(66)
        self.assertEqual(header[:8], b"RFNTSEAL")
        self.assertEqual(header[8], 1)
        self.assertEqual(header[9], 2)
        self.assertEqual(int.from_bytes(header[10:18], "little"), 3)  # OPSLIMIT_MODERATE
        self.assertEqual(int.from_bytes(header[18:26], "little"), 256 << 20)  # MEMLIMIT_MODERATE

    def assertRefusedUnchanged(self, target, *says, env=None):
        before, dump = self.restored_bytes(), self.dump()
        result = self.run_refnet(*self.restore_args(target), env=env)
        self.assertEqual(result.code, 65, result)
        self.assertEqual(result.out, "")
        for text in says:
            self.assertIn(text, result.err)
        self.assertEqual(self.restored_bytes(), before, "the database changed, or a file was left")
        self.assertEqual(self.dump(), dump)
        return result

    def test_a_wrong_passphrase_changes_nothing(self):
        target = self.backup()
        wrong = self.write_file("wrong.txt", "correct horse battery stapler\n")
        os.chmod(wrong, 0o600)
        self.assertRefusedUnchanged(target, "wrong passphrase",
                                    env={"REFNET_PASSPHRASE_FILE": wrong})

    def test_a_changed_backup_is_refused_whatever_byte_changed(self):
        target = self.backup()
        with open(target, "rb") as f:
            good = f.read()
        size = len(good)
        # The magic, the version, the limits, the salt, the stream header, the first chunk, a
        # middle chunk and the final one.
        cases = {0: "not a refnet backup", 8: "in format 0", 10: "", 12: "header was changed",
                 20: "wrong passphrase", 27: "wrong passphrase", 50: "wrong passphrase",
                 66: "wrong passphrase", 66 + 65553 + 5: "changed or damaged (at byte 65619)",
                 size - 1: "changed or damaged"}
        for offset, says in cases.items():
            with self.subTest(offset=offset):
                changed = bytearray(good)
                changed[offset] ^= 0x01
                path = self.write_file("changed.sealed", bytes(changed))
                self.assertRefusedUnchanged(path, says)

    def test_a_cut_or_lengthened_backup_is_refused(self):
        target = self.backup()
        with open(target, "rb") as f:
            good = f.read()
        cases = {"header only": (good[:66], "cut short"),
                 "half a header": (good[:30], "beginning is missing"),
                 "one chunk": (good[:66 + 65553], "cut short"),
                 "last byte gone": (good[:-1], ""),
                 "bytes after the end": (good + b"\x00", "changed or damaged"),
                 "another backup's end": (good + good[66:], "")}
        for name, (data, says) in cases.items():
            with self.subTest(name):
                self.assertRefusedUnchanged(self.write_file("cut.sealed", data), says)

    def test_passphrase_from_a_file_descriptor(self):
        env = dict(self.env)
        del env["REFNET_PASSPHRASE_FILE"]
        target = os.path.join(self.backups, "fd.sealed")
        read, write = os.pipe()
        os.write(write, PASSPHRASE.encode() + b"\n")
        os.close(write)
        try:
            proc = subprocess.run([BIN, "db", "backup", target, "--encrypt", "--passphrase-fd",
                                   str(read)], env=env, capture_output=True, text=True,
                                  pass_fds=(read,), timeout=60)
        finally:
            os.close(read)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # The file read by REFNET_PASSPHRASE_FILE holds the same passphrase: it opens the backup.
        self.ok(*self.restore_args(target))

    def test_passphrase_at_the_terminal_asked_twice_and_not_echoed(self):
        env = dict(self.env)
        del env["REFNET_PASSPHRASE_FILE"]
        target = os.path.join(self.backups, "tty.sealed")
        screen = run_at_terminal([BIN, "db", "backup", target, "--encrypt"], env,
                                 answers=[("Passphrase:", PASSPHRASE),
                                          ("Passphrase again:", PASSPHRASE)])
        self.assertEqual(run_at_terminal.status, 0, screen)
        self.assertIn("Passphrase again:", screen)
        self.assertNotIn(PASSPHRASE, screen)
        screen = run_at_terminal([BIN, *self.restore_args(target)], env,
                                 answers=[("Passphrase:", PASSPHRASE)])
        self.assertEqual(run_at_terminal.status, 0, screen)
        self.assertNotIn("again", screen)
        self.assertNotIn(PASSPHRASE, screen)

    def test_two_different_passphrases_at_the_terminal_write_nothing(self):
        env = dict(self.env)
        del env["REFNET_PASSPHRASE_FILE"]
        target = os.path.join(self.backups, "tty.sealed")
        screen = run_at_terminal([BIN, "db", "backup", target, "--encrypt"], env,
                                 answers=[("Passphrase:", PASSPHRASE),
                                          ("Passphrase again:", PASSPHRASE + "x")])
        self.assertEqual(run_at_terminal.status, 2, screen)
        self.assertIn("the two passphrases differ", screen)
        self.assertFalse(os.path.exists(target))

    def test_no_passphrase_source_is_a_usage_error(self):
        env = dict(self.env)
        del env["REFNET_PASSPHRASE_FILE"]
        target = os.path.join(self.backups, "none.sealed")
        proc = subprocess.run([BIN, "db", "backup", target, "--encrypt"], env=env,
                              capture_output=True, text=True, timeout=60, start_new_session=True)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("no terminal to ask at", proc.stderr)
        self.assertIn("REFNET_PASSPHRASE_FILE", proc.stderr)
        self.assertFalse(os.path.exists(target))

    def test_a_short_or_empty_passphrase_is_refused_before_anything_is_written(self):
        for text, says in (("short", "at least 8 characters"), ("", "empty")):
            with self.subTest(passphrase=text):
                path = self.write_file("p.txt", text + "\n")
                os.chmod(path, 0o600)
                target = os.path.join(self.backups, "x.sealed")
                result = self.fails(2, "db", "backup", target, "--encrypt",
                                    env={"REFNET_PASSPHRASE_FILE": path})
                self.assertIn(says, result.err)
                self.assertFalse(os.path.exists(target))

    def test_passphrase_fd_without_encrypt_and_a_bad_fd(self):
        target = os.path.join(self.backups, "x.db")
        self.fails(2, "db", "backup", target, "--passphrase-fd", "0")
        result = self.fails(2, "db", "backup", target, "--encrypt", "--passphrase-fd", "99")
        self.assertIn("not an open file descriptor", result.err)
        self.assertFalse(os.path.exists(target))

    def test_a_passphrase_file_others_can_read_is_warned_about(self):
        os.chmod(self.passfile, 0o644)
        target = os.path.join(self.backups, "w.sealed")
        result = self.ok("db", "backup", target, "--encrypt")
        self.assertIn(f"{self.passfile} is open to other users (mode 0644)", result.err)


class Restore(PrivacyCase):
    @sqlite_only("db restore replaces the database file; refused on PostgreSQL (twin below)")
    def test_a_plain_backup_restores(self):
        target = os.path.join(self.home, "plain.db")
        self.ok("db", "backup", target)
        self.add("Dr. Late Addition")
        self.assertIn("kept as", self.ok("db", "restore", target).out)
        names = [r["name"] for r in self.rows("list", "contacts")]
        self.assertNotIn("Dr. Late Addition", names)
        self.assertEqual(self.ok("db", "check").code, 0)

    @postgres_only("db restore on a server")
    def test_a_shared_database_is_never_replaced_and_its_backup_reads_as_a_file(self):
        target = os.path.join(self.home, "plain.db")
        self.ok("db", "backup", target)
        self.assertEqual(mode(target), 0o600)
        self.add("Dr. Late Addition")
        result = self.refused(2, "db", "restore", target, says=(
            "this database is on PostgreSQL", "db copy --to URL"))
        self.assertEqual(self.leaked(result.err), [])
        # README: refnet reads the backup as it is.
        referrals = self.ok("list", "referrals", "--format", "json").out
        self.assertEqual(self.ok("--db", target, "list", "referrals", "--format", "json").out,
                         referrals)
        self.assertNotIn("Dr. Late Addition",
                         self.ok("--db", target, "list", "contacts", "--format", "json").out)

    def test_restore_on_a_new_machine_makes_the_database(self):
        target = os.path.join(self.home, "plain.db")
        self.ok("db", "backup", target)
        elsewhere = os.path.join(self.home, "new", "data", "refnet.db")
        result = self.ok("--db", elsewhere, "db", "restore", target, "--format", "json").json()
        self.assertIsNone(result["replaced"])
        self.assertEqual(mode(elsewhere), 0o600)
        self.assertEqual(mode(os.path.dirname(elsewhere)), 0o700)
        self.assertEqual(len(self.rows("--db", elsewhere, "list", "referrals")), 4)

    def test_an_earlier_restore_is_never_overwritten(self):
        target = os.path.join(self.home, "plain.db")
        self.ok("db", "backup", target)
        if POSTGRES:
            self.ok(*self.restore_args(target))  # makes the file the next restore replaces
        self.ok(*self.restore_args(target))
        before = self.restored_bytes()
        result = self.refused(73, *self.restore_args(target), says="from an earlier restore")
        self.assertIn("before-restore", result.err)
        self.assertEqual(self.restored_bytes(), before)

    def assertRefused(self, path, says):
        before, dump = self.restored_bytes(), self.dump()
        result = self.fails(65, *self.restore_args(path))
        self.assertIn(says, result.err)
        self.assertEqual(self.restored_bytes(), before, "the database changed, or a file was left")
        self.assertEqual(self.dump(), dump)

    def test_what_is_not_a_refnet_backup_is_refused(self):
        other = os.path.join(self.home, "other.db")
        self.write_sqlite(other, "CREATE TABLE patients (mrn TEXT)")
        self.assertRefused(other, "not a refnet one")
        self.assertRefused(self.write_file("notes.txt", "hello\n" * 10), "not a refnet backup")
        self.assertRefused(self.write_file("empty", b""), "not a refnet backup")

    def test_a_backup_of_a_newer_refnet_is_refused(self):
        newer = os.path.join(self.home, "newer.db")
        self.ok("db", "backup", newer)
        self.write_sqlite(newer, "PRAGMA user_version = 999")
        self.assertRefused(newer, "newer than this refnet")

    def test_a_damaged_backup_is_refused(self):
        damaged = os.path.join(self.home, "damaged.db")
        self.ok("db", "backup", damaged)
        with open(damaged, "r+b") as f:
            for page in range(1, 6):  # the b-tree page type of pages 2 to 6: none is valid
                f.seek(8192 * page)
                f.write(b"\x07")
        self.assertRefused(damaged, "cannot be restored")

    def test_a_missing_backup_is_66(self):
        before = self.restored_bytes()
        self.refused(66, *self.restore_args(os.path.join(self.home, "nope.db")), says="cannot read")
        self.assertEqual(self.restored_bytes(), before)

    @sqlite_only("a sqlite3 reader holding the file; on PostgreSQL db restore is refused outright")
    def test_a_database_in_use_is_not_replaced(self):
        target = os.path.join(self.home, "plain.db")
        self.ok("db", "backup", target)
        reader = sqlite3.connect(self.db)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM contact").fetchone()
            before = self.dump()
            result = self.fails(75, "db", "restore", target, env={"REFNET_CONFIG": self.busy()})
            self.assertIn("using the database", result.err)
            self.assertEqual(self.dump(), before)
            self.assertFalse(any(".restore-" in name or "before-restore" in name
                                 for name in os.listdir(os.path.dirname(self.db))))
        finally:
            reader.rollback()
            reader.close()

    def busy(self):
        path = self.write_file("busy.toml", '[database]\nbusy_timeout = "100ms"\n')
        os.chmod(path, 0o600)
        return path


class ApplicationId(PrivacyCase):
    @sqlite_only("PRAGMA application_id is the file's header")
    def test_a_refnet_database_says_it_is_one(self):
        self.assertEqual(self.query("PRAGMA application_id"), [(0x52464E54,)])

    @postgres_only("refnet_meta holds what the file's header does")
    def test_a_refnet_database_on_a_server_says_it_is_one(self):
        self.assertEqual(self.query("SELECT value FROM refnet_meta WHERE key = 'application_id'"),
                         [(str(0x52464E54),)])

    @postgres_only("another program's database on the server")
    def test_another_programs_database_on_a_server_is_not_touched(self):
        for tables, says in (("CREATE TABLE contact (x text);"
                              "INSERT INTO contact VALUES ('MRN-1001')",
                              "holds tables refnet does not know (contact)"),
                             ("CREATE TABLE refnet_meta (key text PRIMARY KEY, value text);"
                              "INSERT INTO refnet_meta VALUES ('application_id', '1234')",
                              "its refnet_meta is another program's")):
            with self.subTest(says=says):
                self.use_postgres()
                self.write_sql(tables)
                before = self.dump()
                for args in (["list", "contacts"], ["init"], ["add", "Dr. Ann Lee"]):
                    result = self.fails(65, *args)
                    self.assertIn("not a refnet database", result.err)
                    self.assertIn(says, result.err)
                self.assertEqual(self.dump(), before)

    def test_another_programs_database_is_not_touched(self):
        other = os.path.join(self.home, "other.db")
        before = self.write_sqlite(other, "PRAGMA application_id = 1234", "CREATE TABLE contact (x)")
        result = self.fails(65, "--db", other, "list", "contacts")
        self.assertIn("not a refnet database", result.err)
        with open(other, "rb") as f:
            self.assertEqual(f.read(), before)


if __name__ == "__main__":
    unittest.main()
