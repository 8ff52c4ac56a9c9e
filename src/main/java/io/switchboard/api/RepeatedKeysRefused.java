package io.switchboard.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A REST body may name a field once: {@code {"reason":"a","reason":"b"}} is refused with {@code 400}
 * naming {@code reason}. Which value was meant cannot be known, and without the check a repeated
 * creator property of a record failed deep in Jackson as an invalid definition (a 500). The parser
 * checks as it reads, for nested objects too ({@code diff.after.amount}).
 *
 * <p>The hubs bind with a copy of this mapper but turn the check off again: there a later key wins,
 * as in ASP.NET Core's JSON hub protocol.
 */
@Singleton
public class RepeatedKeysRefused implements ObjectMapperCustomizer {

    /** Jackson's wording for the check's failure ({@code DupDetector}); it has no exception type of its own. */
    private static final String DUPLICATE_FIELD = "Duplicate field '";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The JSON path of the repeated field ({@code diff.after.amount}), when {@code e} is that failure. */
    static Optional<String> repeatedField(JsonParseException e) {
        String message = e.getOriginalMessage();
        if (message == null || !message.startsWith(DUPLICATE_FIELD) || e.getProcessor() == null) {
            return Optional.empty();
        }
        // The parser stopped at the repeated name: its context is where that name stands.
        Deque<JsonStreamContext> contexts = new ArrayDeque<>();
        for (JsonStreamContext context = e.getProcessor().getParsingContext(); context != null && !context.inRoot();
             context = context.getParent()) {
            contexts.addFirst(context);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext context : contexts) {
            if (context.inArray()) {
                path.append('[').append(context.getCurrentIndex()).append(']');
            } else if (context.getCurrentName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(context.getCurrentName());
            }
        }
        return Optional.of(path.toString());
    }
}
