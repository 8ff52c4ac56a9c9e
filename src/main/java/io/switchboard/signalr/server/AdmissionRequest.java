package io.switchboard.signalr.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A request on a hub path waiting for the {@link HubAdmission} to decide it.
 *
 * @param hub               the hub asked for
 * @param path              the request's path (never its query, which may carry a credential)
 * @param purpose           what the request does with a connection
 * @param principal         who sent it; null when no credential came, or it was refused
 * @param credentialFailure why the credential was refused, or null (none sent, or accepted)
 * @param slot              the new connection's slot among the principal's, to take when a cap applies;
 *                          null when the request starts no connection or has no principal
 */
public record AdmissionRequest(Hub hub, String path, Purpose purpose, HubPrincipal principal,
                               Throwable credentialFailure, Slot slot) {

    /** The slot a new connection would hold ({@link ConnectionSlots}). */
    @FunctionalInterface
    public interface Slot {

        /**
         * Takes the slot when the principal holds fewer than {@code cap} connections, counting open
         * ones and negotiations not yet claimed, over every hub, transport and replica: checking and
         * taking are one step. Completes with whether it was taken; a taken slot is given back when
         * the connection ends or its negotiation expires.
         */
        CompletionStage<Boolean> takeWithin(int cap);
    }

    /**
     * Takes the new connection's slot within {@code cap} ({@link Slot#takeWithin}); true at once when the
     * request starts no connection.
     */
    public CompletionStage<Boolean> takeConnectionSlotWithin(int cap) {
        return slot == null ? CompletableFuture.completedFuture(true) : slot.takeWithin(cap);
    }

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
