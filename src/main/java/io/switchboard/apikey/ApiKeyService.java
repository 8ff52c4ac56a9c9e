package io.switchboard.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * API keys of AI agents, always within one tenant: creation, listing, revocation and the look-up
 * behind every API-key authentication. Only the key's hash is stored; the key leaves this class once,
 * in the answer to its creation, and is never logged.
 */
@ApplicationScoped
public class ApiKeyService {

    /** What every API key starts with; a credential with this prefix is never treated as a JWT. */
    public static final String KEY_PREFIX = ApiKeySecrets.KEY_PREFIX;
    public static final int MAX_NAME_LENGTH = 200;

    /** A key that may be used now: who it makes the caller. */
    public record ValidKey(String id, String name, String tenantId, java.time.Instant expiresAt) {
    }

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);

    private final ApiKeyRepository keys;
    private final ApiKeySecrets secrets;
    private final Event<ApiKeyRevoked> revocations;
    private final RecentlyValidKeys recentlyValid;

    ApiKeyService(ApiKeyRepository keys, ApiKeySecrets secrets, Event<ApiKeyRevoked> revocations,
                  RecentlyValidKeys recentlyValid) {
        this.keys = keys;
        this.secrets = secrets;
        this.revocations = revocations;
        this.recentlyValid = recentlyValid;
    }

    /** Creates a key (name and expiry already validated); the answer holds the key itself. */
    @Transactional
    public CreatedApiKey create(String tenantId, String createdBy, String name, Instant expiresAt) {
        String key = secrets.newKey();
        ApiKeyEntity entity = new ApiKeyEntity();
        entity.id = UUID.randomUUID();
        entity.tenantId = tenantId;
        entity.name = name;
        entity.prefix = ApiKeySecrets.displayPrefix(key);
        entity.keyHash = ApiKeySecrets.hash(key);
        // Millisecond precision: the creation answer and later listings read back identically.
        entity.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        entity.createdBy = createdBy;
        entity.expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
        keys.persist(entity);
        LOG.infof("API key %s created in tenant %s by %s", entity.id, tenantId, createdBy);
        return new CreatedApiKey(entity.id.toString(), entity.name, key, entity.prefix, entity.createdAt,
                entity.expiresAt);
    }

    /** The tenant's keys, newest first, revoked and expired ones included. */
    @Transactional
    public List<ApiKeyView> list(String tenantId) {
        return keys.listForTenant(tenantId).stream().map(ApiKeyEntity::toView).toList();
    }

    @Transactional
    public Optional<ApiKeyView> find(String tenantId, UUID id) {
        return keys.findInTenant(tenantId, id).map(ApiKeyEntity::toView);
    }

    /**
     * Revokes a key of the tenant and fires {@link ApiKeyRevoked} in this transaction. Revoking a
     * revoked key keeps its first {@code revokedAt} and succeeds again.
     *
     * @return false when the tenant has no such key
     */
    @Transactional
    public boolean revoke(String tenantId, UUID id) {
        Optional<ApiKeyEntity> found = keys.findInTenant(tenantId, id);
        if (found.isEmpty()) {
            return false;
        }
        ApiKeyEntity key = found.get();
        if (key.revokedAt == null) {
            key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            LOG.infof("API key %s revoked in tenant %s", key.id, tenantId);
        }
        revocations.fire(new ApiKeyRevoked(key.id.toString(), tenantId));
        return true;
    }

    /**
     * The key a credential stands for, when it exists, is not revoked and has not expired. Blocking:
     * call it off the event loop.
     */
    @Transactional
    public Optional<ValidKey> authenticate(String key) {
        if (!ApiKeySecrets.isWellFormed(key)) {
            LOG.debug("API key refused: not a well-formed key (sb_ and 43 characters)");
            return Optional.empty();
        }
        Instant now = Instant.now();
        long checkedAtNanos = System.nanoTime();
        Optional<ApiKeyEntity> found = keys.findByHash(ApiKeySecrets.hash(key));
        if (found.isEmpty()) {
            LOG.debug("API key refused: no key has this hash");
        } else if (found.get().revokedAt != null) {
            LOG.debugf("API key refused: key %s was revoked at %s", found.get().id, found.get().revokedAt);
        } else if (!found.get().isUsableAt(now)) {
            LOG.debugf("API key refused: key %s expired at %s", found.get().id, found.get().expiresAt);
        }
        // The caller is told the same for all three; only this log tells them apart.
        Optional<ValidKey> valid = found.filter(usable -> usable.isUsableAt(now))
                .map(usable -> new ValidKey(usable.id.toString(), usable.name, usable.tenantId,
                        usable.expiresAt));
        valid.ifPresent(usable -> recentlyValid.remember(key, usable, checkedAtNanos));
        return valid;
    }
}
