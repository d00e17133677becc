-- +goose Up
-- How a person rated, in a survey, three of their partner's qualities and
-- three of their own. Stored apart from the survey so each can be counted
-- per quality; it names the rater only, never whom a rating is about.
CREATE TABLE quality_ratings (
    participant_id TEXT NOT NULL,
    cycle_id       BIGINT NOT NULL REFERENCES cycles (id),
    kind           TEXT NOT NULL CHECK (kind IN ('midpoint', 'closing')),
    rated          TEXT NOT NULL CHECK (rated IN ('partner', 'self')),
    role           TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    quality        TEXT NOT NULL,
    score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (participant_id, cycle_id, kind, rated, quality)
);
CREATE INDEX quality_ratings_by_cycle ON quality_ratings (cycle_id);

-- +goose Down
DROP TABLE quality_ratings;
