package dev.switchboard.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import dev.switchboard.problem.Problem;
import dev.switchboard.routing.RoutableWebhook;
import dev.switchboard.routing.WebhookDirectory;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Bytes stored per webhook and per owner today (UTC), against {@link QuotaConfig}: a sender who would store more is
 * refused with 429 {@code quota_exceeded} until the day rolls, so one webhook cannot fill the disk that every other
 * one's log shares. The hot path pays two map lookups and two atomic additions; nothing is read from the database
 * per request. Counts are per node (a restart does not forget them: {@link #seed} reads today's stored sizes back
 * once at startup, off the startup thread); in a cluster each node counts what it accepted itself.
 */
@ApplicationScoped
public class StorageQuota {

    /** The refusal; the same whether the webhook's or its owner's quota is used up. */
    static final Problem EXCEEDED = Problem.of(429, "quota_exceeded", "Too Many Requests",
            "This webhook has stored as much as it may today; nothing was recorded. The quota renews at 00:00 UTC.");
    private static final long DAY_MS = 86_400_000L;

    private final QuotaConfig config;
    private final Clock clock;
    private final DataSource dataSource;
    private final WebhookDirectory directory;
    private final Vertx vertx;
    private volatile Day today = new Day(-1);

    public StorageQuota(QuotaConfig config, Clock clock, DataSource dataSource, WebhookDirectory directory,
            Vertx vertx) {
        this.config = config;
        this.clock = clock;
        this.dataSource = dataSource;
        this.directory = directory;
        this.vertx = vertx;
    }

    /** One UTC day's counts; a new day starts from nothing. */
    private record Day(long number, Map<String, AtomicLong> webhooks, Map<String, AtomicLong> owners) {
        Day(long number) {
            this(number, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    /** True when the webhook or its owner has used up today's quota: its next request is refused, body unread. */
    public boolean exhausted(RoutableWebhook webhook) {
        Day day = day(clock.millis());
        return used(day.webhooks(), webhook.id()) >= config.webhookBytesPerDay()
                || used(day.owners(), webhook.ownerId()) >= config.ownerBytesPerDay();
    }

    /**
     * Counts {@code bytes} for the webhook and its owner if both stay within today's quota; false (nothing counted)
     * otherwise. Give them back with {@link #refund} if the request is then not stored.
     */
    public boolean charge(RoutableWebhook webhook, long bytes) {
        Day day = day(clock.millis());
        AtomicLong perWebhook = day.webhooks().computeIfAbsent(webhook.id(), id -> new AtomicLong());
        AtomicLong perOwner = day.owners().computeIfAbsent(webhook.ownerId(), id -> new AtomicLong());
        if (perWebhook.addAndGet(bytes) > config.webhookBytesPerDay()) {
            perWebhook.addAndGet(-bytes);
            return false;
        }
        if (perOwner.addAndGet(bytes) > config.ownerBytesPerDay()) {
            perOwner.addAndGet(-bytes);
            perWebhook.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    public void refund(RoutableWebhook webhook, long bytes) {
        Day day = today;
        AtomicLong perWebhook = day.webhooks().get(webhook.id());
        AtomicLong perOwner = day.owners().get(webhook.ownerId());
        if (perWebhook != null && perOwner != null) {
            perWebhook.addAndGet(-bytes);
            perOwner.addAndGet(-bytes);
        }
    }

    /** Seconds until the quota renews at midnight UTC (at least 1): the refusal's Retry-After. */
    public long secondsUntilRenewal() {
        long millis = clock.millis();
        return Math.max(1, ((millis / DAY_MS + 1) * DAY_MS - millis + 999) / 1000);
    }

    /** What a request adds to the log: its body, header names and values, and query string. */
    public static long sizeOf(byte[] body, List<Map.Entry<String, String>> headers, String rawQuery) {
        long size = body.length + (rawQuery == null ? 0 : rawQuery.length());
        for (Map.Entry<String, String> header : headers) {
            size += header.getKey().length() + header.getValue().length();
        }
        return size;
    }

    /** After the webhook directory has loaded (default priority), which the seed needs for owners. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent start) {
        vertx.executeBlocking(() -> {
            seed();
            return null;
        }, false);
    }

    /**
     * Adds what the log already holds for today from before counting started here (a restart): the body, the headers
     * as stored (JSON text, slightly more than {@link #sizeOf} counts) and the query. {@code octet_length} of a body
     * reads its stored length, not the body.
     */
    void seed() {
        long now = clock.millis();
        Day day = day(now);
        Instant from = Instant.ofEpochMilli(day.number() * DAY_MS);
        Instant until = Instant.ofEpochMilli(now);
        int webhooks = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT webhook_id, sum(octet_length(body) + octet_length(headers::text)"
                        + " + coalesce(octet_length(raw_query), 0)) FROM delivery"
                        + " WHERE received_at >= ? AND received_at < ? GROUP BY webhook_id")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(until));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String webhookId = rs.getString(1);
                    long bytes = rs.getLong(2);
                    day.webhooks().computeIfAbsent(webhookId, id -> new AtomicLong()).addAndGet(bytes);
                    directory.find(webhookId).ifPresent(webhook -> day.owners()
                            .computeIfAbsent(webhook.ownerId(), id -> new AtomicLong()).addAndGet(bytes));
                    webhooks++;
                }
            }
            Log.infof("Storage quota: today's usage of %d webhooks read from the log", webhooks);
        } catch (SQLException e) {
            // Counting starts from zero for today: the quota is a safeguard, not an invoice.
            Log.warnf("Storage quota: could not read today's usage (%s); counting from now", e.getSQLState());
        }
    }

    private Day day(long millis) {
        Day day = today;
        long number = millis / DAY_MS;
        if (day.number() == number) {
            return day;
        }
        synchronized (this) {
            if (today.number() != number) {
                today = new Day(number);
            }
            return today;
        }
    }

    private static long used(Map<String, AtomicLong> counts, String key) {
        AtomicLong used = counts.get(key);
        return used == null ? 0 : used.get();
    }
}
