package io.switchboard.signalr.server;

/**
 * A request on a hub path waiting for the {@link HubAdmission} to decide it.
 *
 * @param hub               the hub asked for
 * @param path              the request's path (never its query, which may carry a credential)
 * @param purpose           what the request does with a connection
 * @param principal         who sent it; null when no credential came, or it was refused
 * @param credentialFailure why the credential was refused, or null (none sent, or accepted)
 * @param connectionsHeld   what the principal holds on this replica, over every hub and transport:
 *                          open connections, and negotiations no transport has claimed yet (until
 *                          they expire); 0 without a principal
 */
public record AdmissionRequest(Hub hub, String path, Purpose purpose, HubPrincipal principal,
                               Throwable credentialFailure, int connectionsHeld) {

    /** What the request does with a connection. */
    public enum Purpose {
        /** {@code POST /negotiate}: reserves a connection id that a transport claims later. */
        NEGOTIATE,
        /** A WebSocket opened without negotiating: starts a connection at once. */
        CONNECT_WITHOUT_NEGOTIATING,
        /** A transport request (upgrade, poll, send, delete) for a negotiated connection id. */
        USE_NEGOTIATED;

        /** Whether this request starts a connection (one more to count against a cap). */
        public boolean startsConnection() {
            return this != USE_NEGOTIATED;
        }
    }

    public boolean authenticated() {
        return principal != null;
    }
}
