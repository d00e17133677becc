-- +goose Up
-- When a cycle's midpoint survey went out, so it goes once.
ALTER TABLE cycles ADD COLUMN surveyed_at TEXT;

-- The cycle a survey, close-out or report message is about.
ALTER TABLE outbox ADD COLUMN cycle_id INTEGER REFERENCES cycles (id);

-- One person's private answers about one session: scores 1-5, 0 while
-- unanswered, and a note to self. Never shown to the partner; summaries
-- read them only as figures from 3 answers or more. answered_at is when a
-- score was last given, NULL while only a note is.
CREATE TABLE pulses (
    pair_id        INTEGER NOT NULL REFERENCES pairs (id),
    occurrence     TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    cycle_id       INTEGER NOT NULL REFERENCES cycles (id),
    useful         INTEGER NOT NULL DEFAULT 0 CHECK (useful BETWEEN 0 AND 5),
    comfort        INTEGER NOT NULL DEFAULT 0 CHECK (comfort BETWEEN 0 AND 5),
    note           TEXT NOT NULL DEFAULT '',
    answered_at    TEXT,
    PRIMARY KEY (pair_id, occurrence, participant_id)
) STRICT;
CREATE INDEX pulses_by_cycle ON pulses (cycle_id);
CREATE INDEX pulses_by_participant ON pulses (participant_id, cycle_id);

-- A person's answers to a cycle's survey, given once. goals and progress
-- are JSON arrays of the same length.
CREATE TABLE surveys (
    participant_id TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    cycle_id       INTEGER NOT NULL REFERENCES cycles (id),
    kind           TEXT NOT NULL CHECK (kind IN ('midpoint', 'closing')),
    goals          TEXT NOT NULL,
    progress       TEXT NOT NULL,
    continue       TEXT NOT NULL CHECK (continue IN ('yes', 'unsure', 'no')),
    change         TEXT NOT NULL DEFAULT '',
    answered_at    TEXT NOT NULL,
    PRIMARY KEY (participant_id, cycle_id, kind)
) STRICT;
CREATE INDEX surveys_by_cycle ON surveys (cycle_id);

-- Pairs flagged to admins as at risk, and what an admin did. evidence
-- names what a flag rests on, so the same evidence flags a pair once.
CREATE TABLE risk_flags (
    id          INTEGER PRIMARY KEY,
    pair_id     INTEGER NOT NULL REFERENCES pairs (id),
    cycle_id    INTEGER NOT NULL REFERENCES cycles (id),
    reasons     TEXT NOT NULL, -- comma-separated
    evidence    TEXT NOT NULL,
    raised_at   TEXT NOT NULL,
    resolved_at TEXT,
    action      TEXT NOT NULL DEFAULT '' CHECK (action IN ('', 'nudge', 'rematch', 'end', 'dismiss')),
    resolved_by TEXT NOT NULL DEFAULT '',
    UNIQUE (pair_id, evidence)
) STRICT;
CREATE INDEX risk_flags_by_cycle ON risk_flags (cycle_id, id);

-- +goose Down
DROP TABLE risk_flags;
DROP TABLE surveys;
DROP TABLE pulses;
ALTER TABLE outbox DROP COLUMN cycle_id;
ALTER TABLE cycles DROP COLUMN surveyed_at;
