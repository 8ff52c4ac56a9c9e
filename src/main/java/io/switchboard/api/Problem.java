package io.switchboard.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem document, the body of every error answered as {@code application/problem+json}
 * (REST, negotiate, and refusals on hub paths). Reflection-registered for Jackson in a native image.
 */
@RegisterForReflection
@Schema(name = "Problem", description = "An error (RFC 9457); detail says what to fix.")
public record Problem(
        @Schema(description = "Always about:blank: the status says what kind of error it is.", example = "about:blank")
        String type,
        @Schema(description = "The HTTP reason phrase of the status.", example = "Bad Request")
        String title,
        @Schema(description = "The HTTP status code.", example = "400")
        int status,
        @Schema(description = "What went wrong and what to fix, naming the field by its JSON path where there is one.",
                example = "diff.operation must be one of CREATE, UPDATE, DELETE.")
        String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem whose title is the status's reason phrase. */
    public static Problem of(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return new Problem("about:blank", known != null ? known.getReasonPhrase() : "Error", status, detail);
    }

    /**
     * Answers {@code response} with this problem, unless it was answered or closed already: for answers
     * written outside Quarkus REST (hub paths, filters ahead of REST).
     */
    public void writeTo(HttpServerResponse response) {
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE).end(toJson());
        }
    }

    /** This problem as JSON text, for answers written outside Quarkus REST (hub paths). */
    public String toJson() {
        return new JsonObject().put("type", type).put("title", title).put("status", status).put("detail", detail)
                .encode();
    }
}
