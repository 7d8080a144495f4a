package dev.switchboard.homey;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An enrolled Homey. Its key is stored only as a SHA-256 hash. */
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

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    public static List<Homey> findTestHomeysOf(String ownerId) {
        return list("ownerId = ?1 order by createdAt", ownerId);
    }
}
