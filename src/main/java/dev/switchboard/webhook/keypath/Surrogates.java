package dev.switchboard.webhook.keypath;

/** Finds UTF-16 surrogates that do not form a pair: they encode no character and cannot be matched. */
final class Surrogates {

    private Surrogates() {
    }

    /** Index of the first unpaired surrogate in {@code s}, or -1. */
    static int firstUnpaired(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
