package io.switchboard.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import io.switchboard.ops.DatabaseUnavailable;
import io.switchboard.signalr.server.Refusal;
import io.switchboard.signalr.server.TransientFailures;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every REST failure as {@code application/problem+json} whose {@code detail} says what to fix:
 * a {@code 400} names the field by its JSON path ({@code diff.operation}) and, for an enumeration, the
 * allowed values; a {@code 401} why the credential was refused; a {@code 403} the role needed.
 * Framework internals (class names, annotations, "HTTP 400 Bad Request") never reach the body.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final AccessSentences access;

    ProblemMappers(AccessSentences access) {
        this.access = access;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(BodyErrors::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        return respond(400, detail);
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return respond(Refusal.unauthenticated(access.unauthenticated(e, uri.getPath())));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource, UriInfo uri) {
        return respond(403, access.forbidden(allowedRoles(resource), uri.getPath()));
    }

    /** "; it takes GET, POST" when the response says which methods the path takes (it may not). */
    private static String allowedMethods(WebApplicationException e) {
        if (!(e instanceof NotAllowedException)) {
            return "";
        }
        String allowed = e.getResponse().getAllowedMethods().stream().sorted().collect(Collectors.joining(", "));
        return allowed.isEmpty() ? "" : "; it takes " + allowed;
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableBody(json);
        }
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 400 -> "The request is not valid for this endpoint.";
            case 404 -> "Nothing is served at this path.";
            case 405 -> "This path does not take that method" + allowedMethods(e) + ".";
            case 406 -> "This endpoint answers JSON: accept application/json.";
            case 415 -> "Send the body as JSON, with the header Content-Type: application/json.";
            default -> status >= 500 ? "The server could not complete the request."
                    : Problem.of(status, "").title() + ".";
        };
        if (e instanceof NotSupportedException) {
            detail = "Send the body as JSON, with the header Content-Type: application/json.";
        }
        return respond(status, detail);
    }

    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        return respond(400, BodyErrors.describe(e));
    }

    // Declared for the subclass too: Quarkus REST has a built-in mapper for it that would otherwise win
    // and answer plain JSON naming internal classes (a wrong type, say a date that is not ISO-8601).
    @ServerExceptionMapper
    public Response mismatchedBody(MismatchedInputException e) {
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
        return respond(TransientFailures.refusal());
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // Drop the "method.argN." prefix of parameter violations; the field name is what callers know.
        int dot = path.lastIndexOf('.');
        String field = dot >= 0 ? path.substring(dot + 1) : path;
        return field + " " + violation.getMessage();
    }

    /** A refusal of the engine's kind (its status, detail and headers) as a REST answer. */
    public static Response respond(Refusal refusal) {
        Response.ResponseBuilder response = Response.fromResponse(respond(refusal.status(), refusal.detail()));
        refusal.headers().forEach(response::header);
        return response.build();
    }

    public static Response respond(int status, String detail) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, detail))
                .build();
    }

    /** The roles of the operation's {@code @RolesAllowed}, on the method or else on its class. */
    private static List<String> allowedRoles(ResourceInfo resource) {
        try {
            Method method = resource.getResourceMethod();
            RolesAllowed allowed = method == null ? null : method.getAnnotation(RolesAllowed.class);
            if (allowed == null && resource.getResourceClass() != null) {
                allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
            }
            return allowed == null ? List.of() : Arrays.asList(allowed.value());
        } catch (RuntimeException unknown) {
            return List.of();
        }
    }

    /** Sentences for bodies that cannot become the endpoint's request: the field by its JSON path. */
    static final class BodyErrors {

        private BodyErrors() {
        }

        static String describe(JsonProcessingException e) {
            // A syntax error found while binding a field arrives wrapped in a mapping exception.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof JsonEOFException) {
                    return "The request body is not complete JSON: it ends in the middle of a value.";
                }
                if (cause instanceof JsonParseException parse) {
                    Optional<String> repeated = RepeatedKeysRefused.repeatedField(parse);
                    if (repeated.isPresent()) {
                        return repeated.get() + " appears more than once: send each field once.";
                    }
                    return "The request body is not valid JSON" + where(parse.getLocation()) + ".";
                }
            }
            if (e instanceof TextWithoutNul.NulCharacterException nul) {
                String field = path(nul.getPath());
                return (field.isEmpty() ? "Text" : field) + " must not contain the NUL character (\\u0000).";
            }
            if (e instanceof JsonMappingException mapping) {
                String field = path(mapping.getPath());
                Class<?> target = mapping instanceof MismatchedInputException mismatched ? mismatched.getTargetType() : null;
                if (field.isEmpty()) {
                    return "The request body must be a JSON object.";
                }
                return field + " must be " + expected(target) + ".";
            }
            return "The request body is not valid JSON.";
        }

        static String describe(ConstraintViolation<?> violation) {
            StringBuilder field = new StringBuilder();
            Class<?> type = null;
            for (jakarta.validation.Path.Node node : violation.getPropertyPath()) {
                if (node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                    if (!field.isEmpty()) {
                        field.append('.');
                    }
                    field.append(node.getName());
                    if (node.getIndex() != null) {
                        field.append('[').append(node.getIndex()).append(']');
                    }
                }
            }
            if (field.isEmpty()) {
                return "The request body is required: a JSON object.";
            }
            Object bean = violation.getLeafBean();
            String last = field.substring(field.lastIndexOf(".") + 1);
            if (bean != null && bean.getClass().isRecord()) {
                for (var component : bean.getClass().getRecordComponents()) {
                    if (component.getName().equals(last)) {
                        type = component.getType();
                    }
                }
            }
            String allowed = type != null && type.isEnum() ? " (one of " + constants(type) + ")" : "";
            return field + " " + violation.getMessage() + allowed;
        }

        private static String expected(Class<?> target) {
            if (target == null) {
                return "a value of the documented type";
            }
            if (target.isEnum()) {
                return "one of " + constants(target) + " (exactly, in capitals)";
            }
            if (target == String.class) {
                return "a string";
            }
            if (target == Long.class || target == Integer.class || target == long.class || target == int.class) {
                return "a whole number";
            }
            if (target == java.time.Instant.class) {
                return "an ISO-8601 UTC time such as 2030-01-31T12:00:00Z";
            }
            if (target == Boolean.class || target == boolean.class) {
                return "true or false";
            }
            if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
                return "a JSON array";
            }
            return "a JSON object";
        }

        private static String constants(Class<?> enumType) {
            return Arrays.stream(enumType.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }

        /** {@code diff.operation}, {@code roles[2]}: the JSON path of a mapping failure. */
        private static String path(List<JsonMappingException.Reference> references) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference reference : references) {
                if (reference.getFieldName() != null) {
                    if (!path.isEmpty()) {
                        path.append('.');
                    }
                    path.append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            return path.toString();
        }

        private static String where(JsonLocation location) {
            return location == null || location.getLineNr() < 1 ? ""
                    : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
    }
}
