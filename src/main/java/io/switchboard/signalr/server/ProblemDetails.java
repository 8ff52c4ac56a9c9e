package io.switchboard.signalr.server;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document: how the engine renders a {@link Refusal} unless the application
 * replaces the {@link RefusalRenderer}.
 */
@RegisterForReflection
public record ProblemDetails(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of type {@code about:blank} whose title is the status's reason phrase. */
    public static ProblemDetails of(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return new ProblemDetails("about:blank", known != null ? known.getReasonPhrase() : "Error", status, detail);
    }

    public String toJson() {
        return new JsonObject().put("type", type).put("title", title).put("status", status).put("detail", detail)
                .encode();
    }
}
