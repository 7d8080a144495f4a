package dev.switchboard.delivery;

/**
 * Hears each delivery once it is committed, before its Homeys are sent it: the portal's live delivery log, and in
 * cluster mode the other nodes' logs. Called on the event loop that recorded it, once per request: it must only
 * hand off.
 */
public interface RecordingListener {

    void recorded(DeliveryRecord record);
}
