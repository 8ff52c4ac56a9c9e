package io.switchboard.apikey;

/**
 * Fired on every replica (on an event loop) when it hears that a key was revoked, once the key is
 * refused there: what holds the key's sessions on this replica ends them.
 *
 * @param keyId    the revoked key's id (the user id of its sessions)
 * @param tenantId the key's tenant
 */
public record ApiKeyRevocationHeard(String keyId, String tenantId) {
}
