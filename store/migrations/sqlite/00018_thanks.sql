-- +goose Up
-- A thank-you one person of a pair offers at close-out, to share in the
-- celebration channel only once both said yes to its exact text. Each
-- person offers at most one per pair; version guards two answers at once.
CREATE TABLE thanks (
    id         INTEGER PRIMARY KEY,
    pair_id    INTEGER NOT NULL REFERENCES pairs (id),
    cycle_id   INTEGER NOT NULL REFERENCES cycles (id),
    author_id  TEXT NOT NULL,
    text       TEXT NOT NULL,
    mentor_yes INTEGER NOT NULL DEFAULT 0 CHECK (mentor_yes IN (0, 1)),
    mentee_yes INTEGER NOT NULL DEFAULT 0 CHECK (mentee_yes IN (0, 1)),
    state      TEXT NOT NULL CHECK (state IN ('offered', 'agreed', 'posted', 'kept')),
    version    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    post_at    TEXT,
    UNIQUE (pair_id, author_id)
) STRICT;

-- +goose Down
DROP TABLE thanks;
