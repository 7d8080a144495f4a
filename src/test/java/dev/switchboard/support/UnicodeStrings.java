package dev.switchboard.support;

import static org.quicktheories.generators.Generate.range;

import org.quicktheories.core.Gen;

/** QuickTheories generators of hostile text, shared by the property tests. */
public final class UnicodeStrings {

    private UnicodeStrings() {
    }

    /**
     * Strings of {@code minLength..maxLength} UTF-16 chars drawn from all of them: any BMP char (with
     * {@code loneSurrogates}, also unpaired surrogates), unassigned, private-use and noncharacters, well-formed
     * surrogate pairs, ASCII including controls, and (often) the {@code favoured} chars that matter to the code
     * under test (none if empty).
     */
    public static Gen<String> strings(int minLength, int maxLength, String favoured, boolean loneSurrogates) {
        int surrogates = Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1;
        Gen<Integer> lengths = range(minLength, maxLength);
        Gen<Integer> kinds = range(0, 7);
        Gen<Integer> anyChar = loneSurrogates
                ? range(Character.MIN_VALUE, Character.MAX_VALUE)
                // Skips the surrogate block by shifting rather than rejecting, so nothing is thrown away.
                : range(Character.MIN_VALUE, Character.MAX_VALUE - surrogates)
                        .map(c -> c < Character.MIN_SURROGATE ? c : c + surrogates);
        Gen<Integer> ascii = range(0, 0x7F);
        Gen<Integer> favourite = range(0, Math.max(0, favoured.length() - 1));
        Gen<Integer> supplementary = range(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT);
        return in -> {
            int length = lengths.generate(in);
            StringBuilder out = new StringBuilder(length);
            while (out.length() < length) {
                int kind = kinds.generate(in);
                if (kind == 0 && out.length() + 2 <= length) {
                    out.appendCodePoint(supplementary.generate(in));
                } else if (kind <= 2) {
                    out.append((char) (int) ascii.generate(in));
                } else if (kind <= 4 && !favoured.isEmpty()) {
                    out.append(favoured.charAt(favourite.generate(in)));
                } else {
                    out.append((char) (int) anyChar.generate(in));
                }
            }
            return out.toString();
        };
    }
}
