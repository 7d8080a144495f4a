package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.webhook.keypath.RegistrationKeys;

/**
 * Every registration of every webhook in compact form (about 130 bytes each instead of 660; see
 * {@link WebhookRegistrations}, {@link HomeyHandles}): the framework-free core of {@link RegistrationIndex}.
 *
 * <p>Concurrency: writers serialize (the methods are synchronized) and change the tables under the write stamp of a
 * {@link StampedLock}. Readers take no lock: they read optimistically and keep the result only if no write happened
 * meanwhile; a read that overlapped a write (which takes microseconds; growing a table is done beside it, not under
 * the stamp) is simply read again, and only after many failed attempts waits for the read lock. So a reader always
 * sees the index as it was between two writes, never half a registration.
 *
 * <p>A registration's key values are not stored beside it: they are read again from its data text when it is
 * replaced or removed (they come back exactly; the few that might not are kept aside, see {@link #put}).
 */
final class CompactRegistrations {

    private static final int OPTIMISTIC_ATTEMPTS = 64;

    private final StampedLock stamps = new StampedLock();
    private final Map<String, WebhookRegistrations> byWebhook = new ConcurrentHashMap<>();
    private final HomeyHandles homeys = new HomeyHandles();
    /** Hashes key values with a key of this index's own, drawn at run time (see {@link KeyHash}). */
    private final KeyHash keyHash = KeyHash.random();
    private final ObjectMapper mapper;
    /** Keys of registrations whose data text might not give them back exactly (floating-point key values). */
    private final Map<String, Map<String, Set<String>>> keptKeys = new HashMap<>();

    CompactRegistrations(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    // ---- writers ----------------------------------------------------------------------------------------------

    /** Creates or replaces this Homey's registration for this webhook. */
    synchronized void put(String webhookId, String homeyId, JsonNode data) {
        put(webhookId, homeyId, data, RegistrationKeys.of(data), data.toString());
    }

    /**
     * As {@link #put(String, String, JsonNode)}, from the data as the database gives it back: without a tree for
     * the usual shape (keys that are strings, see {@link StoredRegistrationData}), which is what loading millions of
     * registrations at startup spends its time on.
     */
    synchronized void putStored(String webhookId, String homeyId, String storedData) {
        String text = StoredRegistrationData.compact(storedData);
        Set<String> keys = StoredRegistrationData.stringKeys(mapper.getFactory(), text);
        if (keys != null) {
            put(webhookId, homeyId, null, keys, text);
            return;
        }
        try {
            put(webhookId, homeyId, mapper.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A stored registration's data is not JSON", e);
        }
    }

    /** {@code data} null when the keys are texts, which its text gives back exactly. */
    private void put(String webhookId, String homeyId, JsonNode data, Set<String> keys, String text) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        boolean created = registrations == null;
        if (created) {
            registrations = new WebhookRegistrations();
        }
        int existing = homeys.find(homeyId);
        Object previous = existing >= 0 ? registrations.dataOf(existing) : null;
        Set<String> previousKeys = previous == null ? Set.of() : keysOf(webhookId, homeyId, previous);
        if (data == null) {
            forgetKeptKeys(webhookId, homeyId);
        } else {
            keepKeysIfInexact(webhookId, homeyId, data, keys, text);
        }
        homeys.reserveOne();
        registrations.reserve(keys.size());
        Object compactData = CompactText.of(text);

        long stamp = stamps.writeLock();
        try {
            if (created) {
                byWebhook.put(webhookId, registrations);
            }
            int homey = homeys.acquire(homeyId, existing);
            if (registrations.put(homey, compactData) != null) {
                homeys.release(homey); // a replacement: the registration held its use already
            }
            for (String key : previousKeys) {
                if (!keys.contains(key)) {
                    registrations.unindex(key, keyHash.of(key), homey);
                }
            }
            for (String key : keys) {
                registrations.index(key, keyHash.of(key), homey);
            }
        } finally {
            stamps.unlockWrite(stamp);
        }
    }

    synchronized void remove(String webhookId, String homeyId) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        int homey = homeys.find(homeyId);
        Object previous = registrations == null || homey < 0 ? null : registrations.dataOf(homey);
        if (previous == null) {
            return;
        }
        Set<String> previousKeys = keysOf(webhookId, homeyId, previous);
        forgetKeptKeys(webhookId, homeyId);
        long stamp = stamps.writeLock();
        try {
            registrations.remove(homey);
            for (String key : previousKeys) {
                registrations.unindex(key, keyHash.of(key), homey);
            }
            homeys.release(homey);
            if (registrations.isEmpty()) {
                byWebhook.remove(webhookId);
            }
        } finally {
            stamps.unlockWrite(stamp);
        }
    }

