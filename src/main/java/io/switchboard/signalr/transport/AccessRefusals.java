package io.switchboard.signalr.transport;

/**
 * Sentences for refused requests on a hub, saying what the caller should fix (implemented by the
 * security package, which knows the credentials). They go into problem+json bodies, so they never
 * quote a credential.
 */
public interface AccessRefusals {

    /**
     * Why a request is {@code 401}: {@code failure} is what refused the credential, or null when the
     * request carried none. Also logs the reason at DEBUG, with {@code path} (never the query).
     */
    String unauthenticated(Throwable failure, String path);

    /** Why a valid credential is {@code 403} on the hub at {@code hubPath}, which requires {@code role}. */
    String forbiddenOnHub(String hubPath, String role, String path);
}
