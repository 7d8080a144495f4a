package dev.switchboard.cluster;

/**
 * What travels between nodes over Redis pub/sub, as plain text: the kind, the sending node, then the fields, one per
 * line (IDs never hold a line break; a frame or registration data, last, may). Redis is a transient bus: every
 * message is also in PostgreSQL, so one that is lost costs a delay, never data.
 */
record ClusterBus(char kind, String origin, String[] fields) {

    /** A committed message for a Homey connected to the receiving node: homeyId, deliveryId, frame. */
    static final char MESSAGE = 'm';
    /** The Homey opened a newer socket on the sending node: homeyId. */
    static final char REPLACED = 'x';
    /** A registration was created or replaced: webhookId, homeyId, data. */
    static final char REGISTERED = 'r';
    /** A registration is gone: webhookId, homeyId. */
    static final char UNREGISTERED = 'u';
    /** A webhook was created, changed or deleted: webhookId. */
    static final char WEBHOOK = 'w';
    /** Targets of these deliveries changed state (sent, acknowledged) on the sending node: deliveryIds, comma-separated. */
    static final char OUTCOMES = 'o';
    /** Deliveries the sending node recorded, by webhook: see {@link ClusterDeliveries#take()}. */
    static final char RECORDED = 'd';

    static final String KEY_PREFIX = "switchboard:";
    static final String CHANGES = KEY_PREFIX + "changes";
    /**
     * The live delivery log's channel: outcome changes and new deliveries, many, and none that a node must not miss
     * (pages then read again). Named for what it first carried.
     */
    static final String LIVE_LOG = KEY_PREFIX + "outcomes";

    static String nodeChannel(String nodeId) {
        return KEY_PREFIX + "node:" + nodeId;
    }

    static String presenceKey(String homeyId) {
        return KEY_PREFIX + "homey:" + homeyId;
    }

    static String encode(char kind, String origin, String... fields) {
        StringBuilder text = new StringBuilder(64).append(kind).append('\n').append(origin);
        for (String field : fields) {
            text.append('\n').append(field);
        }
        return text.toString();
    }

    /** The fields of a text sent by {@link #encode}; the last one keeps its line breaks. */
    static ClusterBus decode(String text, int fieldCount) {
        String[] parts = text.split("\n", fieldCount + 2);
        if (parts.length != fieldCount + 2 || parts[0].length() != 1) {
            throw new IllegalArgumentException("Malformed cluster message");
        }
        String[] fields = new String[fieldCount];
        System.arraycopy(parts, 2, fields, 0, fieldCount);
        return new ClusterBus(parts[0].charAt(0), parts[1], fields);
    }

    static int fieldCount(char kind) {
        return switch (kind) {
            case MESSAGE, REGISTERED -> 3;
            case UNREGISTERED -> 2;
            case REPLACED, WEBHOOK, OUTCOMES, RECORDED -> 1;
            default -> throw new IllegalArgumentException("Unknown cluster message kind " + kind);
        };
    }
}
