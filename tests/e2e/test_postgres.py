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


@postgres_only("transactions the server gives up")
class GivenUpTransactions(RefnetCase):
    """refnet(1) EXIT STATUS: a command whose transaction the server gave up (a serialization
    failure, a deadlock) runs again, three times in all, when it printed nothing, read no
    standard input and committed nothing. A trigger of the test's gives up the first `limit`
    changes of referrals with the SQLSTATE the test names, and counts every try."""

    def setUp(self):
        super().setUp()
        self.init()
        self.add("Ann Lee", "--role", "pcp")
        self.referral = self.refer("--from", "ann", "--patient", "P-1")
        self.write_sql(
            "CREATE SCHEMA harness",
            "CREATE SEQUENCE harness.tries",
            "CREATE TABLE harness.give_up (state text, times int)",
            """CREATE FUNCTION harness.give_up() RETURNS trigger LANGUAGE plpgsql AS $$
               DECLARE
                 rule harness.give_up;
               BEGIN
                 SELECT * INTO rule FROM harness.give_up;
                 IF nextval('harness.tries') <= rule.times THEN
                   RAISE EXCEPTION 'given up by the test' USING ERRCODE = rule.state;
                 END IF;
                 RETURN NEW;
               END $$""",
            "CREATE TRIGGER give_up BEFORE INSERT OR UPDATE ON referral"
            " FOR EACH ROW EXECUTE FUNCTION harness.give_up()")

    def give_up(self, state, times):
        self.write_sql("DELETE FROM harness.give_up",
                       f"INSERT INTO harness.give_up VALUES ('{state}', {times})")

    def tries(self):
        [(tries, called)] = self.query("SELECT last_value, is_called FROM harness.tries")
        return tries if called else 0

    def test_a_serialization_failure_twice_is_run_again_and_done_once(self):
        self.give_up("40001", 2)
        result = self.ok("ack", str(self.referral))
        self.assertEqual(result.err, "")
        self.assertEqual(result.out.count(f"#{self.referral}"), 1, result.out)
        self.assertEqual(self.tries(), 3)
        self.assertEqual([e["action"] for e in self.audit()].count("ack"), 1)
        self.assertEqual([r["id"] for r in self.rows("list", "referrals", "--status", "acknowledged")],
                         [self.referral])

    def test_a_deadlock_is_run_again(self):
        self.give_up("40P01", 1)
        self.ok("refer", "--from", "ann", "--patient", "P-2")
        self.assertEqual(self.tries(), 2)
        self.assertEqual(len(self.rows("list", "referrals")), 2)

    def test_three_times_given_up_exits_75_changing_nothing(self):
        self.give_up("40001", 3)
        self.refused(75, "ack", str(self.referral),
                     says=("refnet: the database gave up a transaction: given up by the test",
                           "hint: it was tried 3 times; run the command again"))
        self.assertEqual(self.tries(), 3)

    def test_an_import_from_standard_input_is_not_run_again(self):
        self.give_up("40001", 1)
        rows = "direction,contact,patient,referred\nin,Ann Lee,P-9,2026-11-20T10:00:00Z\n"
        self.refused(75, "import", "referrals", "-", "--format", "csv", input=rows,
                     says="hint: run the command again")
        self.assertEqual(self.tries(), 1)
        # The same rows from a file can be read again, and are.
        self.give_up("40001", 2)
        self.ok("import", "referrals", self.write_file("referrals.csv", rows))
        self.assertEqual(len(self.rows("list", "referrals")), 2)

    def test_another_error_is_not_run_again(self):
        self.give_up("23514", 1)  # check_violation
        self.refused(65, "ack", str(self.referral), says="refused the change")
        self.assertEqual(self.tries(), 1)


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

    def test_only_the_owner_migrates(self):
        """After an upgrade of refnet, staff and the report login are refused, changing nothing,
        until the owner has migrated the database once."""
        make_it_older(self.pg_database)
        before = self.dump()
        result = self.fails(73, "add", "Bob Ray", env=self.as_login(self.staff_login))
        self.assertIn("only the database's owner may migrate it", result.err)
        self.assertIn("hint: ask its owner to run once: refnet db migrate", result.err)
        result = self.fails(65, "report", "overdue", env=self.as_login(self.report_login))
        self.assertIn("its owner migrates it once with: refnet db migrate", result.err)
        self.assertEqual(self.dump(), before)
        self.ok("db", "migrate")
        self.ok("add", "Bob Ray", env=self.as_login(self.staff_login))
        self.ok("report", "overdue", env=self.as_login(self.report_login))

    def test_the_report_login_reads_and_cannot_write(self):
        env = self.as_login(self.report_login)
        self.assertIn("Ann Lee", self.ok("list", "contacts", env=env).out)
        self.ok("report", "overdue", env=env)
        before = self.dump()
        result = self.fails(73, "add", "Bob Ray", env=env)
        self.assertIn("may not", result.err)
        self.assertEqual(self.dump(), before)


