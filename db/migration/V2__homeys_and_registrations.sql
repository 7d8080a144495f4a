-- Homeys enroll once and connect over the socket; registrations (webhook x Homey) outlive sockets.
CREATE TABLE homey (
    id           VARCHAR(24)  PRIMARY KEY,
    -- SHA-256 of the 256-bit random key: a fast hash suffices for a key that cannot be guessed.
    key_hash     BYTEA        NOT NULL,
    -- Set for the portal's simulator ("test Homeys"), which belong to the developer who enrolled them.
    owner_id     VARCHAR(255),
    label        VARCHAR(120),
    created_at   TIMESTAMPTZ  NOT NULL,
    last_seen_at TIMESTAMPTZ
);
CREATE INDEX homey_owner ON homey (owner_id) WHERE owner_id IS NOT NULL;

CREATE TABLE registration (
    webhook_id VARCHAR(24) NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    homey_id   VARCHAR(24) NOT NULL REFERENCES homey (id) ON DELETE CASCADE,
    data       JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (webhook_id, homey_id)
);
CREATE INDEX registration_homey ON registration (homey_id);
