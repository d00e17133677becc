-- +goose Up
-- A pair's regular time, the times offered while they agree it, and the
-- SEQUENCE of its calendar invite. slot and slot_offer are JSON in the
-- shape of store.slotJSON and store.offerJSON; NULL when unset.
ALTER TABLE pairs ADD COLUMN slot TEXT;
ALTER TABLE pairs ADD COLUMN slot_offer TEXT;
ALTER TABLE pairs ADD COLUMN calendar_sequence INTEGER NOT NULL DEFAULT 0;

-- One row per occurrence of a pair's slot. occurrence names the session
-- for good; starts_at and ends_at move with it. Sessions outlive an
-- erased person (anonymous counts need them) under their token.
CREATE TABLE sessions (
    pair_id        INTEGER NOT NULL REFERENCES pairs (id),
    occurrence     TEXT NOT NULL,
    starts_at      TEXT NOT NULL,
    ends_at        TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('scheduled', 'skipped')),
    revision       INTEGER NOT NULL DEFAULT 0,
    moved_by       TEXT NOT NULL DEFAULT '',
    skipped_by     TEXT NOT NULL DEFAULT '',
    skip_reason    TEXT NOT NULL DEFAULT '',
    mentor_coming  INTEGER NOT NULL DEFAULT 0,
    mentee_coming  INTEGER NOT NULL DEFAULT 0,
    mentor_held    TEXT NOT NULL DEFAULT '' CHECK (mentor_held IN ('', 'yes', 'moved', 'no')),
    mentee_held    TEXT NOT NULL DEFAULT '' CHECK (mentee_held IN ('', 'yes', 'moved', 'no')),
    mentor_held_at TEXT,
    mentee_held_at TEXT,
    -- Each save adds one, as for pairs; a new session is stored at 1.
    version        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (pair_id, occurrence)
) STRICT;

-- Messages the programme owes people, written with the change that calls
-- for them. key says what a message is for, so planning twice owes it once.
-- kind has no CHECK: new kinds should not need a table rebuild.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    recipient    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    pair_id      INTEGER REFERENCES pairs (id),
    occurrence   TEXT,
    revision     INTEGER NOT NULL DEFAULT 0,
    lead_minutes INTEGER NOT NULL DEFAULT 0,
    sequence     INTEGER NOT NULL DEFAULT 0,
    due_at       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dropped', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_try     TEXT,
    error        TEXT NOT NULL DEFAULT '',
    sent_at      TEXT,
    channel      TEXT NOT NULL DEFAULT '',
    ts           TEXT NOT NULL DEFAULT '',
    -- For whoever reads the table; the domain's clock never needs it.
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
-- The worker's walk: only pending rows, which stay few however long the
-- history of sent ones grows.
CREATE INDEX outbox_due ON outbox (due_at, id) WHERE state = 'pending';
CREATE INDEX outbox_by_pair ON outbox (pair_id, id);

-- +goose Down
DROP TABLE outbox;
DROP TABLE sessions;
ALTER TABLE pairs DROP COLUMN calendar_sequence;
ALTER TABLE pairs DROP COLUMN slot_offer;
ALTER TABLE pairs DROP COLUMN slot;
