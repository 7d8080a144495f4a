package dev.switchboard.delivery;

/**
 * Cluster mode: the Homeys whose socket is on another node. Absent on a single node (see
 * {@link OnlineHomeys#elsewhere()}), so one node runs none of this.
 */
public interface RemoteHomeys {

    /**
     * Hands a committed message for a Homey that is not connected to this node to the node holding its socket, if
     * any. Fire and forget: the target's row is pending in the log, so a hand-over that is lost or fails only delays
     * the message until the holding node finds it there.
     */
    void handOver(String homeyId, HomeyMessage message);
}
