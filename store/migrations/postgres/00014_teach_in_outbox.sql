-- +goose Up
-- Messages about a teach-in name it, as messages about a pair name the pair.
ALTER TABLE outbox ADD COLUMN teach_in_id BIGINT REFERENCES teach_ins (id);

-- +goose Down
ALTER TABLE outbox DROP COLUMN teach_in_id;
