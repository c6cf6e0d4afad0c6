// The schema of a refnet database on PostgreSQL: the tables of the SQLite schema (schema.sql),
// in PostgreSQL's words.
#include "store/postgres/schema.hpp"

namespace refnet::store::pg {

// Every text column compares and sorts by bytes (COLLATE "C"), as SQLite's do, so lists come out
// in the same order on both; where SQLite says COLLATE NOCASE, the queries say lower(), which
// under "C" folds ASCII letters only, as NOCASE does. Times are text in the same form as on
// SQLite (domain::UtcText), so they compare the same too. Foreign keys are DEFERRABLE so that a
// copy of a whole database may check them at its commit (a contact merged into a later one).
//
// A bulk load (demo, an import into an empty table: bulk.cpp) sends its rows with COPY, with
// refnet.bulk set to 'on' meanwhile (set_config(..., true): its own transaction only). A trigger
// that keeps something derived from rows, row by row, returns at once while
// `current_setting('refnet.bulk', true) = 'on'`, and PgStore::send_held() (bulk.cpp) makes it
// again for the rows loaded, set-based, after the COPYs: referral_day_count() skips, and
// send_held() recounts the days loaded. A trigger that honours the setting needs its rebuild
// there too, or the rows loaded go without. Any role may set it, so a load needs no owner's
// rights to disable a trigger (ALTER TABLE ... DISABLE TRIGGER would).
const char* const schema_sql = R"sql(
CREATE TABLE refnet_meta (
  key   text COLLATE "C" PRIMARY KEY,
  value text COLLATE "C" NOT NULL
);

CREATE TABLE event (
  id         bigint PRIMARY KEY,
  name       text COLLATE "C" NOT NULL CHECK (length(trim(name)) > 0),
  kind       text COLLATE "C" NOT NULL CHECK (kind IN ('cme','conference','seminar','workshop',
                                                     'hosted','association','social')),
  date       text COLLATE "C" NOT NULL CHECK (date ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]$'),
  location   text COLLATE "C",
  note       text COLLATE "C",
  created_at text COLLATE "C" NOT NULL
);

CREATE TABLE contact (
  id          bigint PRIMARY KEY,
  name        text COLLATE "C" NOT NULL CHECK (length(trim(name)) > 0),
  role        text COLLATE "C" NOT NULL DEFAULT 'other'
              CHECK (role IN ('pcp','specialist','allied','facility','other')),
  specialty   text COLLATE "C",
  practice    text COLLATE "C",
  npi         text COLLATE "C" CHECK (npi IS NULL OR npi ~ '^[12][0-9]{9}$'),
  phone       text COLLATE "C",
  email       text COLLATE "C",
  city        text COLLATE "C",
  source      text COLLATE "C" CHECK (source IS NULL OR source IN ('visit','referral','conference',
                'cme','seminar','workshop','hosted-event','association','social','linkedin',
                'doximity','sermo','other')),
  event_id    bigint REFERENCES event(id) DEFERRABLE,
  note        text COLLATE "C",
  created_at  text COLLATE "C" NOT NULL,
  archived_at text COLLATE "C",
  merged_into bigint REFERENCES contact(id) DEFERRABLE,
  fax         text COLLATE "C",
  CHECK (merged_into IS NULL OR archived_at IS NOT NULL)
);
CREATE UNIQUE INDEX contact_active_npi ON contact(npi) WHERE npi IS NOT NULL AND archived_at IS NULL;
CREATE INDEX contact_event ON contact(event_id) WHERE event_id IS NOT NULL;
CREATE INDEX contact_name ON contact(lower(name));

CREATE TABLE contact_tag (
  contact_id bigint NOT NULL REFERENCES contact(id) ON DELETE CASCADE DEFERRABLE,
  tag        text COLLATE "C" NOT NULL CHECK (length(tag) > 0),
  PRIMARY KEY (contact_id, tag)
);
CREATE INDEX contact_tag_tag ON contact_tag(tag);

CREATE TABLE event_contact (
  event_id   bigint NOT NULL REFERENCES event(id) ON DELETE CASCADE DEFERRABLE,
  contact_id bigint NOT NULL REFERENCES contact(id) DEFERRABLE,
  PRIMARY KEY (event_id, contact_id)
);
CREATE INDEX event_contact_contact ON event_contact(contact_id);

CREATE TABLE referral (
  id              bigint PRIMARY KEY,
  direction       text COLLATE "C" NOT NULL CHECK (direction IN ('in','out')),
  contact_id      bigint NOT NULL REFERENCES contact(id) DEFERRABLE,
  patient         text COLLATE "C" NOT NULL CHECK (length(trim(patient)) > 0),
  reason          text COLLATE "C",
  urgency         text COLLATE "C" NOT NULL DEFAULT 'routine'
                  CHECK (urgency IN ('routine','urgent','emergent')),
  referred_at     text COLLATE "C" NOT NULL,
  acknowledge_due text COLLATE "C" NOT NULL,
  status          text COLLATE "C" NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new','acknowledged','scheduled','seen','closed','declined',
                                    'cancelled','no-show')),
  acknowledged_at text COLLATE "C",
  scheduled_at    text COLLATE "C",
  seen_at         text COLLATE "C",
  closed_at       text COLLATE "C",
  declined_at     text COLLATE "C",
  cancelled_at    text COLLATE "C",
  no_show_at      text COLLATE "C",
  report_due      text COLLATE "C",
  decline_reason  text COLLATE "C",
  note            text COLLATE "C",
  created_at      text COLLATE "C" NOT NULL,
  appointment_at  text COLLATE "C",
  CHECK (status <> 'declined' OR (decline_reason IS NOT NULL AND length(trim(decline_reason)) > 0))
);
CREATE INDEX referral_appointment_passed
  ON referral(appointment_at, direction, contact_id, patient, status)
  WHERE status = 'scheduled' AND appointment_at IS NOT NULL;
