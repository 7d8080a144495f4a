package dev.switchboard.delivery;

/**
 * Pushes a committed message to a Homey if it is connected to this node; implemented by the Homey socket side.
 * A Homey that is offline or behind gets the message later from the pending queue, so pushing never blocks and
 * never buffers without bound.
 */
public interface OnlineHomeys {

    /** Whether the Homey has a socket on this node now (it may go away before a push). */
    boolean isOnline(String homeyId);

    /**
     * Sends the message now if the Homey is connected and has room for it; false if it must wait in the database
     * (offline, or older messages wait). The same message may be pushed to several Homeys: its frame is rendered once.
     */
    boolean push(String homeyId, HomeyMessage message);

    /**
     * Like {@link #push} for a message whose target row is deferred until its outcome (the Homey was online when it
     * was committed). If it must wait, the caller writes its waiting row and then calls {@link #deferredRowWritten};
     * until then the Homey is sent nothing newer, so the message cannot be overtaken.
     */
    boolean pushDeferred(String homeyId, HomeyMessage message);

    /** The waiting row of a message {@link #pushDeferred} declined is written: it is offered again. */
    void deferredRowWritten(String homeyId, HomeyMessage message);

    /** Cluster mode: the other nodes, which take messages for the Homeys connected to them; null on one node. */
    default RemoteHomeys elsewhere() {
        return null;
    }
}
