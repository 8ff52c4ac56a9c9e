package io.switchboard.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.switchboard.ops.DatabaseUnavailable;
import io.switchboard.signalr.server.TransientFailures;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every REST failure as {@code application/problem+json}: validation {@code 400}, missing or
 * bad credential {@code 401}, role {@code 403}, and so on. Internals never reach the body.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(ProblemMappers::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        return respond(400, detail);
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(respond(401, "A valid credential is required."))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(403, "You do not have the role this requires.");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = status >= 500 ? "The server could not complete the request." : e.getMessage();
        return respond(status, detail);
    }

    @ServerExceptionMapper
    public Response unreadableBody(com.fasterxml.jackson.core.JsonProcessingException e) {
        return respond(400, "The request body is not valid JSON for this endpoint.");
    }

    // Declared for the subclass too: Quarkus REST has a built-in mapper for it that would otherwise win
    // and answer plain JSON naming internal classes (a wrong type, say a date that is not ISO-8601).
    @ServerExceptionMapper
    public Response mismatchedBody(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadableBody(e);
    }

    /** Reading the request body failed (the client went away mid-body): not a server fault. */
    @ServerExceptionMapper
    public Response unreadableStream(java.io.IOException e) {
        LOG.debugf("A request body could not be read: %s", e);
        return respond(400, "The request body could not be read.");
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (DatabaseUnavailable.isCauseOf(e)) {
            return temporarilyUnavailable(e);
        }
        LOG.error("Unexpected failure of a REST request", e);
        return respond(500, "The server could not complete the request.");
    }

    /** PostgreSQL is away: the caller may retry; no stack trace (readiness and the pool report the outage). */
    private static Response temporarilyUnavailable(Exception e) {
        LOG.debugf("A REST request failed while the database is unavailable: %s", e);
        return Response.fromResponse(respond(503, TransientFailures.MESSAGE)).header("Retry-After", "5").build();
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // Drop the "method.argN." prefix of parameter violations; the field name is what callers know.
        int dot = path.lastIndexOf('.');
        String field = dot >= 0 ? path.substring(dot + 1) : path;
        return field + " " + violation.getMessage();
    }

    public static Response respond(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail))
                .build();
    }
}
