package io.switchboard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a JSON value into a request record and validates it exactly as a REST body is, with the same
 * sentences ({@code diff.operation must be one of CREATE, UPDATE, DELETE}), for requests that arrive
 * another way than a REST body (the MCP tools' arguments).
 */
@ApplicationScoped
public class JsonBodies {

    private final ObjectMapper json;
    private final Validator validator;

    JsonBodies(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** {@code value} as a valid {@code type}; a {@link ProblemException} ({@code 400}) saying what to fix otherwise. */
    public <T> T read(JsonNode value, Class<T> type) {
        T body;
        try {
            body = json.treeToValue(value, type);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest(ProblemMappers.BodyErrors.describe(e));
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonProcessingException cause) {
                throw ProblemException.badRequest(ProblemMappers.BodyErrors.describe(cause));
            }
            throw e;
        }
        if (body == null) {
            throw ProblemException.badRequest("The request body is required: a JSON object.");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw ProblemException.badRequest(violations.stream().map(ProblemMappers.BodyErrors::describe).sorted()
                    .collect(Collectors.joining("; ")));
        }
        return body;
    }
}
