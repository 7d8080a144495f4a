package dev.switchboard.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A webhook a developer owns. Secrets are stored only as ciphertext (see {@link SecretCipher}). */
@Entity
@Table(name = "webhook")
public class Webhook extends PanacheEntityBase {

    public static final int MAX_NAME_LENGTH = 120;

    @Id
    @Size(min = 24, max = 24)
    public String id;

    @NotBlank
    @Column(name = "owner_id")
    public String ownerId;

    @NotBlank
    @Size(max = MAX_NAME_LENGTH)
    public String name;

    @NotBlank
    @Column(name = "secret_ciphertext")
    public String secretCiphertext;

    @Column(name = "previous_secret_ciphertext")
    public String previousSecretCiphertext;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(name = "key_path")
    public String keyPath;

    @Column(name = "legacy_function")
    public String legacyFunction;

    @Column(name = "legacy_imported_at")
    public Instant legacyImportedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    public static List<Webhook> findByOwner(String ownerId) {
        return list("ownerId = ?1 order by createdAt desc, id", ownerId);
    }

    public static Optional<Webhook> findByOwnerAndId(String ownerId, String id) {
        return find("ownerId = ?1 and id = ?2", ownerId, id).firstResultOptional();
    }

    public boolean hasPreviousSecretAt(Instant now) {
        return previousSecretCiphertext != null && previousSecretExpiresAt != null && previousSecretExpiresAt.isAfter(now);
    }
}
