-- +goose Up
-- A participant's state now has a history (transitions) and a date it
-- began; a paused participant knows when and to what they come back.
ALTER TABLE participants ADD COLUMN state_since TEXT NOT NULL DEFAULT '';
UPDATE participants SET state_since = joined_at;
ALTER TABLE participants ADD COLUMN paused_until TEXT;
ALTER TABLE participants ADD COLUMN resume_state TEXT;
ALTER TABLE participants ADD COLUMN screened_in_cycle INTEGER NOT NULL DEFAULT 0;
CREATE INDEX participants_by_state ON participants (state, state_since);

-- Dates are YYYY-MM-DD; at most one cycle is open (closed_at IS NULL).
CREATE TABLE cycles (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    cadence         TEXT NOT NULL CHECK (cadence IN ('weekly', 'fortnightly', 'monthly')),
    session_minutes INTEGER NOT NULL,
    ground_rules    TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    closed_at       TEXT
) STRICT;
CREATE UNIQUE INDEX one_open_cycle ON cycles ((closed_at IS NULL)) WHERE closed_at IS NULL;

CREATE TABLE cycle_topics (
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    topic    TEXT NOT NULL,
    PRIMARY KEY (cycle_id, position)
) STRICT;

-- Moves between states. participant_id and by_id are not foreign keys:
-- the rows outlive an erased participant, under an anonymous token.
CREATE TABLE transitions (
    id             INTEGER PRIMARY KEY,
    participant_id TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    from_state     TEXT NOT NULL, -- '' for a first join
    to_state       TEXT NOT NULL,
    by_id          TEXT NOT NULL,
    cycle_id       INTEGER NOT NULL DEFAULT 0,
    at             TEXT NOT NULL
) STRICT;
CREATE INDEX transitions_by_participant ON transitions (participant_id, id);

-- HR's decision on a mentor's application; checks are comma-joined IDs.
CREATE TABLE screenings (
    transition_id INTEGER PRIMARY KEY REFERENCES transitions (id) ON DELETE CASCADE,
    checks        TEXT NOT NULL,
    note          TEXT
) STRICT;

CREATE TABLE goals (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    cycle_id       INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    aim            TEXT NOT NULL,
    signal         TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (participant_id, cycle_id, position)
) STRICT;

-- mentor_id and mentee_id are not foreign keys: an erased person's pairs
-- stay, under their token, for anonymous counts.
CREATE TABLE pairs (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL,
    mentor_id  TEXT NOT NULL,
    mentee_id  TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('active', 'ended')),
    started_at TEXT NOT NULL,
    ended_at   TEXT,
    end_reason TEXT
) STRICT;
CREATE INDEX pairs_by_mentor ON pairs (mentor_id);
CREATE INDEX pairs_by_mentee ON pairs (mentee_id);

-- Who made a request, so erasing them erases the answers they were given.
ALTER TABLE handled_requests ADD COLUMN user_id TEXT;
CREATE INDEX handled_requests_by_user ON handled_requests (user_id);

-- +goose Down
DROP INDEX handled_requests_by_user;
ALTER TABLE handled_requests DROP COLUMN user_id;
DROP TABLE pairs;
DROP TABLE goals;
DROP TABLE screenings;
DROP TABLE transitions;
DROP TABLE cycle_topics;
DROP TABLE cycles;
DROP INDEX participants_by_state;
ALTER TABLE participants DROP COLUMN screened_in_cycle;
ALTER TABLE participants DROP COLUMN resume_state;
ALTER TABLE participants DROP COLUMN paused_until;
ALTER TABLE participants DROP COLUMN state_since;
