-- +goose Up
-- How many mentees a mentor can take at once.
ALTER TABLE participants ADD COLUMN capacity INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 0 AND 3);

-- A cycle's matching rules.
ALTER TABLE cycles ADD COLUMN cross_department TEXT NOT NULL DEFAULT 'preferred'
    CHECK (cross_department IN ('any', 'preferred', 'required'));
ALTER TABLE cycles ADD COLUMN weight_topics INTEGER NOT NULL DEFAULT 3;
ALTER TABLE cycles ADD COLUMN weight_overlap INTEGER NOT NULL DEFAULT 2;
ALTER TABLE cycles ADD COLUMN weight_department INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cycles ADD COLUMN answer_days INTEGER NOT NULL DEFAULT 3;

-- A matching round: HR's draft until published. The report holds counts
-- and scores only, never a person.
CREATE TABLE rounds (
    id           INTEGER PRIMARY KEY,
    cycle_id     INTEGER NOT NULL REFERENCES cycles (id),
    state        TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    published_at TEXT,
    report       TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX one_draft_per_cycle ON rounds (cycle_id) WHERE state = 'draft';

-- The people a round could not pair, and why.
CREATE TABLE round_unmatched (
    round_id       INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL,
    role           TEXT NOT NULL,
    why            TEXT NOT NULL,
    PRIMARY KEY (round_id, participant_id)
) STRICT;

-- Pairs now live from HR's draft to their end; SQLite cannot widen a
-- CHECK in place, so the table is rebuilt.
CREATE TABLE pairs_v3 (
    id                 INTEGER PRIMARY KEY,
    cycle_id           INTEGER NOT NULL,
    round_id           INTEGER REFERENCES rounds (id),
    origin             TEXT NOT NULL CHECK (origin IN ('round', 'rematch', 'request')),
    mentor_id          TEXT NOT NULL,
    mentee_id          TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('draft', 'removed', 'proposed', 'requested', 'active',
                                                      'declined', 'lapsed', 'withdrawn', 'ended')),
    fit                TEXT,
    score              REAL NOT NULL DEFAULT 0,
    locked             INTEGER NOT NULL DEFAULT 0,
    mentor_answer      TEXT NOT NULL DEFAULT '',
    mentee_answer      TEXT NOT NULL DEFAULT '',
    mentor_answered_at TEXT,
    mentee_answered_at TEXT,
    answer_by          TEXT,
    decline_reason     TEXT,
    created_at         TEXT NOT NULL,
    started_at         TEXT,
    ended_at           TEXT,
    end_reason         TEXT,
    -- Each save adds one; saving an older copy is refused, so two answers
    -- given at the same moment cannot overwrite each other.
    version            INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO pairs_v3 (id, cycle_id, origin, mentor_id, mentee_id, state, mentor_answer, mentee_answer, created_at, started_at, ended_at, end_reason)
    SELECT id, cycle_id, 'round', mentor_id, mentee_id, state, 'accepted', 'accepted', started_at, started_at, ended_at, end_reason FROM pairs;
DROP TABLE pairs;
ALTER TABLE pairs_v3 RENAME TO pairs;
CREATE INDEX pairs_by_mentor ON pairs (mentor_id);
CREATE INDEX pairs_by_mentee ON pairs (mentee_id);
CREATE INDEX pairs_by_state ON pairs (state);
-- A mentee is in at most one proposed or active pair, whatever races.
CREATE UNIQUE INDEX one_pair_per_mentee ON pairs (mentee_id) WHERE state IN ('proposed', 'active');

-- Two people who must not be paired: one asked, or HR removed their pair.
CREATE TABLE dont_pair (
    id         INTEGER PRIMARY KEY,
    person_id  TEXT NOT NULL,
    other_id   TEXT NOT NULL,
    by_id      TEXT NOT NULL,
    cycle_id   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (person_id, other_id, cycle_id)
) STRICT;
CREATE INDEX dont_pair_by_other ON dont_pair (other_id);

-- +goose Down
DROP TABLE dont_pair;
CREATE TABLE pairs_v2 (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL,
    mentor_id  TEXT NOT NULL,
    mentee_id  TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('active', 'ended')),
    started_at TEXT NOT NULL,
    ended_at   TEXT,
    end_reason TEXT
) STRICT;
INSERT INTO pairs_v2 SELECT id, cycle_id, mentor_id, mentee_id, state, started_at, ended_at, end_reason
    FROM pairs WHERE state IN ('active', 'ended');
DROP TABLE pairs;
ALTER TABLE pairs_v2 RENAME TO pairs;
CREATE INDEX pairs_by_mentor ON pairs (mentor_id);
CREATE INDEX pairs_by_mentee ON pairs (mentee_id);
DROP TABLE round_unmatched;
DROP TABLE rounds;
ALTER TABLE cycles DROP COLUMN answer_days;
ALTER TABLE cycles DROP COLUMN weight_department;
ALTER TABLE cycles DROP COLUMN weight_overlap;
ALTER TABLE cycles DROP COLUMN weight_topics;
ALTER TABLE cycles DROP COLUMN cross_department;
ALTER TABLE participants DROP COLUMN capacity;
