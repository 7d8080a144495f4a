package dev.switchboard.delivery;

import java.util.List;

/**
 * Hears that targets changed state (sent, acknowledged) once the change is committed, e.g. the portal's live
 * delivery log. Called on the outcome writer's thread, so {@link #isListening()} must be a cheap read and
 * {@link #committed} must hand work off rather than do it: the writer asks first and builds nothing when nobody
 * listens.
 */
public interface OutcomeListener {

    /** True while someone wants to hear about changes. */
    boolean isListening();

    /** The deliveries (distinct IDs) whose targets changed in one committed batch. */
    void committed(List<String> deliveryIds);
}
