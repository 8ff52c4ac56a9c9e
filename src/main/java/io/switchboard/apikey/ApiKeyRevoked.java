package io.switchboard.apikey;

/**
 * Fired inside the transaction that revokes an API key. Observe it with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} to act only once the revocation is
 * committed (closing the key's hub connections: an API-key user's id is the key id).
 *
 * <p>Fired on every successful {@code DELETE}, a repeated one included, so an admin can sweep a
 * connection that was authenticated just before the first revocation committed.
 *
 * @param keyId    the key id, which is also the user id of the key's connections
 * @param tenantId the key's tenant
 */
public record ApiKeyRevoked(String keyId, String tenantId) {
}
