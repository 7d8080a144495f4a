-- Cluster mode: every node's outcome writer defers targets of the Homeys connected to it, so each keeps its own
-- checkpoint (V6 kept one, right only while one node wrote the log). A writer refreshes seen_at while it runs; the
-- rows of a writer that stopped refreshing (a node that died and is not coming back under the same name) are
-- recovered by any other writer, and deleted. V6's table stays, unused, for nodes of the previous version during a
-- rolling deploy.
CREATE TABLE deferred_target_writer (
    writer_id      VARCHAR(64) PRIMARY KEY,
    written_before TIMESTAMPTZ NOT NULL,
    seen_at        TIMESTAMPTZ NOT NULL
);

-- The single node's checkpoint, as a writer long gone: the first writer to start recovers from it, then drops it.
INSERT INTO deferred_target_writer (writer_id, written_before, seen_at)
SELECT 'v6-checkpoint', written_before, timestamptz 'epoch' FROM deferred_target_checkpoint;
