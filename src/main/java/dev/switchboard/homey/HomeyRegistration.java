package dev.switchboard.homey;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A Homey's {@code createWebhook(id, secret, data)}: one row per webhook and Homey, kept across connections. */
@Entity
@Table(name = "registration")
public class HomeyRegistration extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    /** The registration's {@code data} as JSON text ({@code $key}, {@code $keys}, anything the app needs). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String data;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static List<HomeyRegistration> findByWebhook(String webhookId) {
        return list("key.webhookId = ?1 order by createdAt", webhookId);
    }

    public static long countByHomey(String homeyId) {
        return count("key.homeyId", homeyId);
    }

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "webhook_id")
        public String webhookId;

        @Column(name = "homey_id")
        public String homeyId;

        public Key() {
        }

        public Key(String webhookId, String homeyId) {
            this.webhookId = webhookId;
            this.homeyId = homeyId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(webhookId, k.webhookId) && Objects.equals(homeyId, k.homeyId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(webhookId, homeyId);
        }
    }
}
