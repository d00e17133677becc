-- +goose Up
-- A pair's series in the senior's calendar, written through Google
-- Calendar or Microsoft Graph: the event's ID there, so updates and the
-- cancellation find it. Empty while nothing was written.
ALTER TABLE pairs ADD COLUMN calendar_event TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE pairs DROP COLUMN calendar_event;
