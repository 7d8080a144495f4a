package dev.switchboard.homey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One connected Homey: the messages sent and not yet acknowledged (at most {@code maxInFlight}, and at most
 * {@code maxInFlightBytes} of frames, within what the node allows all Homeys together) and whether older messages
 * still wait in the database. While any do, new messages are not sent directly either, so a Homey always receives
 * its messages in order; they are read back from the database as acknowledgements free room. One message may always
 * be in flight, however large, so a big message cannot stall its Homey.
 */
final class HomeySession {

    /** {@code frame}: the message's UTF-8 bytes, shared read-only with every other Homey it goes to. */
    record InFlight(String deliveryId, byte[] frame, Instant sentAt) {
    }

    final String homeyId;
    final HomeyConnection connection;
    private final int maxInFlight;
    private final long maxInFlightBytes;
    private final InFlightBytes node;
    private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
    /** The bytes of the frames in flight. */
    private long inFlightBytes;
    /** Set once the socket is gone: its bytes went back to the node, and it takes no more messages. */
    private boolean retired;
    /**
     * Sent but not yet handed to the operating system: the socket's buffer still holds them. A Homey that stopped
     * reading is not sent them again on ack timeout, so its buffer holds at most one copy of each in-flight message.
     */
    private final Set<String> unwritten = new HashSet<>();
    /** True while the database may hold messages for this Homey that it has not been sent yet. */
    private boolean backlog = true;
    /** Set when a message was held back during a refill, so the refill must look again. */
    private boolean heldBackDuringRefill;
    private boolean refilling;
    /**
     * Messages held back before their waiting row was written (their target was deferred until its outcome): no refill
     * can read them yet, so the backlog is not drained and nothing newer is sent until each is offered again with its
     * row written ({@link #offerAgain}) or a refill loads it.
     */
    private final TreeSet<String> awaitingRow = new TreeSet<>();
    /**
     * Cluster mode while Redis is unavailable: messages committed on other nodes are not handed over, so this Homey
     * reads from the log; a refill that catches up does not end the backlog (see {@link #readFromLog}).
     */
    private boolean fromLog;
    /**
     * The newest message sent directly or loaded by a refill: the next refill reads on from there instead of
     * re-reading, from the oldest, rows that are in flight or acknowledged but not yet marked so in the database.
     */
    private String refilledUpTo;
    /**
     * Messages decided to go, in the order decided, not yet handed to the socket: the decisions are made under this
     * object's lock on several threads (senders' event loops, refills' completions), and {@link #sendDecided} hands them
     * over one thread at a time, in that order, so no message overtakes one decided before it.
     */
    private final ArrayDeque<InFlight> decided = new ArrayDeque<>();
    private boolean sending;
    /** Last frame or pong from the Homey: a socket silent for longer than the idle timeout is closed. */
    volatile Instant lastHeard;

    HomeySession(String homeyId, HomeyConnection connection, int maxInFlight) {
        this(homeyId, connection, maxInFlight, Long.MAX_VALUE, InFlightBytes.unbounded());
    }

    HomeySession(String homeyId, HomeyConnection connection, int maxInFlight, long maxInFlightBytes,
            InFlightBytes node) {
        this.homeyId = homeyId;
        this.connection = connection;
        this.maxInFlight = maxInFlight;
        this.maxInFlightBytes = maxInFlightBytes;
        this.node = node;
        this.lastHeard = Instant.now();
    }

    /**
     * A freshly committed message whose target row is deferred until its outcome: true if it should be sent now. False
     * if it must wait; then its row is written and it is offered again ({@link #offerAgain}), and until then nothing
     * newer is sent, so it cannot be overtaken.
     */
    synchronized boolean offerDeferred(String deliveryId, byte[] frame, Instant now) {
        if (offer(deliveryId, frame, now)) {
            return true;
        }
        if (!retired) {
            awaitingRow.add(deliveryId);
        }
        return false;
    }

    /** A message {@link #offerDeferred} held back now has its waiting row: offered again, like any committed one. */
    synchronized boolean offerAgain(String deliveryId, byte[] frame, Instant now) {
        awaitingRow.remove(deliveryId);
        return offer(deliveryId, frame, now);
    }

    /** A freshly committed message: true if it should be sent now, false if it waits its turn in the database. */
    synchronized boolean offer(String deliveryId, byte[] frame, Instant now) {
        if (retired) {
            return false;
        }
        if (refilledUpTo != null && deliveryId.compareTo(refilledUpTo) <= 0) {
            // Received before a message a refill already loaded, but committed after it (requests on different
            // event loops can reach the recorder out of order): no refill reads behind its cursor, so send it now,
            // whatever the byte caps say. Unless it is in flight already: offered again after a refill loaded it
            // (see DeliveryOutcomes#declined).
            if (inFlight.containsKey(deliveryId)) {
                return false;
            }
            take(frame, true);
            go(new InFlight(deliveryId, frame, now));
            return true;
        }
        if (backlog || inFlight.size() >= maxInFlight || !take(frame, inFlight.isEmpty())) {
            backlog = true;
            if (refilling) {
                heldBackDuringRefill = true;
            }
            return false;
        }
        // After the cursor, so not in flight: everything in flight is at or before it.
        go(new InFlight(deliveryId, frame, now));
        refilledUpTo = deliveryId; // no backlog: nothing newer was sent or loaded before it
        return true;
    }

    private void go(InFlight message) {
        inFlight.put(message.deliveryId(), message);
        decided.add(message);
    }

