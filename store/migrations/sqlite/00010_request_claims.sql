-- +goose Up
-- Replicas share the request log: a replica claims a request before it
-- handles it, so a redelivery that reaches another replica waits for the
-- answer instead of handling it again. A row with an owner is such a claim,
-- its answer not in yet; recording the answer clears owner and claimed_at.
ALTER TABLE handled_requests ADD COLUMN owner TEXT;
ALTER TABLE handled_requests ADD COLUMN claimed_at TEXT;

-- +goose Down
-- Without an owner a claim would read as an empty answer.
DELETE FROM handled_requests WHERE owner IS NOT NULL;
ALTER TABLE handled_requests DROP COLUMN claimed_at;
ALTER TABLE handled_requests DROP COLUMN owner;