CREATE INDEX referral_contact_history
  ON referral(contact_id, direction, referred_at, status, closed_at);
CREATE INDEX referral_ended
  ON referral((coalesce(closed_at, declined_at, cancelled_at, no_show_at)), referred_at)
  WHERE status IN ('closed','declined','cancelled','no-show');
-- With the ids, so that the ones made by a time are read off this index alone (overdue.cpp).
CREATE INDEX referral_open ON referral(referred_at, status) INCLUDE (id)
  WHERE status IN ('new','acknowledged','scheduled','seen');
CREATE INDEX referral_referred ON referral(referred_at);
CREATE INDEX referral_report_owed
  ON referral(report_due, direction, contact_id, patient, status) WHERE status = 'seen';
CREATE INDEX referral_steps
  ON referral(direction, referred_at, urgency, acknowledged_at, scheduled_at, seen_at, closed_at);
CREATE INDEX referral_unacknowledged
  ON referral(acknowledge_due, direction, contact_id, patient, status) WHERE status = 'new';

CREATE TABLE touchpoint (
  id           bigint PRIMARY KEY,
  contact_id   bigint NOT NULL REFERENCES contact(id) DEFERRABLE,
  referral_id  bigint REFERENCES referral(id) DEFERRABLE,
  via          text COLLATE "C" NOT NULL CHECK (via IN ('call','email','visit','video','meeting',
                                                        'linkedin','letter','update')),
  note         text COLLATE "C",
  origin       text COLLATE "C" NOT NULL DEFAULT 'manual'
               CHECK (origin IN ('manual','after-referral','after-meeting')),
  created_at   text COLLATE "C" NOT NULL,
  done_at      text COLLATE "C",
  due          text COLLATE "C",
  satisfied_by bigint REFERENCES touchpoint(id) DEFERRABLE,
  dismissed_at text COLLATE "C",
  CHECK (done_at IS NOT NULL OR due IS NOT NULL)
);
CREATE INDEX touchpoint_contact ON touchpoint(contact_id, done_at);
CREATE INDEX touchpoint_open_plan ON touchpoint(due)
  WHERE done_at IS NULL AND satisfied_by IS NULL AND dismissed_at IS NULL;
CREATE INDEX touchpoint_plan ON touchpoint(due, created_at, done_at, dismissed_at, satisfied_by)
  WHERE due IS NOT NULL;
CREATE INDEX touchpoint_referral ON touchpoint(referral_id) WHERE referral_id IS NOT NULL;

