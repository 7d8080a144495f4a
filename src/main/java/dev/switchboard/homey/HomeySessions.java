package dev.switchboard.homey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.switchboard.delivery.HomeyMessage;
import dev.switchboard.delivery.OnlineHomeys;
import dev.switchboard.delivery.RemoteHomeys;
import dev.switchboard.delivery.outcomes.DeliveryOutcomes;
import dev.switchboard.delivery.pending.PendingMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;

/** The Homeys connected to this node, and sending them their messages in order, at least once. */
@ApplicationScoped
public class HomeySessions implements OnlineHomeys {

    private final Map<String, HomeySession> byHomey = new ConcurrentHashMap<>();
    private final PendingMessages pending;
    private final DeliveryOutcomes outcomes;
    private final HomeyFrames frames;
    /** Renders a committed message once, for all its Homeys; kept so that a push allocates no function. */
    private final HomeyConfig config;
    private final Clock clock;
    private final Vertx vertx;
    private final Counter sentCounter;
    private final Counter resentCounter;
    private final Counter ackCounter;
    private final InFlightBytes nodeBytes;
    /** Cluster mode only (see {@link #joinCluster}); null on a single node. */
    private volatile RemoteHomeys elsewhere;
    private volatile HomeyPresence presence;
    /** Cluster mode: Redis is unavailable, so hand-overs from other nodes are lost (see {@link #handOversLost}). */
    private volatile boolean handOversLost;

    public HomeySessions(PendingMessages pending, DeliveryOutcomes outcomes, HomeyFrames frames, HomeyConfig config,
            Clock clock, Vertx vertx, MeterRegistry meters) {
        this.pending = pending;
        this.outcomes = outcomes;
        this.frames = frames;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
        meters.gauge("switchboard.homeys.connected", byHomey, Map::size);
        this.sentCounter = meters.counter("switchboard.deliveries.sent");
        this.resentCounter = meters.counter("switchboard.deliveries.resent");
        this.ackCounter = meters.counter("switchboard.deliveries.acked");
        this.nodeBytes = new InFlightBytes(config.maxInFlightBytesPerNode().asLongValue());
        meters.gauge("switchboard.homeys.inflight.bytes", nodeBytes, InFlightBytes::used);
    }

    /** Makes this connection the Homey's one socket: a previous socket is closed with 4409. */
    void attach(String homeyId, HomeyConnection connection) {
        HomeySession session = new HomeySession(homeyId, connection, config.maxInFlight(),
                config.maxInFlightBytes().asLongValue(), nodeBytes);
        HomeySession previous = byHomey.put(homeyId, session);
        if (handOversLost) {
            session.readFromLog(true); // after the put: a change of mode meanwhile reaches it either way
        }
        if (previous != null) {
            previous.retire();
        }
        if (previous != null && previous.connection.isOpen()) {
            Log.infof("Second socket for homeyId=%s replaces the first", homeyId);
            HomeyClose.REPLACED.close(previous.connection);
        }
        HomeyPresence told = presence;
        if (told != null) {
            told.attached(homeyId);
        }
        refill(session);
    }

    void detach(String homeyId, HomeyConnection connection) {
        HomeySession session = byHomey.get(homeyId);
        if (session != null && session.connection == connection && byHomey.remove(homeyId, session)) {
            session.retire();
            HomeyPresence told = presence;
            if (told != null) {
                told.detached(homeyId);
            }
        }
    }

    /**
     * Cluster mode: the other nodes take messages for Homeys connected to them ({@link #elsewhere()}), and
     * {@code presence} hears which Homeys are connected here. Called once, at startup, by the cluster.
     */
    public void joinCluster(RemoteHomeys elsewhere, HomeyPresence presence) {
        this.presence = presence;
        this.elsewhere = elsewhere;
    }

    /**
     * Cluster mode: while {@code lost} (Redis is unavailable), no message committed on another node is handed over, so
     * every Homey here reads its messages from the log, after each ack and on each resend check, instead of waiting
     * for the pending sweep. Once Redis is back, each Homey returns to direct sending when its refill catches up.
     */
    public void handOversLost(boolean lost) {
        handOversLost = lost;
        for (HomeySession session : byHomey.values()) {
            session.readFromLog(lost);
            if (lost) {
                refill(session);
            }
        }
    }

    @Override
    public RemoteHomeys elsewhere() {
        return elsewhere;
    }

    /** The Homeys with a socket on this node now (a live view). */
    public Set<String> connectedHomeyIds() {
        return Collections.unmodifiableSet(byHomey.keySet());
    }

