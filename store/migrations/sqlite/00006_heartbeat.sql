-- +goose Up
-- One row the health check overwrites: a committed write proves the
-- database file still takes writes (not read-only, not full, not locked).
CREATE TABLE heartbeat (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    beat_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE heartbeat;
