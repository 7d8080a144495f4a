package dev.switchboard.homey;

/**
 * Cluster mode: told which Homeys have their socket on this node, so the other nodes can find them. Absent on a single
 * node. Called on the thread that attached or detached the socket; must not block.
 */
public interface HomeyPresence {

    /** The Homey's socket is now on this node (a previous one on this node was closed with 4409). */
    void attached(String homeyId);

    /** The Homey's socket on this node is gone (closed, or taken over by a newer one elsewhere). */
    void detached(String homeyId);
}
