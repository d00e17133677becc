-- +goose Up
-- PostgreSQL's twin of migrations/sqlite: the same tables, columns and
-- column order, in this dialect. Times are UTC text in one fixed-width
-- layout (see store.formatTime), so they sort and compare as strings, as
-- on SQLite.
CREATE TABLE participants (
    id          TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    state       TEXT NOT NULL,
    job_level   INTEGER NOT NULL CHECK (job_level BETWEEN 1 AND 7),
    department  TEXT NOT NULL,
    manager_id  TEXT,
    time_zone   TEXT NOT NULL,
    pitch       TEXT NOT NULL,
    joined_at   TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE participant_topics (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    topic          TEXT NOT NULL,
    level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (participant_id, position)
);

-- Weekly windows in the participant's own time zone.
CREATE TABLE availability_windows (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    weekday        INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute   INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute     INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440 AND end_minute > start_minute),
    PRIMARY KEY (participant_id, weekday, start_minute)
);

-- Requests Slack may deliver again, with the answer given the first time.
CREATE TABLE handled_requests (
    key        TEXT PRIMARY KEY,
    answer     BYTEA,
    handled_at TEXT NOT NULL
);
CREATE INDEX handled_requests_by_time ON handled_requests (handled_at);

-- +goose Down
DROP TABLE handled_requests;
DROP TABLE availability_windows;
DROP TABLE participant_topics;
DROP TABLE participants;
