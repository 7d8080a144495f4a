-- A target whose Homey is online when the request is recorded is sent at once and usually acknowledged within
-- milliseconds. Writing its row as 'pending' and updating it to 'acked' cost PostgreSQL more than everything else
-- the request needs (a non-HOT update: one more heap tuple, index entry and dead row to vacuum per message), so its
-- row is written once, with its outcome, when that is known (or after a grace period). Until then the delivery
-- lists it here, and crash recovery writes the rows still missing (as pending: they are sent again).
ALTER TABLE delivery ADD COLUMN deferred_homey_ids TEXT[];

-- Every deferred target of the deliveries received before written_before has its row, so recovery after a crash
-- reads only the deliveries received since. One row: one node writes the log (see README, "Delivery log").
CREATE TABLE deferred_target_checkpoint (
    id             BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (id),
    written_before TIMESTAMPTZ NOT NULL
);
INSERT INTO deferred_target_checkpoint (written_before) VALUES (now());