    /**
     * Cluster mode: a newer socket of this Homey opened on another node; this node's socket is closed with 4409. The
     * presence entry already names the other node, so it is not told.
     */
    public void replacedElsewhere(String homeyId) {
        HomeySession session = byHomey.remove(homeyId);
        if (session != null) {
            session.retire();
        }
        if (session != null && session.connection.isOpen()) {
            Log.infof("Socket of homeyId=%s replaced by a newer one on another node", homeyId);
            HomeyClose.REPLACED.close(session.connection);
        }
    }

    /**
     * Cluster mode: a message another node committed, handed over with its frame rendered there. Sent like a local
     * push; false if the Homey is not here or must read it from the log (its target row is pending there).
     */
    public boolean pushRendered(String homeyId, String deliveryId, byte[] frame) {
        HomeySession session = byHomey.get(homeyId);
        return session != null && sendIfOffered(session, deliveryId, frame, session::offer);
    }

    /**
     * Cluster mode: sends the connected Homeys their waiting messages received more than {@code minAge} ago that a
     * lost hand-over left in the log. Blocking (reads the database): call from a worker thread. A message in flight
     * is not sent twice; one acknowledged is not either, as pending outcomes are written first.
     */
    public void sweepPending(Duration minAge) {
        outcomes.flush();
        Instant before = clock.instant().minus(minAge);
        for (HomeySession session : byHomey.values()) {
            if (session.hasBacklog() && !handOversLost) {
                continue; // its refill reads the log anyway
            }
            // Without Redis every Homey has a backlog, but its refill reads only after its cursor: a message committed
            // elsewhere that a later one overtook is found here.
            for (var message : pending.oldestAfter(session.homeyId, null, config.maxInFlight())) {
                if (!message.receivedAt().isBefore(before)) {
                    break; // oldest first
                }
                byte[] frame = frames.message(message);
                if (session.offer(message.deliveryId(), frame, clock.instant())) {
                    Log.debugf("Sending deliveryId=%s to homeyId=%s from the log (hand-over lost)",
                            message.deliveryId(), session.homeyId);
                    sendDecided(session);
                }
            }
        }
    }

    /**
     * A node stopping closes every socket with 1012 first thing, so Homeys reconnect (to another node, in a cluster) while
     * it lets the requests in progress commit: Quarkus fires this before its graceful wait
     * ({@code quarkus.shutdown.delay-enabled}), which would otherwise also wait for every open socket until its timeout.
     */
    void onStopping(@Observes ShutdownDelayInitiatedEvent event) {
        closeAll();
    }

    /** Any socket still open when the node stops, should the event above not have come. */
    void onShutdown(@Observes ShutdownEvent event) {
        closeAll();
    }

    private void closeAll() {
        for (HomeySession session : byHomey.values()) {
            if (session.connection.isOpen()) {
                HomeyClose.RESTARTING.close(session.connection);
            }
        }
    }

    @Override
    public boolean isOnline(String homeyId) {
        return byHomey.containsKey(homeyId);
    }

    /** Closes the Homey's socket on this node, if it has one: its credentials are no longer valid. */
    void disconnect(String homeyId, String reason) {
        HomeySession session = byHomey.remove(homeyId);
        if (session != null) {
            session.retire();
        }
        if (session != null && session.connection.isOpen()) {
            HomeyClose.UNAUTHORIZED.close(session.connection, reason);
        }
        HomeyPresence told = presence;
        if (session != null && told != null) {
            told.detached(homeyId);
        }
    }

    @Override
    public boolean push(String homeyId, HomeyMessage message) {
        HomeySession session = byHomey.get(homeyId);
        return session != null && sendIfOffered(session, message.deliveryId(), frames.message(message),
                session::offer);
    }

    @Override
    public boolean pushDeferred(String homeyId, HomeyMessage message) {
        HomeySession session = byHomey.get(homeyId);
        return session != null && sendIfOffered(session, message.deliveryId(), frames.message(message),
                session::offerDeferred);
    }

    @Override
    public void deferredRowWritten(String homeyId, HomeyMessage message) {
        HomeySession session = byHomey.get(homeyId);
        if (session != null && !sendIfOffered(session, message.deliveryId(), frames.message(message),
                session::offerAgain)) {
            refill(session); // it waits in the database now: read it (and what waited behind it) from there
        }
    }

    /** An offer of a message to a session: true if it should be sent now (see {@link HomeySession#offer}). */
    @FunctionalInterface
    private interface Offer {
        boolean take(String deliveryId, byte[] frame, Instant now);
    }

