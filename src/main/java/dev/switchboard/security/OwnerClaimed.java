package dev.switchboard.security;

/**
 * Fired inside the transaction in which the developer {@code ownerId} ({@code "<issuer> <subject>"}) claimed the rows
 * set aside for the principal name {@code legacyName} (V7 migration); each feature re-keys its own rows from
 * {@link LegacyOwners#setAside(String)} to {@code ownerId}.
 */
public record OwnerClaimed(String legacyName, String ownerId) {
}
