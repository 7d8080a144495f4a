package dev.switchboard.homey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * An enrolled Homey. Its key is checked against a SHA-256 hash; a test Homey also keeps it encrypted, for its owner.
 */
@Entity
@Table(name = "homey")
public class Homey extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "key_hash")
    public byte[] keyHash;

    /** The developer who enrolled it in the portal's simulator; null for real Homeys. */
    @Column(name = "owner_id")
    public String ownerId;

    public String label;

    /** Test Homeys only: the key, encrypted (see {@code V4__test_homey_keys.sql}), so the simulator can reconnect. */
    @Column(name = "key_ciphertext")
    public String keyCiphertext;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    public static List<Homey> findTestHomeysOf(String ownerId) {
        return list("ownerId = ?1 order by createdAt", ownerId);
    }

    /** A test Homey of {@code ownerId}; someone else's Homey, or a real one, is not found. */
    public static Optional<Homey> findTestHomeyOf(String ownerId, String homeyId) {
        return find("ownerId = ?1 and id = ?2", ownerId, homeyId).firstResultOptional();
    }

    public static long countTestHomeysOf(String ownerId) {
        return count("ownerId = ?1", ownerId);
    }
}
