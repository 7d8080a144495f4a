-- Developers are identified by their token's issuer and subject ("<iss> <sub>", owner_id below), no longer by the
-- principal name (upn, else preferred_username, else sub), which some providers let people change or reuse.
--
-- Existing owners cannot be translated here (the database never saw an issuer or a subject), so their rows are set
-- aside under 'legacy:<name>', which no signed-in developer's owner_id can equal (an issuer is an https URL), and the
-- name is listed in legacy_owner. The first sign-in whose principal name equals it claims them: its rows are re-keyed
-- to that developer's issuer and subject, and the claim is recorded (README, "Security": the rule and its risk).
CREATE TABLE legacy_owner (
    name       TEXT        PRIMARY KEY,
    claimed_by TEXT,
    claimed_at TIMESTAMPTZ
);

INSERT INTO legacy_owner (name)
SELECT owner_id FROM webhook
UNION
SELECT owner_id FROM homey WHERE owner_id IS NOT NULL;

-- An issuer URL and a subject of up to 255 characters do not fit the old VARCHAR(255).
ALTER TABLE webhook ALTER COLUMN owner_id TYPE TEXT;
ALTER TABLE homey ALTER COLUMN owner_id TYPE TEXT;

UPDATE webhook SET owner_id = 'legacy:' || owner_id;
UPDATE homey SET owner_id = 'legacy:' || owner_id WHERE owner_id IS NOT NULL;
