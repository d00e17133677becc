-- +goose Up
-- A teach-in: a one-off group session a mentor hosts on a topic they
-- teach. starts_at and ends_at are UTC; time_zone is the host's, the zone
-- they picked the time in. revision counts moves, calendar_sequence the
-- invite's SEQUENCE; version guards every change, sign-ups included.
CREATE TABLE teach_ins (
    id                INTEGER PRIMARY KEY,
    cycle_id          INTEGER NOT NULL REFERENCES cycles (id),
    host_id           TEXT NOT NULL,
    topic             TEXT NOT NULL,
    title             TEXT NOT NULL,
    starts_at         TEXT NOT NULL,
    ends_at           TEXT NOT NULL,
    time_zone         TEXT NOT NULL,
    places            INTEGER NOT NULL CHECK (places BETWEEN 2 AND 20),
    join_how          TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL CHECK (state IN ('open', 'cancelled')),
    revision          INTEGER NOT NULL DEFAULT 0,
    calendar_sequence INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX teach_ins_by_start ON teach_ins (starts_at);

-- Who signed up, in the order they came (queued_at), and each one's
-- private pulse afterwards: useful 1-5 (0 unanswered), recommend yes/no.
CREATE TABLE teach_in_places (
    teach_in_id    INTEGER NOT NULL REFERENCES teach_ins (id),
    participant_id TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('taken', 'waiting', 'cancelled')),
    queued_at      TEXT NOT NULL,
    useful         INTEGER NOT NULL DEFAULT 0 CHECK (useful BETWEEN 0 AND 5),
    recommend      TEXT NOT NULL DEFAULT '' CHECK (recommend IN ('', 'yes', 'no')),
    answered_at    TEXT,
    PRIMARY KEY (teach_in_id, participant_id)
) STRICT;

-- +goose Down
DROP TABLE teach_in_places;
DROP TABLE teach_ins;
