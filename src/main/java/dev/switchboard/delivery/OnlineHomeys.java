package dev.switchboard.delivery;

/**
 * Pushes a committed message to a Homey if it is connected to this node; implemented by the Homey socket side.
 * A Homey that is offline or behind gets the message later from the pending queue, so pushing never blocks and
 * never buffers without bound.
 */
public interface OnlineHomeys {

    /** Whether the Homey has a socket on this node now (it may go away before a push). */
    boolean isOnline(String homeyId);

    void push(String homeyId, String deliveryId, String frame);
}
