-- Test Homeys (enrolled in the portal for its in-browser simulator) keep their key, so their owner can connect
-- them again from any browser. The key is still checked against key_hash; key_ciphertext is AES-256-GCM under
-- switchboard.secrets.encryption-key (the webhook secrets' key), bound to the Homey ID, and is only ever shown
-- to the developer in owner_id. Real Homeys never have one: their key is shown once at enrollment.
ALTER TABLE homey ADD COLUMN key_ciphertext TEXT;
ALTER TABLE homey ADD CONSTRAINT homey_key_ciphertext_only_for_test_homeys
    CHECK (key_ciphertext IS NULL OR owner_id IS NOT NULL);
