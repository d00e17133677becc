-- +goose Up
-- Who declined a session in their calendar (Google Calendar, Outlook),
-- once the bot saw it: their partner is told once, and both are offered
-- another time. Cleared when the session moves.
ALTER TABLE sessions ADD COLUMN declined_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN declined_by;
