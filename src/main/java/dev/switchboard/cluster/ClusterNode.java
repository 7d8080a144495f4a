package dev.switchboard.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Typed;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.delivery.HomeyMessage;
import dev.switchboard.delivery.RemoteHomeys;
import dev.switchboard.delivery.log.DeliveryFeed;
import dev.switchboard.homey.HomeyPresence;
import dev.switchboard.homey.HomeySessions;
import dev.switchboard.routing.LocalRoutingChanges;
import dev.switchboard.routing.RegistrationIndex;
import dev.switchboard.routing.WebhookDirectory;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One node of a cluster (DESIGN.md, "Cluster mode"): presence of the Homeys connected here, hand-over of committed
 * messages to the node holding a Homey's socket, the change feed that keeps every node's webhook directory and
 * registration index current, and 4409 across nodes. Redis is only a bus: PostgreSQL keeps every message, so when
 * Redis is unavailable senders still get their 200, messages reach their Homeys from the log (the pending sweep), and
 * the directory and index are read again from PostgreSQL once Redis is back.
 *
 * <p>Without {@code switchboard.cluster.redis-url} nothing here starts: no Redis client exists and the features it
 * plugs into ({@link HomeySessions#joinCluster}, {@link LocalRoutingChanges#alsoTell}) never hear of it.
 */
@ApplicationScoped
@Typed(ClusterNode.class) // not a RoutingChanges bean: homey's changes go to LocalRoutingChanges, which tells this one
public class ClusterNode implements RemoteHomeys, HomeyPresence, dev.switchboard.routing.RoutingChanges {

    /** Sets each key to this node unless another node holds it; answers the keys another node holds. */
    private static final String REFRESH = """
            local taken = {}
            for i, key in ipairs(KEYS) do
              local holder = redis.call('GET', key)
              if holder == false or holder == ARGV[1] then
                redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
              else
                taken[#taken + 1] = key
              end
            end
            return taken""";
    /** Deletes the key if this node holds it. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";
    private static final int KEYS_PER_REFRESH = 500;
    private static final long RECONNECT_MILLIS = 1000;
    private static final long ANNOUNCE_WAIT_MILLIS = 1000;

    private final ClusterConfig config;
    private final HomeySessions sessions;
    private final LocalRoutingChanges routing;
    private final RegistrationIndex registrations;
    private final WebhookDirectory directory;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final DeliveryFeed liveLog;
    private final ClusterDeliveries recorded;

    private String nodeId;
    private Redis commands;
    private Redis subscriber;
    /** Applies changes from other nodes and reloads, one at a time in arrival order. */
    private WorkerExecutor changes;
    /** Runs the pending sweep, which waits for the outcome writer and reads PostgreSQL: never ahead of a change. */
    private WorkerExecutor sweeper;
    private volatile RedisConnection subscription;
    /** True while the subscription is up: false means degraded (hand-overs and changes fall back to PostgreSQL). */
    private volatile boolean connected;
    private volatile boolean missedChanges;
    private volatile boolean stopping;
    private final List<Long> timers = new ArrayList<>();
    /**
     * The Homeys connected here whose presence this node has claimed, and whether Redis confirmed the claim. Only
     * confirmed claims are refreshed: a refresh that overtook the claim would find the previous holder (a node that
     * died within the TTL, or the node a replaced socket was on) and close the Homey's new socket with 4409.
     */
    private final Map<String, Claim> claims = new ConcurrentHashMap<>();

    /** One claim of a Homey's presence by this node (identity matters: a newer socket makes a newer claim). */
    private static final class Claim {
        /** Redis holds this node as the Homey's holder; false while the claim is under way, or when it failed. */
        volatile boolean confirmed;
        /** Redis did not answer the claim: the next refresh sets it, unless another node holds the Homey then. */
        volatile boolean failed;
    }

    public ClusterNode(ClusterConfig config, HomeySessions sessions, LocalRoutingChanges routing,
            RegistrationIndex registrations, WebhookDirectory directory, ObjectMapper mapper, Vertx vertx,
            DeliveryFeed liveLog, ClusterDeliveries recorded) {
        this.config = config;
        this.sessions = sessions;
        this.routing = routing;
        this.registrations = registrations;
        this.directory = directory;
        this.mapper = mapper;
        this.vertx = vertx;
        this.liveLog = liveLog;
        this.recorded = recorded;
    }

    /** Before routing loads the directory and index, so that no change committed meanwhile is missed. */
    void start(@Observes @Priority(1) StartupEvent event) {
        if (config.redisUrl().isEmpty()) {
            return;
        }
        nodeId = config.nodeId().orElseGet(() -> HexFormat.of().formatHex(randomBytes()));
        RedisOptions options = new RedisOptions().setConnectionString(config.redisUrl().get())
                .setMaxPoolSize(8).setMaxPoolWaiting(10_000);
        commands = Redis.createClient(vertx, options);
        subscriber = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
        changes = vertx.createSharedWorkerExecutor("switchboard-cluster-changes", 1);
        sweeper = vertx.createSharedWorkerExecutor("switchboard-cluster-sweep", 1);
        sessions.joinCluster(this, this);
        routing.alsoTell(this);
        try {
            subscribe().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warnf("Cluster node %s: Redis at %s is unavailable (%s); running degraded until it answers", nodeId,
                    redactedUrl(), e.getMessage());
            missedChanges = true;
            sessions.handOversLost(true);
            scheduleReconnect();
        }
        timers.add(vertx.setPeriodic(config.presenceRefresh().toMillis(), id -> refreshPresence()));
        timers.add(vertx.setPeriodic(ClusterDeliveries.EVERY_MILLIS, id -> publishRecorded()));
        timers.add(vertx.setPeriodic(config.pendingSweep().toMillis(), id -> sweeper.executeBlocking(() -> {
            sessions.sweepPending(config.sweepMinAge());
            return null;
        }, false).onFailure(e -> Log.warnf("Pending sweep failed: %s", e.getMessage()))));
        Log.infof("Cluster node %s started (Redis %s)", nodeId, redactedUrl());
    }

    void stop(@Observes ShutdownEvent event) {
        if (nodeId == null) {
            return;
        }
        stopping = true;
        timers.forEach(vertx::cancelTimer);
        // Sockets are closed with 1012 (HomeySessions); let their presence go now rather than at the TTL.
        List<Future<Response>> released = new ArrayList<>();
        for (String homeyId : List.copyOf(sessions.connectedHomeyIds())) {
            released.add(release(homeyId));
        }
        try {
            Future.join(released).toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.debugf("Presence not released at shutdown: %s", e.getMessage());
        }
        subscriber.close();
        commands.close();
    }

    /** The node's ID, when clustered. */
    public String nodeId() {
        return nodeId;
    }

    /** False while Redis is unavailable: the node runs degraded (messages reach Homeys from the log). */
    public boolean isClustered() {
        return nodeId != null;
    }

    public boolean isConnected() {
        return connected;
    }

    // --- Hand-over -----------------------------------------------------------------------------------------------

    @Override
    public void handOver(String homeyId, HomeyMessage message) {
        commands.send(Request.cmd(Command.GET).arg(ClusterBus.presenceKey(homeyId))).onSuccess(holder -> {
            if (holder == null) {
                return; // offline everywhere: it reads the log when it connects
            }
            String node = holder.toString();
            if (node.equals(nodeId)) {
                return; // connected here after routing looked: its refill reads the log
            }
            publish(ClusterBus.nodeChannel(node), ClusterBus.encode(ClusterBus.MESSAGE, nodeId, homeyId,
                    message.deliveryId(), new String(message.frame(mapper), StandardCharsets.UTF_8)));
        }).onFailure(e -> Log.debugf("Hand-over of deliveryId=%s to homeyId=%s failed (the log has it): %s",
                message.deliveryId(), homeyId, e.getMessage()));
    }

    // --- Presence ------------------------------------------------------------------------------------------------

    @Override
    public void attached(String homeyId) {
        claim(homeyId);
    }

    /** Sets the Homey's presence to this node; the node that held it before, if another, closes its socket (4409). */
    private void claim(String homeyId) {
        Claim claim = new Claim();
        claims.put(homeyId, claim);
        commands.send(Request.cmd(Command.SET).arg(ClusterBus.presenceKey(homeyId)).arg(nodeId)
                .arg("PX").arg(config.presenceTtl().toMillis()).arg("GET")).onSuccess(previous -> {
                    claim.confirmed = true;
                    if (previous != null && !previous.toString().equals(nodeId)) {
                        publish(ClusterBus.nodeChannel(previous.toString()),
                                ClusterBus.encode(ClusterBus.REPLACED, nodeId, homeyId));
                    }
                }).onFailure(e -> {
                    claim.failed = true; // the next refresh sets it once Redis answers
                    Log.debugf("Presence of homeyId=%s not set: %s", homeyId, e.getMessage());
                });
    }

    @Override
    public void detached(String homeyId) {
        claims.remove(homeyId);
        if (!stopping) {
            release(homeyId);
        }
    }

    /** A newer socket of the Homey is on another node: this node's socket is closed (4409) and its claim dropped. */
    private void replacedElsewhere(String homeyId) {
        sessions.replacedElsewhere(homeyId); // first: a refresh meanwhile must not find it connected without a claim
        claims.remove(homeyId);
    }

    private Future<Response> release(String homeyId) {
        return commands.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(ClusterBus.presenceKey(homeyId))
                .arg(nodeId)).onFailure(e -> Log.debugf("Presence of homeyId=%s not released: %s", homeyId,
                        e.getMessage()));
    }

    /**
     * Refreshes the TTL of this node's Homeys whose claim Redis confirmed (and sets it again after Redis lost it); a
     * Homey that another node now holds (its replacement notice was lost) is closed here with 4409. Homeys whose claim
     * failed (Redis was unavailable) are claimed again; those whose claim is still under way are left to it.
     */
    private void refreshPresence() {
        List<String> homeyIds = new ArrayList<>();
        List<Claim> asOf = new ArrayList<>();
        for (String homeyId : List.copyOf(sessions.connectedHomeyIds())) {
            Claim claim = claims.computeIfAbsent(homeyId, id -> {
                Claim lost = new Claim();
                lost.failed = true;
                return lost;
            });
            if (claim.confirmed || claim.failed) {
                homeyIds.add(homeyId);
                asOf.add(claim);
            }
        }
        for (int from = 0; from < homeyIds.size(); from += KEYS_PER_REFRESH) {
            List<String> chunk = homeyIds.subList(from, Math.min(homeyIds.size(), from + KEYS_PER_REFRESH));
            List<Claim> chunkClaims = asOf.subList(from, from + chunk.size());
            Request eval = Request.cmd(Command.EVAL).arg(REFRESH).arg(chunk.size());
            chunk.forEach(homeyId -> eval.arg(ClusterBus.presenceKey(homeyId)));
            eval.arg(nodeId).arg(config.presenceTtl().toMillis());
            commands.send(eval).onSuccess(taken -> {
                java.util.Set<String> takenIds = new java.util.HashSet<>();
                if (taken != null) {
                    int prefix = ClusterBus.presenceKey("").length();
                    taken.forEach(key -> takenIds.add(key.toString().substring(prefix)));
                }
                for (int i = 0; i < chunk.size(); i++) {
                    String homeyId = chunk.get(i);
                    Claim claim = chunkClaims.get(i);
                    if (!takenIds.contains(homeyId)) {
                        claim.confirmed = true; // a failed claim is now set
                        claim.failed = false;
                    } else if (claim.confirmed && claims.get(homeyId) == claim) {
                        // Another node claimed it after this one did (and its notice was lost). A claim that failed
                        // and finds another holder waits instead: that holder may be a node that died.
                        replacedElsewhere(homeyId);
                    }
                }
            }).onFailure(e -> Log.debugf("Presence refresh failed: %s", e.getMessage()));
        }
    }

    // --- Change feed ---------------------------------------------------------------------------------------------

    @Override
    public void registered(String webhookId, String homeyId, com.fasterxml.jackson.databind.JsonNode data) {
        announce(ClusterBus.encode(ClusterBus.REGISTERED, nodeId, webhookId, homeyId, data.toString()));
    }

    @Override
    public void unregistered(String webhookId, String homeyId) {
        announce(ClusterBus.encode(ClusterBus.UNREGISTERED, nodeId, webhookId, homeyId));
    }

    @Override
    public void webhookChanged(String webhookId) {
        announce(ClusterBus.encode(ClusterBus.WEBHOOK, nodeId, webhookId));
    }

    /**
     * Publishes a change and, off the event loop, waits (briefly) until Redis has passed it to the other nodes: the
     * answer to a subscribe or to a portal change then follows it, so a request that the answer prompts, sent to
     * another node, finds the change there.
     */
    private void announce(String text) {
        Future<Response> sent = publish(ClusterBus.CHANGES, text);
        if (Context.isOnEventLoopThread()) {
            return;
        }
        try {
            sent.toCompletionStage().toCompletableFuture().get(ANNOUNCE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Failed or slow: publish() noted it; the other nodes reload when they see Redis again.
        }
    }

    private Future<Response> publish(String channel, String text) {
        return commands.send(Request.cmd(Command.PUBLISH).arg(channel).arg(text)).onFailure(e -> {
            Log.debugf("Publish on %s failed: %s", channel, e.getMessage());
            if (channel.equals(ClusterBus.CHANGES)) {
                // The other nodes may have missed it; they reload when they see Redis again, and so does this one.
                missedChanges = true;
            }
        });
    }

    /**
     * Targets of these deliveries changed state here (committed): the live delivery log pages served by the other
     * nodes show it (see {@link ClusterOutcomes}). One message per outcome batch of this node's writer.
     */
    void outcomesCommitted(List<String> deliveryIds) {
        if (connected) {
            publish(ClusterBus.LIVE_LOG, ClusterBus.encode(ClusterBus.OUTCOMES, nodeId,
                    String.join(",", deliveryIds)));
        }
    }

    /** Deliveries recorded here lately: the live delivery log pages served by the other nodes show them. */
    private void publishRecorded() {
        String field = recorded.take();
        if (field != null && connected) {
            publish(ClusterBus.LIVE_LOG, ClusterBus.encode(ClusterBus.RECORDED, nodeId, field));
        }
    }

    // --- Subscription --------------------------------------------------------------------------------------------

    private Future<Void> subscribe() {
        return subscriber.connect().compose(connection -> {
            connection.handler(this::received);
            connection.exceptionHandler(e -> lost(connection, e.getMessage()));
            connection.endHandler(v -> lost(connection, "connection closed"));
            return connection.send(Request.cmd(Command.SUBSCRIBE).arg(ClusterBus.nodeChannel(nodeId))
                    .arg(ClusterBus.CHANGES).arg(ClusterBus.LIVE_LOG)).map(ok -> {
                        boolean wasDegraded = missedChanges;
                        subscription = connection;
                        connected = true;
                        sessions.handOversLost(false);
                        if (wasDegraded) {
                            Log.infof("Cluster node %s: Redis is back; reloading webhooks and registrations", nodeId);
                            missedChanges = false;
                            changes.executeBlocking(() -> {
                                routing.reloadAll();
                                return null;
                            }, true).onFailure(e -> {
                                Log.errorf(e, "Reload after Redis returned failed");
                                missedChanges = true;
                            });
                            refreshPresence();
                        }
                        return (Void) null;
                    });
        });
    }

    private void lost(RedisConnection connection, String why) {
        if (connection != subscription || stopping) {
            return;
        }
        connected = false;
        missedChanges = true;
        subscription = null;
        sessions.handOversLost(true);
        Log.warnf("Cluster node %s lost Redis (%s): degraded, messages reach Homeys from the log", nodeId, why);
        connection.close();
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (stopping) {
            return;
        }
        vertx.setTimer(RECONNECT_MILLIS, id -> subscribe().onFailure(e -> scheduleReconnect()));
    }

    private void received(Response push) {
        if (push.size() < 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        String text = push.get(2).toString();
        try {
            char kind = text.charAt(0);
            ClusterBus message = ClusterBus.decode(text, ClusterBus.fieldCount(kind));
            if (message.origin().equals(nodeId)) {
                return;
            }
            String[] f = message.fields();
            switch (kind) {
                case ClusterBus.MESSAGE -> sessions.pushRendered(f[0], f[1], f[2].getBytes(StandardCharsets.UTF_8));
                case ClusterBus.REPLACED -> replacedElsewhere(f[0]);
                case ClusterBus.REGISTERED -> apply(() -> registrations.put(f[0], f[1], mapper.readTree(f[2])));
                case ClusterBus.UNREGISTERED -> apply(() -> registrations.remove(f[0], f[1]));
                case ClusterBus.WEBHOOK -> apply(() -> directory.refresh(f[0]));
                case ClusterBus.OUTCOMES -> {
                    if (liveLog.isListening()) {
                        liveLog.committed(List.of(f[0].split(",")));
                    }
                }
                case ClusterBus.RECORDED -> {
                    if (liveLog.isListening()) {
                        liveLog.recordedElsewhere(ClusterDeliveries.decode(f[0]));
                    }
                }
                default -> { }
            }
        } catch (RuntimeException e) {
            Log.warnf("Ignored a malformed cluster message: %s", e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Change {
        void apply() throws Exception;
    }

    /** Changes are applied one at a time, in the order they arrived, off the event loop (a refresh reads PostgreSQL). */
    private void apply(Change change) {
        changes.executeBlocking(() -> {
            change.apply();
            return null;
        }, true).onFailure(e -> {
            Log.warnf("Could not apply a change from another node (%s); reloading", e.getMessage());
            missedChanges = true;
            changes.executeBlocking(() -> {
                routing.reloadAll();
                missedChanges = false;
                return null;
            }, true);
        });
    }

    private String redactedUrl() {
        return config.redisUrl().map(url -> url.replaceAll("//[^@/]*@", "//***@")).orElse("");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
