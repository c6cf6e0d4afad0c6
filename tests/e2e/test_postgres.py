"""What only a database on PostgreSQL has: many writers over the network, the audit's actor
written by the server, and the roles a practice sets up (README "A practice on PostgreSQL")."""

import subprocess
import unittest

from refnet_e2e import BIN, RefnetCase, _pg_admin, _pg_connect, postgres_only


@postgres_only("a database shared on a server")
class SharedDatabase(RefnetCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--role", "pcp")

    def start(self, *args, env=None):
        environment = dict(self.env, **(env or {}))
        return subprocess.Popen([BIN, *args], env=environment, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def test_writers_at_once_lose_nothing(self):
        """Four writers of 15 referrals each, and a reader, at once: 60 referrals with 60 ids,
        60 audit entries, and every count right."""
        writers = []
        for w in range(4):
            script = "; ".join(
                f'"$0" refer --from ann --patient W{w}-{i} >/dev/null || exit 1' for i in range(15))
            writers.append(subprocess.Popen(["sh", "-c", script, BIN], env=self.env))
        reader = self.start("list", "referrals")
        self.assertEqual([w.wait(timeout=120) for w in writers], [0, 0, 0, 0])
        self.assertEqual(reader.wait(timeout=120), 0, reader.stderr.read())
        rows = self.rows("list", "referrals")
        self.assertEqual(len(rows), 60)
        self.assertEqual(sorted(r["id"] for r in rows), list(range(1, 61)))
        self.assertEqual(len([e for e in self.audit() if e["entity"] == "referral"]), 60)
        self.ok("db", "check")

    def test_two_people_acknowledging_one_referral_at_once_record_it_once(self):
        referral = self.refer("--from", "ann", "--patient", "P-1")
        racers = [self.start("ack", str(referral)) for _ in range(6)]
        codes = sorted(p.wait(timeout=60) for p in racers)
        self.assertEqual(codes[0], 0)
        self.assertEqual(codes.count(0), 1, codes)  # the others find it acknowledged already
        self.assertTrue(all(code == 65 for code in codes[1:]), codes)
        acks = [e for e in self.audit() if e["action"] == "ack"]
        self.assertEqual(len(acks), 1)

    def test_a_writer_gives_up_after_the_busy_timeout_with_exit_75(self):
        config = self.write_file("config.toml", '[database]\nbusy_timeout = "300ms"\n')
        holder = _pg_connect(self.pg_database)
        try:
            with holder.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SELECT pg_advisory_xact_lock(1380339284)")  # refnet's write lock
                result = self.fails(75, "--config", config, "add", "Bob Ray")
                self.assertIn("locked", result.err)
                self.assertEqual(self.ok("list", "contacts").out.count("\n"), 2)  # readers go on
                cursor.execute("ROLLBACK")
        finally:
            holder.close()
        self.ok("add", "Bob Ray")


@postgres_only("roles on a server")
class PracticeRoles(RefnetCase):
    """The role set-up of README "A practice on PostgreSQL", run as it is written there."""

    def setUp(self):
        super().setUp()
        self.init()
        self.ok("add", "Ann Lee")
        suffix = self.pg_database[-8:]
        self.password = "pw-" + suffix
        self.staff_login = f"staff_{suffix}"
        self.report_login = f"report_{suffix}"
        for role in (self.staff_login, self.report_login):
            # A password: pg_virtualenv's cluster asks for one over TCP.
            _pg_admin(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{self.password}'")
            self.addCleanup(_pg_admin, f'DROP ROLE IF EXISTS "{role}"')
        with _pg_connect(self.pg_database) as conn, conn.cursor() as cursor:
            cursor.execute(f'''
                GRANT USAGE ON SCHEMA public TO "{self.staff_login}", "{self.report_login}";
                GRANT SELECT ON ALL TABLES IN SCHEMA public
                  TO "{self.staff_login}", "{self.report_login}";
                GRANT INSERT, UPDATE, DELETE ON contact, contact_tag, event, event_contact,
                  referral, touchpoint, voided, referral_day, search_doc, search_term,
                  search_total TO "{self.staff_login}";
                GRANT INSERT ON audit TO "{self.staff_login}";''')
        self.addCleanup(self.revoke)

    def revoke(self):
        with _pg_connect(self.pg_database) as conn, conn.cursor() as cursor:
            for role in (self.staff_login, self.report_login):
                cursor.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}";'
                               f'REVOKE ALL ON SCHEMA public FROM "{role}"')

    def as_login(self, login):
        return {"PGUSER": login, "PGPASSWORD": self.password}

    def test_staff_write_and_the_audit_names_their_login(self):
        env = self.as_login(self.staff_login)
        self.ok("refer", "--from", "ann", "--patient", "P-7", env=env)
        self.ok("edit", "ann", "--city", "Springfield", env=env)
        entries = self.audit()
        self.assertEqual([e["actor"] for e in entries[-2:]], [self.staff_login] * 2)

    def test_staff_cannot_rewrite_the_audit(self):
        import psycopg2
        conn = psycopg2.connect(dbname=self.pg_database, user=self.staff_login,
                                password=self.password)
        try:
            for sql in ("UPDATE audit SET actor = 'someone'", "DELETE FROM audit",
                        "TRUNCATE audit",
                        "INSERT INTO audit (id, at, actor, action, entity, entity_id)"
                        " VALUES (999, '2026-01-01T00:00:00Z', 'forged', 'add', 'contact', 1)"):
                with self.subTest(sql=sql), conn.cursor() as cursor:
                    try:
                        cursor.execute(sql)
                        conn.commit()
                    except psycopg2.Error:
                        conn.rollback()
        finally:
            conn.close()
        actors = {e["actor"] for e in self.audit()}
        self.assertNotIn("forged", actors)
        self.assertNotIn("someone", actors)
        forged = self.query("SELECT actor FROM audit WHERE id = 999")
        self.assertIn(forged, ([], [(self.staff_login,)]))  # an insert is stored as the login

    def test_the_report_login_reads_and_cannot_write(self):
        env = self.as_login(self.report_login)
        self.assertIn("Ann Lee", self.ok("list", "contacts", env=env).out)
        self.ok("report", "overdue", env=env)
        before = self.dump()
        result = self.fails(73, "add", "Bob Ray", env=env)
        self.assertIn("may not", result.err)
        self.assertEqual(self.dump(), before)


if __name__ == "__main__":
    unittest.main()
