package dev.switchboard.delivery.api;

import java.util.List;

/**
 * A page of the log, newest first. A page may hold fewer items than asked for (even none) when filters stopped
 * the search at its bound; only a null {@code nextCursor} means there is nothing older.
 */
public record DeliveryPageView(List<DeliveryItemView> items, String nextCursor) {
}
