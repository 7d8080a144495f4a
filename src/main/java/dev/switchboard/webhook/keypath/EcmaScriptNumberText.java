package dev.switchboard.webhook.keypath;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript's Number::toString(x) for radix 10: the shortest decimal that reads back as the same
 * double, in plain notation from 1e-6 up to 1e21 and exponent notation ({@code 1e+21},
 * {@code 1.5e-7}) outside. Double.toString is no substitute: it switches notation at other
 * magnitudes and, before Java 19, sometimes emits a digit too many.
 */
final class EcmaScriptNumberText {

    private static final double TWO_TO_THE_53 = 0x1p53;

    private EcmaScriptNumberText() {
    }

    static String of(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (x == 0) {
            return "0"; // also -0
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        if (x < 0) {
            return "-" + of(-x);
        }
        if (x < TWO_TO_THE_53 && x == Math.rint(x)) {
            // Every integer below 2^53 is its own shortest round-tripping decimal: a cheap, common case.
            return Long.toString((long) x);
        }
        return format(shortestDecimal(x));
    }

    /**
     * The decimal with the fewest significant digits that rounds to {@code x}; among those of that
     * length the closest to {@code x}, and the even one on a tie (the specification's choice).
     * Double.toString's digit count is the first guess; it is right unless Java 17 added a digit
     * too many, which the check one digit shorter catches.
     */
    private static BigDecimal shortestDecimal(double x) {
        BigDecimal exact = new BigDecimal(x);
        int guess = significantDigits(Double.toString(x));
        BigDecimal guessed = nearestThatReadsBack(exact, x, guess);
        if (guessed != null && (guess == 1 || nearestThatReadsBack(exact, x, guess - 1) == null)) {
            return guessed;
        }
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal found = nearestThatReadsBack(exact, x, digits);
            if (found != null) {
                return found;
            }
        }
        throw new AssertionError("17 significant digits always identify a double: " + x);
    }

    /**
     * The decimal of {@code digits} significant digits closest to {@code x} that reads back as
     * {@code x}, or null. The decimals that read back as x form an interval around x, so if any
     * with that many digits exists, one of the two neighbours of x's exact value does.
     */
    private static BigDecimal nearestThatReadsBack(BigDecimal exact, double x, int digits) {
        BigDecimal below = exact.round(new MathContext(digits, RoundingMode.FLOOR));
        BigDecimal above = exact.round(new MathContext(digits, RoundingMode.CEILING));
        boolean belowFits = below.doubleValue() == x;
        boolean aboveFits = above.doubleValue() == x;
        if (belowFits && aboveFits) {
            int cmp = exact.subtract(below).compareTo(above.subtract(exact));
            if (cmp != 0) {
                return cmp < 0 ? below : above;
            }
            return below.unscaledValue().testBit(0) ? above : below;
        }
        return belowFits ? below : aboveFits ? above : null;
    }

    /** Significant digits in Double.toString's output, e.g. 3 for "1.25E-7" or 1 for "100.0". */
    private static int significantDigits(String javaText) {
        int end = javaText.indexOf('E');
        String mantissa = (end < 0 ? javaText : javaText.substring(0, end)).replace(".", "");
        int first = 0;
        while (first < mantissa.length() - 1 && mantissa.charAt(first) == '0') {
            first++;
        }
        int last = mantissa.length();
        while (last > first + 1 && mantissa.charAt(last - 1) == '0') {
            last--;
        }
        return Math.min(17, last - first);
    }

    /** Lays out digits s and exponent n (value = 0.s × 10^n) as the specification's steps 6 to 10 say. */
    private static String format(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        String s = stripped.unscaledValue().toString();
        int k = s.length();
        int n = k - stripped.scale();
        StringBuilder out = new StringBuilder(24);
        if (k <= n && n <= 21) {
            out.append(s).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(s);
        } else {
            int e = n - 1;
            out.append(s.charAt(0));
            if (k > 1) {
                out.append('.').append(s, 1, k);
            }
            out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return out.toString();
    }
}
