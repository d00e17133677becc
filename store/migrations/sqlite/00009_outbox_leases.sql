-- +goose Up
-- Replicas share the outbox: a replica leases the due messages it sends,
-- until lease_until, so no other sends them meanwhile, nor writes to
-- their readers. A replica that dies loses its leases when they run out.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
-- A claim asks, for each reader it would lease for, whether someone holds
-- a live lease on any of their pending messages.
CREATE INDEX outbox_leased ON outbox (recipient, lease_until) WHERE state = 'pending' AND lease_until IS NOT NULL;

-- +goose Down
DROP INDEX outbox_leased;
ALTER TABLE outbox DROP COLUMN lease_until;
ALTER TABLE outbox DROP COLUMN lease_owner;
