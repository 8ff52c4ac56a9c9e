package io.switchboard.signalr.server;

/**
 * Turns a {@link Refusal} into a response body. The engine's own renders RFC 9457 problem+json
 * ({@link ProblemDetails}); an application with another error format provides a CDI bean of its own.
 */
public interface RefusalRenderer {

    /** A body and its media type. */
    record Rendered(String contentType, String body) {
    }

    Rendered render(Refusal refusal);
}
