package io.switchboard.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys found valid in the last {@code switchboard.api-keys.trust-window} (1 s), by hash, so that an agent opening many
 * connections (or calling REST often) costs one database look-up per key per second instead of one
 * per connection — and no hop to a worker thread. Only valid keys are remembered: an unknown,
 * revoked or expired key is always looked up (and logged as before). A key revoked on this replica is
 * forgotten at once and never remembered again; every other replica forgets it when it hears of the
 * revocation ({@link KeyRevocations}), before it closes the key's connections, so that from then on no
 * path lets the key in there either.
 */
@ApplicationScoped
public class RecentlyValidKeys {

    /** How long a valid key is taken without asking the database again. */
    private final long trustNanos;
    /** Bounds the memory; past it every entry is dropped and keys are looked up again. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(ApiKeyService.ValidKey key, long checkedAtNanos) {
    }

    private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
    private final Map<String, Long> revokedIds = new ConcurrentHashMap<>();

    /**
     * @param trustWindow how long a key found valid is taken again without the database: what a key
     *                    expiring or revoked while Redis is away may still get in for on another replica
     */
    RecentlyValidKeys(@ConfigProperty(name = "switchboard.api-keys.trust-window", defaultValue = "1s")
                      Duration trustWindow) {
        this.trustNanos = trustWindow.toNanos();
    }

    /** The key a credential stands for when it was found valid a moment ago and is still usable. */
    public Optional<ApiKeyService.ValidKey> known(String key) {
        if (!ApiKeySecrets.isWellFormed(key)) {
            return Optional.empty();
        }
        Entry entry = byHash.get(ApiKeySecrets.hash(key));
        if (entry == null || System.nanoTime() - entry.checkedAtNanos() > trustNanos
                || revokedIds.containsKey(entry.key().id())
                || (entry.key().expiresAt() != null && !entry.key().expiresAt().isAfter(Instant.now()))) {
            return Optional.empty();
        }
        return Optional.of(entry.key());
    }

    void remember(String key, ApiKeyService.ValidKey valid, long checkedAtNanos) {
        if (revokedIds.containsKey(valid.id())) {
            return;
        }
        if (byHash.size() >= MAX_ENTRIES) {
            byHash.clear();
        }
        byHash.put(ApiKeySecrets.hash(key), new Entry(valid, checkedAtNanos));
    }

    /**
     * Observed when fired, inside the revoking transaction: from then on the key id is never remembered
     * again, so a look-up that read the key just before the commit cannot put it back.
     */
    void onRevoked(@Observes ApiKeyRevoked revoked) {
        forget(revoked.keyId());
    }

    /** From now on the key is looked up in the database again, and never remembered. */
    void forget(String keyId) {
        if (revokedIds.size() >= MAX_ENTRIES) {
            revokedIds.clear();
        }
        revokedIds.put(keyId, System.nanoTime());
        byHash.values().removeIf(entry -> entry.key().id().equals(keyId));
    }
}
