-- +goose Up
-- For a message that reopens a form that could not open in time: what the
-- bot needs to open it again, opaque to the store.
ALTER TABLE outbox ADD COLUMN form TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN form;
