package io.switchboard.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem document, the body of every REST error, as {@code application/problem+json}; the
 * same document as the SignalR engine's ProblemDetails, which renders refusals on hub paths and in the
 * filters ahead of REST. Here for the OpenAPI document. Reflection-registered for Jackson in a native image.
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
}