    private boolean sendIfOffered(HomeySession session, String deliveryId, byte[] frame, Offer offer) {
        if (offer.take(deliveryId, frame, clock.instant())) {
            sendDecided(session);
            return true;
        }
        return false;
    }

    void heardFrom(String homeyId, HomeyConnection connection) {
        HomeySession session = byHomey.get(homeyId);
        if (session != null && session.connection == connection) {
            session.lastHeard = clock.instant();
        }
    }

    /**
     * An ack, heard on {@code connection}: like any frame it shows the socket is alive. An ack for a message in flight
     * to this Homey frees its place; any other ack (a duplicate, a message of another Homey, an invented ID) is
     * ignored here and costs no outcome write and no refill.
     */
    void acknowledged(String homeyId, String deliveryId, HomeyConnection connection) {
        HomeySession session = byHomey.get(homeyId);
        if (session == null) {
            return;
        }
        Instant now = clock.instant();
        if (session.connection == connection) {
            session.lastHeard = now;
        }
        if (!session.ack(deliveryId)) {
            return;
        }
        ackCounter.increment();
        outcomes.acked(deliveryId, homeyId, now);
        if (session.hasBacklog()) {
            refill(session);
        }
    }

    /**
     * Loads the oldest waiting messages from the database, off the event loop, builds their frames in turn while they
     * fit the byte caps, and sends them.
     */
    private void refill(HomeySession session) {
        int room = session.startRefill();
        if (room == 0) {
            return;
        }
        String after = session.refilledUpTo();
        vertx.executeBlocking(() -> {
            if (after == null) {
                // Reading from the oldest (a new socket): first the rows of messages that were in flight on an earlier
                // socket and whose rows were deferred until their outcome (see DeliveryOutcomes#defer).
                outcomes.flush();
            }
            return session.finishRefill(pending.oldestAfter(session.homeyId, after, room), room,
                    m -> new HomeySession.InFlight(m.deliveryId(), frames.message(m), m.receivedAt()), clock.instant());
        }, false)
                .onSuccess(toSend -> {
                    sendDecided(session);
                    // Go on while pages come back and room is left.
                    if (session.hasBacklog() && !toSend.isEmpty()) {
                        refill(session);
                    }
                })
                .onFailure(e -> {
                    session.refillFailed();
                    Log.errorf(e, "Could not load pending messages of homeyId=%s; retrying on the next tick",
                            session.homeyId);
                });
    }

    /** Sends what the session decided should go, in the order decided (see {@link HomeySession#sendDecided}). */
    private void sendDecided(HomeySession session) {
        session.sendDecided(message -> send(session, message.deliveryId(), message.frame()));
    }

    private void send(HomeySession session, String deliveryId, byte[] frame) {
        if (byHomey.get(session.homeyId) != session || !session.connection.isOpen()) {
            return;
        }
        session.writing(deliveryId);
        session.connection.send(frame, written -> {
            session.writeDone(deliveryId);
            if (written.succeeded()) {
                sentCounter.increment();
                outcomes.sent(deliveryId, session.homeyId, clock.instant());
            } else {
                Log.debugf("Send of deliveryId=%s to homeyId=%s failed: %s", deliveryId, session.homeyId,
                        written.cause().getMessage());
            }
        });
    }

    /** Pings every authenticated socket; one that stays silent is closed by {@link #resendOverdue()}. */
    @Scheduled(every = "${switchboard.homeys.ping-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void ping() {
        for (HomeySession session : byHomey.values()) {
            session.connection.ping();
        }
    }

    /** Resends what was not acknowledged in time, and picks up messages left waiting after a failed refill. */
    @Scheduled(every = "${switchboard.homeys.resend-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void resendOverdue() {
        Instant now = clock.instant();
        for (HomeySession session : byHomey.values()) {
            if (session.lastHeard.plus(config.idleTimeout()).isBefore(now)) {
                Log.infof("Closing silent socket of homeyId=%s (no pong for %s)", session.homeyId, config.idleTimeout());
                HomeyClose.SILENT.close(session.connection);
                continue;
            }
            for (HomeySession.InFlight message : session.overdue(now, config.ackTimeout())) {
                Log.debugf("Resending deliveryId=%s to homeyId=%s (no ack)", message.deliveryId(), session.homeyId);
                resentCounter.increment();
                send(session, message.deliveryId(), message.frame());
            }
            if (session.hasBacklog()) {
                refill(session);
            }
        }
    }
}