    /**
     * Hands the messages decided to go to {@code send}, oldest decision first. If another thread is handing them over
     * already, it takes these too (it looks again before it stops), so this returns at once.
     */
    void sendDecided(Consumer<InFlight> send) {
        synchronized (this) {
            if (sending) {
                return;
            }
            sending = true;
        }
        while (true) {
            InFlight next;
            synchronized (this) {
                next = decided.poll();
                if (next == null) {
                    sending = false;
                    return;
                }
            }
            try {
                send.accept(next);
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    sending = false; // the next call hands over the rest
                }
                throw e;
            }
        }
    }

    /** Removes an acknowledged message; true if it was in flight. */
    synchronized boolean ack(String deliveryId) {
        unwritten.remove(deliveryId);
        InFlight acked = inFlight.remove(deliveryId);
        if (acked == null) {
            return false;
        }
        inFlightBytes -= acked.frame().length;
        node.release(acked.frame().length);
        return true;
    }

    /**
     * While {@code on}, the backlog never drains: every refill (on each ack, and on the resend check) reads the log
     * after its cursor, where messages other nodes could not hand over are.
     */
    synchronized void readFromLog(boolean on) {
        fromLog = on;
        if (on) {
            backlog = true;
        }
    }

    /** The socket is gone: what it held in flight no longer counts against the node, and it takes nothing more. */
    synchronized void retire() {
        if (!retired) {
            retired = true;
            node.release(inFlightBytes);
            inFlightBytes = 0;
            inFlight.clear();
            awaitingRow.clear();
            decided.clear();
        }
    }

    /**
     * Counts the frame against this Homey's and the node's byte caps if it fits both, or anyway when {@code always}
     * (nothing else is in flight, or the message must go now); false if it must wait.
     */
    private boolean take(byte[] frame, boolean always) {
        long bytes = frame.length;
        if (!always && inFlightBytes + bytes > maxInFlightBytes) {
            return false;
        }
        if (!node.take(bytes, always)) {
            return false;
        }
        inFlightBytes += bytes;
        return true;
    }

    /** A send of the message was started: it sits in the socket's buffer until {@link #writeDone(String)}. */
    synchronized void writing(String deliveryId) {
        unwritten.add(deliveryId);
    }

    /** The message's last send reached the operating system, or failed (the socket is closing). */
    synchronized void writeDone(String deliveryId) {
        unwritten.remove(deliveryId);
    }

    /** The delivery ID the next refill reads after (exclusive), or null to read from the oldest. */
    synchronized String refilledUpTo() {
        return refilledUpTo;
    }

    /** How many messages a refill may load now, or 0 if none is needed or one is already running. */
    synchronized int startRefill() {
        if (retired || !backlog || refilling || inFlight.size() >= maxInFlight) {
            return 0;
        }
        if (!inFlight.isEmpty() && (inFlightBytes >= maxInFlightBytes || node.full())) {
            return 0; // no room for bytes: the next ack starts it
        }
        refilling = true;
        heldBackDuringRefill = false;
        return maxInFlight - inFlight.size();
    }

    /**
     * Takes the messages a refill loaded (oldest first) and returns those to send. Frames are built by {@code frame}
     * one at a time, in turn, and the first that does not fit the byte caps ends the refill: it and the rest stay in
     * the database and are read again once acknowledgements free room; so does a message newer than one whose row is
     * not written yet. When the database had fewer than asked for, all fitted, nothing was held back meanwhile, no row
     * is awaited and the Homey does not read from the log only, the backlog is drained and direct sending resumes.
     */
    synchronized <T> List<InFlight> finishRefill(List<T> loaded, int asked, Function<T, InFlight> frame, Instant now) {
        refilling = false;
        List<InFlight> toSend = new ArrayList<>();
        if (retired) {
            return toSend;
        }
        // Everything in flight is at or before the cursor the refill read after, so nothing loaded is in flight.
        for (T row : loaded) {
            InFlight message = frame.apply(row);
            if (waitsForAnOlderRow(message.deliveryId()) || !take(message.frame(), inFlight.isEmpty())) {
                return toSend; // the backlog stays
            }
            awaitingRow.remove(message.deliveryId());
            refilledUpTo = message.deliveryId(); // loaded oldest first
            InFlight sent = new InFlight(message.deliveryId(), message.frame(), now);
            go(sent);
            toSend.add(sent);
        }
        if (loaded.size() < asked && !heldBackDuringRefill && awaitingRow.isEmpty() && !fromLog) {
            backlog = false;
        }
        return toSend;
    }

    private boolean waitsForAnOlderRow(String deliveryId) {
        return !awaitingRow.isEmpty() && awaitingRow.first().compareTo(deliveryId) < 0;
    }

    synchronized void refillFailed() {
        refilling = false;
    }

    /**
     * Messages sent longer ago than {@code ackTimeout} whose last send left the socket's buffer: they are sent
     * again, with a fresh send time.
     */
    synchronized List<InFlight> overdue(Instant now, Duration ackTimeout) {
        List<InFlight> due = new ArrayList<>();
        for (Map.Entry<String, InFlight> entry : inFlight.entrySet()) {
            if (entry.getValue().sentAt().plus(ackTimeout).isBefore(now) && !unwritten.contains(entry.getKey())) {
                InFlight again = new InFlight(entry.getKey(), entry.getValue().frame(), now);
                entry.setValue(again);
                due.add(again);
            }
        }
        return due;
    }

    synchronized boolean hasBacklog() {
        return backlog;
    }

    synchronized int inFlightCount() {
        return inFlight.size();
    }
}
