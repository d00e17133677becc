-- +goose Up
-- Notices (approved, introductions, partner paused…) go through the outbox
-- too: a screening decision carries HR's note to the applicant.
ALTER TABLE outbox ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN note;