# What a database made before revision 1 of the PostgreSQL schema has (src/store/postgres/schema.cpp):
# referral_open without the ids, the server's function that indexed a bulk load, no revision.
BEFORE_REVISION_1 = """
    DROP INDEX referral_open;
    CREATE INDEX referral_open ON referral(referred_at, status)
      WHERE status IN ('new','acknowledged','scheduled','seen');
    CREATE FUNCTION search_add_missing() RETURNS void LANGUAGE sql AS 'SELECT';
    DELETE FROM refnet_meta WHERE key = 'postgresql_revision'"""


def make_it_older(database, sql=BEFORE_REVISION_1):
    with _pg_connect(database) as conn, conn.cursor() as cursor:
        cursor.execute(sql)


@postgres_only("the PostgreSQL schema's own revisions")
class OlderSchema(RefnetCase):
    """refnet(1) POSTGRESQL, schema revisions: the first command of the owner's that writes, or
    db migrate, brings a database an earlier refnet made to this one's schema; a command that
    only reads is refused, changing nothing, until then."""

    def setUp(self):
        super().setUp()
        self.init()
        self.ann = self.add("Ann Lee", "--role", "pcp")
        self.refer("--from", "ann", "--patient", "P-1")
        make_it_older(self.pg_database)

    def assert_up_to_date(self):
        self.assertEqual(dict(self.query("SELECT key, value FROM refnet_meta")),
                         {"application_id": "1380339284", "schema_version": "16",
                          "postgresql_revision": "1"})
        [(index,)] = self.query("SELECT indexdef FROM pg_indexes WHERE indexname = ?",
                                "referral_open")
        self.assertIn("INCLUDE (id)", index)
        self.assertEqual(self.query("SELECT count(*) FROM pg_proc WHERE proname = ?",
                                    "search_add_missing"), [(0,)])

    def test_a_reader_is_refused_changing_nothing_until_db_migrate(self):
        before = self.dump()
        for args in (("list", "contacts"), ("report", "overdue"), ("export", "referrals"),
                     ("db", "check")):
            with self.subTest(command=args[0]):
                self.refused(65, *args, says=(
                    f"refnet: PostgreSQL database {self.pg_database} has schema version 16, "
                    "revision 0; this refnet reads version 16, revision 1",
                    "hint: its owner migrates it once with: refnet db migrate"))
        self.assertEqual(self.dump(), before)
        self.ok("db", "migrate")
        self.assert_up_to_date()
        self.assertIn("Ann Lee", self.ok("list", "contacts").out)
        self.assertEqual(len(self.rows("list", "referrals", "--open")), 1)

    def test_the_owners_first_write_migrates_it(self):
        self.add("Bob Ray")
        self.assert_up_to_date()
        self.assertEqual(len(self.rows("list", "contacts")), 2)
        self.ok("db", "check")

    def test_a_newer_revision_is_refused(self):
        self.ok("db", "migrate")
        make_it_older(self.pg_database,
                      "UPDATE refnet_meta SET value = '2' WHERE key = 'postgresql_revision'")
        before = self.dump()
        for args in (("list", "contacts"), ("add", "Bob Ray"), ("db", "migrate")):
            with self.subTest(command=args[0]):
                self.refused(65, *args, says=(
                    f"refnet: PostgreSQL database {self.pg_database} has schema revision 2, "
                    "newer than this refnet knows (1)", "hint: upgrade refnet"))
        self.assertEqual(self.dump(), before)


