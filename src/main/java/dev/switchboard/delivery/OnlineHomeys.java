package dev.switchboard.delivery;

/**
 * Pushes a committed message to a Homey if it is connected to this node; implemented by the Homey socket side.
 * A Homey that is offline or behind gets the message later from the pending queue, so pushing never blocks and
 * never buffers without bound.
 */
public interface OnlineHomeys {

    void push(String homeyId, String deliveryId, String frame);
}
