-- The delivery log: one row per accepted sender request (delivery) and one per matched Homey (delivery_target).
-- Both are partitioned by UTC day of received_at so that retention drops whole partitions instead of deleting
-- rows under load. No foreign keys: the hot path writes here in bulk, and a deleted webhook's log just ages out.
-- There is no DEFAULT partition on purpose: it would make every new partition scan it, and it forbids
-- DETACH PARTITION CONCURRENTLY, which retention uses so that a purge never blocks writers.

CREATE TABLE delivery (
    received_at  TIMESTAMPTZ NOT NULL,
    id           VARCHAR(24) NOT NULL,
    webhook_id   VARCHAR(24) NOT NULL,
    method       VARCHAR(16) NOT NULL,
    -- As received (unredacted): an offline Homey gets the same message later. The log redacts on display.
    headers      JSONB       NOT NULL,
    raw_query    TEXT,
    content_type TEXT,
    body         BYTEA       NOT NULL,
    routed_by    VARCHAR(16) NOT NULL,
    rule_detail  JSONB,
    matched      INT         NOT NULL,
    replay_of    VARCHAR(24),
    PRIMARY KEY (received_at, id)
) PARTITION BY RANGE (received_at);

-- The portal's log: newest first per webhook, cursor-paged on (received_at, id).
CREATE INDEX delivery_webhook_newest ON delivery (webhook_id, received_at DESC, id DESC);

CREATE TABLE delivery_target (
    received_at   TIMESTAMPTZ NOT NULL,
    delivery_id   VARCHAR(24) NOT NULL,
    homey_id      VARCHAR(24) NOT NULL,
    webhook_id    VARCHAR(24) NOT NULL,
    state         VARCHAR(10) NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'delivered', 'acked', 'expired', 'dropped', 'error')),
    attempts      INT         NOT NULL DEFAULT 0,
    first_sent_at TIMESTAMPTZ,
    last_sent_at  TIMESTAMPTZ,
    acked_at      TIMESTAMPTZ,
    PRIMARY KEY (received_at, delivery_id, homey_id)
) PARTITION BY RANGE (received_at);

-- What a Homey still has to receive, oldest first. Partial: acknowledged targets (the vast majority) leave it.
CREATE INDEX delivery_target_waiting_by_homey ON delivery_target (homey_id, received_at, delivery_id)
    WHERE state IN ('pending', 'delivered');
-- Expiry walks waiting targets by age without reading the acknowledged ones.
CREATE INDEX delivery_target_waiting_by_age ON delivery_target (received_at)
    WHERE state IN ('pending', 'delivered');

-- Creates the day partitions of both tables for from_day..to_day (UTC days, inclusive) that do not exist yet,
-- and answers how many it created. The app calls it at startup, from the maintenance job and when an insert
-- finds no partition.
-- CREATE TABLE ... PARTITION OF would take an ACCESS EXCLUSIVE lock on the parent, queueing every insert behind
-- any long portal query; CREATE TABLE LIKE + ATTACH PARTITION needs only SHARE UPDATE EXCLUSIVE, which writers
-- and readers do not conflict with. The advisory lock keeps nodes from racing on the same day.
CREATE FUNCTION switchboard_ensure_delivery_partitions(from_day DATE, to_day DATE) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    day     DATE;
    parent  TEXT;
    child   TEXT;
    created INTEGER := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(7263540938512001);
    FOR day IN SELECT generate_series(from_day, to_day, INTERVAL '1 day')::DATE LOOP
        FOREACH parent IN ARRAY ARRAY['delivery', 'delivery_target'] LOOP
            child := parent || '_p' || to_char(day, 'YYYYMMDD');
            IF to_regclass(quote_ident(child)) IS NULL THEN
                EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child, parent);
                EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                               parent, child, day::TIMESTAMP AT TIME ZONE 'UTC', (day + 1)::TIMESTAMP AT TIME ZONE 'UTC');
                created := created + 1;
            END IF;
        END LOOP;
    END LOOP;
    RETURN created;
END
$$;

-- Yesterday to the day after tomorrow, so the app can record from its first request.
DO $$
BEGIN
    PERFORM switchboard_ensure_delivery_partitions((now() AT TIME ZONE 'UTC')::DATE - 1,
                                                   (now() AT TIME ZONE 'UTC')::DATE + 2);
END
$$;