-- The audit trail: its `actor` is the database role that wrote the entry, set by the server
-- whatever the client sends, and nobody changes or removes an entry, the owner included.
CREATE TABLE audit (
  id         bigint PRIMARY KEY,
  at         text COLLATE "C" NOT NULL,
  actor      text COLLATE "C" NOT NULL,
  action     text COLLATE "C" NOT NULL,
  entity     text COLLATE "C" NOT NULL
             CHECK (entity IN ('contact','referral','touchpoint','event','database')),
  entity_id  bigint NOT NULL,
  old        text COLLATE "C" CHECK (old IS NULL OR old::json IS NOT NULL),
  new        text COLLATE "C" CHECK (new IS NULL OR new::json IS NOT NULL),
  change_set bigint,
  undoes     bigint
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_change_set ON audit(change_set);
CREATE INDEX audit_entity ON audit(entity, entity_id);
CREATE INDEX audit_undoes ON audit(undoes) WHERE undoes IS NOT NULL;

-- One exception: the audit's owner copying a whole database (refnet db copy sets refnet.copy)
-- keeps each entry's actor as it was; nobody else can.
CREATE FUNCTION audit_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('refnet.copy', true) IS DISTINCT FROM 'on'
     OR NOT pg_has_role(session_user,
                        (SELECT relowner FROM pg_class WHERE oid = 'audit'::regclass), 'MEMBER')
  THEN
    NEW.actor := session_user;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_actor BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_actor();

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TABLE secret (
  purpose    text COLLATE "C" PRIMARY KEY,
  value      bytea NOT NULL CHECK (length(value) = 32),
  created_at text COLLATE "C" NOT NULL
);

-- Referrals per direction and day, kept by triggers (the trend and summary reports read them).
CREATE TABLE referral_day (
  direction text COLLATE "C" NOT NULL,
  day       text COLLATE "C" NOT NULL,
  referrals bigint NOT NULL,
  closed    bigint NOT NULL,
  PRIMARY KEY (direction, day)
);

CREATE FUNCTION referral_day_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('refnet.bulk', true) = 'on' THEN
    RETURN NULL;  -- a bulk load recounts the days it loaded (see above)
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE referral_day
    SET referrals = referrals - 1,
        closed = closed - coalesce((OLD.closed_at >= OLD.referred_at)::int, 0)
    WHERE direction = OLD.direction AND day = substr(OLD.referred_at, 1, 10);
    DELETE FROM referral_day
    WHERE direction = OLD.direction AND day = substr(OLD.referred_at, 1, 10) AND referrals = 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO referral_day AS d (direction, day, referrals, closed)
    VALUES (NEW.direction, substr(NEW.referred_at, 1, 10), 1,
            coalesce((NEW.closed_at >= NEW.referred_at)::int, 0))
    ON CONFLICT (direction, day) DO UPDATE
    SET referrals = d.referrals + 1, closed = d.closed + excluded.closed;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER referral_day_insert AFTER INSERT OR DELETE ON referral
  FOR EACH ROW EXECUTE FUNCTION referral_day_count();
CREATE TRIGGER referral_day_update AFTER UPDATE OF direction, referred_at, closed_at ON referral
  FOR EACH ROW
  WHEN (OLD.direction IS DISTINCT FROM NEW.direction
        OR OLD.referred_at IS DISTINCT FROM NEW.referred_at
        OR coalesce((OLD.closed_at >= OLD.referred_at)::int, 0)
           <> coalesce((NEW.closed_at >= NEW.referred_at)::int, 0))
  EXECUTE FUNCTION referral_day_count();

CREATE TABLE voided (
  entity    text COLLATE "C" NOT NULL CHECK (entity IN ('referral','touchpoint','event')),
  id        bigint NOT NULL,
  record    text COLLATE "C" NOT NULL CHECK (record::json IS NOT NULL),
  reason    text COLLATE "C" NOT NULL CHECK (length(trim(reason)) > 0),
  voided_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (entity, id)
);
)sql";

const std::vector<Revision>& revisions() {
  static const std::vector<Revision> all{
      {1, 16, "referral_open carries the referral ids; bulk loads index search words themselves",
       R"sql(
DROP INDEX IF EXISTS referral_open;
CREATE INDEX referral_open ON referral(referred_at, status) INCLUDE (id)
  WHERE status IN ('new','acknowledged','scheduled','seen');
DROP FUNCTION IF EXISTS search_add_missing();
)sql"},
  };
  return all;
}

}  // namespace refnet::store::pg
