package dev.switchboard.delivery.log;

import java.util.Base64;
import java.util.HexFormat;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.problem.Problem.FieldError;
import dev.switchboard.problem.ProblemException;

/**
 * The opaque position of a page in a webhook's log: the (received_at, id) of the last row it covered. A delivery
 * ID encodes its receive time, so the ID alone is that key; the cursor is its 12 bytes in URL-safe base64, so
 * clients do not mistake it for something to construct.
 */
public final class DeliveryCursor {

    private static final HexFormat HEX = HexFormat.of();

    private DeliveryCursor() {
    }

    public static String of(String deliveryId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(HEX.parseHex(deliveryId));
    }

    /** The delivery ID a cursor stands for; null for none; a 422 problem naming {@code cursor} if it is not one. */
    public static String parse(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor.strip());
            String id = HEX.formatHex(bytes);
            if (DeliveryIds.isWellFormed(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw ProblemException.invalid(FieldError.of("cursor", "is not a cursor from a previous page"));
    }
}