# Texts that put the search index's word rules to work: accents and case, apostrophes and dots,
# a combining mark that is a diacritic and one that is not, letters of other scripts, digits,
# emoji and the characters around them.
WORDY = [
    "Dr. Ana Núñez-O'Brien", "St. Mary’s ÉCOLE Öland façade", "Zé\u0301vo\u0308 e\u0334f",
    "ά Ωμέγα straße ǅemal İstanbul", "東京 クリニック 서울", "x2 3.14 ½ ① ⅷ", "\u202eevil\u202c iso",
    "Ann\u200bLee\u200d\ufeffx", "\U0001F469\u200d\u2695\ufe0f Dr. \U0001F3E5 ok", "a\tb\nc\\d",
]


@postgres_only("the server's search index")
class BulkLoadSearchIndex(RefnetCase):
    """A bulk load (an import into empty tables, a demo) makes its rows' words on the client with
    SQLite's FTS5 tokenizer; a row written alone gets them from the server's search_words(). The
    two must make the same index, word for word."""

    def index(self):
        """The search index as stored: its documents and each word's places."""
        return (sorted(self.query("SELECT doc, tokens FROM search_doc")),
                sorted(self.query("SELECT term, doc, col, pos, tokens FROM search_term")),
                self.query("SELECT docs, tokens FROM search_total"))

    def index_by_the_server(self):
        """The index the server's SQL tokenizer makes of the same rows."""
        docs = """
            SELECT id * 4 AS doc, name AS c0, practice AS c1, NULL::text AS c2, note AS c3
            FROM contact
            UNION ALL SELECT id * 4 + 1, NULL, NULL, reason, note FROM referral
            WHERE reason IS NOT NULL OR note IS NOT NULL
            UNION ALL SELECT id * 4 + 2, NULL, NULL, NULL, note FROM touchpoint
            WHERE note IS NOT NULL
            UNION ALL SELECT id * 4 + 3, name, NULL, NULL, note FROM event"""
        words = f"""
            WITH docs AS ({docs}),
            words AS (SELECT d.doc, c.col, w.pos, w.term FROM docs d,
                      LATERAL (VALUES (0, d.c0), (1, d.c1), (2, d.c2), (3, d.c3)) AS c(col, body),
                      LATERAL search_words(search_text(c.body)) AS w),
            counted AS (SELECT d.doc, count(w.term)::int AS tokens
                        FROM docs d LEFT JOIN words w ON w.doc = d.doc GROUP BY d.doc)"""
        return (sorted(self.query(words + " SELECT doc, tokens FROM counted")),
                sorted(self.query(words + """
                    SELECT w.term, w.doc, w.col, array_agg(w.pos ORDER BY w.pos), c.tokens
                    FROM words w JOIN counted c USING (doc) GROUP BY 1, 2, 3, 5""")))

    def test_an_import_into_empty_tables_indexes_as_the_triggers_do(self):
        self.init()
        for i, text in enumerate(WORDY):
            self.ok("event", text, "--kind", "cme", "--date", "2026-11-01", "--note", text)
            contact = str(self.add(f"{text} {i}", "--practice", text, "--note", text))
            self.refer("--from", contact, "--patient", f"P-{i}", "--reason", text, "--note", text)
            self.ok("followup", contact, "--note", text)
        by_triggers = self.index()
        self.assertEqual(by_triggers[:2], self.index_by_the_server())
        files = {e: self.write_file(f"{e}.json", self.ok("export", e, "--format", "json").out)
                 for e in ("events", "contacts", "referrals")}
        self.use_postgres()
        self.init()
        for entity, path in files.items():
            self.ok("import", entity, path)
        loaded = self.index()
        self.assertEqual(loaded[:2], self.index_by_the_server())
        self.assertEqual(loaded[2], [(len(loaded[0]), sum(t for _, t in loaded[0]))])
        self.assertGreater(len(loaded[1]), 10 * len(WORDY))
        for word in ("nunez", "obrien", "marys", "ecole", "ωμέγα", "東京", "istanbul"):
            with self.subTest(word=word):
                self.assertTrue(self.rows("search", word), word)
        self.ok("db", "check")

    def test_a_demo_indexes_as_the_triggers_do(self):
        self.init()
        self.ok("demo", "--contacts", "30", "--referrals", "200", "--seed", "7")
        self.assertEqual(self.index()[:2], self.index_by_the_server())


if __name__ == "__main__":
    unittest.main()
