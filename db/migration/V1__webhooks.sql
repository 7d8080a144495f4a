-- Webhooks: one row per webhook a developer owns.
CREATE TABLE webhook (
    id                     VARCHAR(24)  PRIMARY KEY,
    owner_id               VARCHAR(255) NOT NULL,
    name                   VARCHAR(120) NOT NULL,
    secret_ciphertext      TEXT         NOT NULL,
    previous_secret_ciphertext TEXT,
    previous_secret_expires_at TIMESTAMPTZ,
    key_path               VARCHAR(1024),
    legacy_function        TEXT,
    legacy_imported_at     TIMESTAMPTZ,
    created_at             TIMESTAMPTZ  NOT NULL,
    updated_at             TIMESTAMPTZ  NOT NULL,
    version                BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX webhook_owner_created ON webhook (owner_id, created_at DESC);
