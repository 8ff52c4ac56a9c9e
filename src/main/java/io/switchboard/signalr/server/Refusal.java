package io.switchboard.signalr.server;

import java.util.Map;

/**
 * A request on a hub path that is not let in: its status, a {@code detail} saying what to fix, and the
 * headers that go with the status. Rendered by the {@link RefusalRenderer}. The {@code 401} and
 * {@code 503} headers are made here only, for the engine and the application alike.
 *
 * @param status  the HTTP status
 * @param detail  what went wrong and what to fix; never quotes a credential
 * @param headers extra response headers (a challenge, {@code Retry-After})
 */
public record Refusal(int status, String detail, Map<String, String> headers) {

    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    public static final String RETRY_AFTER = "Retry-After";

    public Refusal {
        headers = Map.copyOf(headers);
    }

    public static Refusal of(int status, String detail) {
        return new Refusal(status, detail, Map.of());
    }

    /** {@code 401} with the challenge every client expects ({@code WWW-Authenticate: Bearer}). */
    public static Refusal unauthenticated(String detail) {
        return new Refusal(401, detail, Map.of(WWW_AUTHENTICATE, "Bearer"));
    }

    /** {@code 503} with {@code Retry-After}: the client may try again after that many seconds. */
    public static Refusal unavailable(String detail, int retryAfterSeconds) {
        return new Refusal(503, detail, Map.of(RETRY_AFTER, Integer.toString(retryAfterSeconds)));
    }
}
