package dev.switchboard.webhook.keypath;

/** The part of a webhook request a key path starts from. */
public enum KeyPathRoot {
    BODY("body"),
    HEADERS("headers"),
    QUERY("query");

    private final String keyword;

    KeyPathRoot(String keyword) {
        this.keyword = keyword;
    }

    /** The word that names this root in a key path, e.g. {@code headers}. */
    public String keyword() {
        return keyword;
    }

    /** The root named by {@code keyword} (case-sensitive, like ECMAScript), or {@code null}. */
    static KeyPathRoot ofKeyword(String keyword) {
        for (KeyPathRoot root : values()) {
            if (root.keyword.equals(keyword)) {
                return root;
            }
        }
        return null;
    }
}
