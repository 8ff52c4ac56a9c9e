package io.switchboard.signalr.server;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Whether a request on a hub path may go on: one decision for negotiate, the WebSocket upgrade and the
 * HTTP transports (centrifuge's {@code OnConnecting}). The application implements it as a CDI bean,
 * which is where credentials are explained, roles checked and connections capped; the engine's own
 * only asks for a principal. It may complete on any thread, and must not block the one it is called on
 * (often the event loop).
 */
public interface HubAdmission {

    /** Empty when the request is admitted, else why not. */
    CompletionStage<Optional<Refusal>> decide(AdmissionRequest request);
}