    synchronized void removeWebhook(String webhookId) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        if (registrations == null) {
            return;
        }
        keptKeys.remove(webhookId);
        long stamp = stamps.writeLock();
        try {
            byWebhook.remove(webhookId);
            // The table itself stays as it is, so a reader still holding it reads the same (and then fails validation).
            registrations.forEachHomey(homeys::release);
        } finally {
            stamps.unlockWrite(stamp);
        }
    }

    synchronized void removeHomey(String homeyId) {
        for (String webhookId : List.copyOf(byWebhook.keySet())) {
            remove(webhookId, homeyId);
        }
    }

    // ---- readers ----------------------------------------------------------------------------------------------

    boolean isRegistered(String webhookId, String homeyId) {
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            long stamp = stamps.tryOptimisticRead();
            if (stamp != 0) {
                try {
                    boolean registered = isRegisteredUnchecked(webhookId, homeyId);
                    if (stamps.validate(stamp)) {
                        return registered;
                    }
                } catch (RuntimeException tornRead) {
                    // A write overlapped this read; it is read again.
                }
            }
            Thread.onSpinWait();
        }
        long stamp = stamps.readLock();
        try {
            return isRegisteredUnchecked(webhookId, homeyId);
        } finally {
            stamps.unlockRead(stamp);
        }
    }

    /** Adds the Homeys whose {@code $key} equals, or whose {@code $keys} contains, any of {@code keyValues}. */
    void collectHomeysWithKeys(String webhookId, List<String> keyValues, Set<String> into) {
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            long stamp = stamps.tryOptimisticRead();
            if (stamp != 0) {
                try {
                    List<String> found = homeysWithKeysUnchecked(webhookId, keyValues);
                    if (stamps.validate(stamp)) {
                        into.addAll(found);
                        return;
                    }
                } catch (RuntimeException tornRead) {
                    // A write overlapped this read; it is read again.
                }
            }
            Thread.onSpinWait();
        }
        long stamp = stamps.readLock();
        try {
            into.addAll(homeysWithKeysUnchecked(webhookId, keyValues));
        } finally {
            stamps.unlockRead(stamp);
        }
    }

    List<Registration> registrationsOf(String webhookId) {
        return read(() -> {
            WebhookRegistrations registrations = byWebhook.get(webhookId);
            if (registrations == null) {
                return List.of();
            }
            List<Registration> all = new ArrayList<>(registrations.size());
            registrations.collectAll(homeys, all);
            return all;
        });
    }

    int countOf(String webhookId) {
        return read(() -> {
            WebhookRegistrations registrations = byWebhook.get(webhookId);
            return registrations == null ? 0 : registrations.size();
        });
    }

    /** Homeys interned, for tests and the benchmark. */
    int homeyCount() {
        return read(homeys::size);
    }

    private boolean isRegisteredUnchecked(String webhookId, String homeyId) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        if (registrations == null) {
            return false;
        }
        int homey = homeys.find(homeyId);
        return homey >= 0 && registrations.contains(homey);
    }

    private List<String> homeysWithKeysUnchecked(String webhookId, List<String> keyValues) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        if (registrations == null || keyValues.isEmpty()) {
            return List.of();
        }
        List<String> found = new ArrayList<>(4);
        for (int i = 0; i < keyValues.size(); i++) {
            String value = keyValues.get(i);
            registrations.collectHomeysWithKey(value, keyHash.of(value), homeys, found);
        }
        return found;
    }

    private <T> T read(Supplier<T> reader) {
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
            long stamp = stamps.tryOptimisticRead();
            if (stamp != 0) {
                try {
                    T result = reader.get();
                    if (stamps.validate(stamp)) {
                        return result;
                    }
                } catch (RuntimeException tornRead) {
                    // A write overlapped this read; it is read again.
                }
            }
            Thread.onSpinWait();
        }
        long stamp = stamps.readLock();
        try {
            return reader.get();
        } finally {
            stamps.unlockRead(stamp);
        }
    }

    // ---- key values of a stored registration ------------------------------------------------------------------

    /** The keys a stored registration was indexed under. Writer only. */
    private Set<String> keysOf(String webhookId, String homeyId, Object compactData) {
        Map<String, Set<String>> kept = keptKeys.get(webhookId);
        if (kept != null) {
            Set<String> keys = kept.get(homeyId);
            if (keys != null) {
                return keys;
            }
        }
        return keysOfText(CompactText.text(compactData));
    }

    private Set<String> keysOfText(String text) {
        try {
            return RegistrationKeys.of(mapper.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A registration's own data text does not parse", e);
        }
    }

    /**
     * Text, boolean and integer key values come back from the data text exactly; a floating-point one (written and
     * read as a double or a BigDecimal) nearly always does too, but it is checked, and if not its keys are kept
     * aside, so that removing the registration finds every key it was indexed under.
     */
    private void keepKeysIfInexact(String webhookId, String homeyId, JsonNode data, Set<String> keys, String text) {
        boolean exact = isExact(data.get("$key")) && isExact(data.get("$keys"));
        if (!exact && !keysOfText(text).equals(keys)) {
            keptKeys.computeIfAbsent(webhookId, id -> new HashMap<>()).put(homeyId, keys);
        } else {
            forgetKeptKeys(webhookId, homeyId);
        }
    }

    private void forgetKeptKeys(String webhookId, String homeyId) {
        if (keptKeys.isEmpty()) {
            return;
        }
        Map<String, Set<String>> kept = keptKeys.get(webhookId);
        if (kept != null && kept.remove(homeyId) != null && kept.isEmpty()) {
            keptKeys.remove(webhookId);
        }
    }

    private static boolean isExact(JsonNode value) {
        if (value == null) {
            return true;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (!isExact(element)) {
                    return false;
                }
            }
            return true;
        }
        return !value.isNumber() || value.isIntegralNumber();
    }
}
