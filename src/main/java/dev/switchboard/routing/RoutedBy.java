package dev.switchboard.routing;

/** Which routing rule decided a delivery's targets (DESIGN.md, "Routing"), as stored in the delivery log. */
public enum RoutedBy {
    HOMEY_QUERY("homey_query"),
    KEY_PATH("key_path"),
    LEGACY_FUNCTION("legacy_function"),
    NO_MATCH("no_match");

    private final String code;

    RoutedBy(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static RoutedBy ofCode(String code) {
        for (RoutedBy rule : values()) {
            if (rule.code.equals(code)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("Unknown routing rule " + code);
    }
}
