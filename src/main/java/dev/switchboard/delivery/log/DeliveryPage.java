package dev.switchboard.delivery.log;

import java.util.List;

/**
 * One page of a webhook's log, newest first.
 *
 * @param nextCursor    where the next (older) page starts, or null at the end of the log
 * @param searchLimited true when the page ended early because the filters examined
 *                      {@link DeliveryLogConfig#scanLimit()} rows: it may hold fewer items than asked for (even
 *                      none), and {@code nextCursor} continues the search
 */
public record DeliveryPage(List<DeliverySummary> items, String nextCursor, boolean searchLimited) {
}
