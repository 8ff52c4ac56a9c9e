package io.switchboard.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Text a client sends may not contain the NUL character (U+0000): PostgreSQL cannot store it, so
 * without this a request carrying one failed deep in a transaction. Read strings are checked as they
 * are bound, for REST bodies and hub arguments alike (the hubs bind with a copy of this mapper), and
 * refused with the field named.
 */
@Singleton
public class TextWithoutNul implements ObjectMapperCustomizer {

    /** A string that holds U+0000. */
    public static final class NulCharacterException extends InvalidFormatException {

        NulCharacterException(JsonParser parser, String value) {
            super(parser, "Text must not contain the NUL character (\\u0000).", value, String.class);
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("text-without-nul").addDeserializer(String.class, new Checked()));
    }

    /** Whether any text in {@code json} (values or names) holds U+0000. */
    public static boolean containsNul(com.fasterxml.jackson.databind.JsonNode json) {
        return json != null && containsNul(json.toString());
    }

    /** Whether JSON text written by Jackson holds U+0000 (which it always writes escaped). */
    public static boolean containsNul(String writtenJson) {
        return writtenJson.contains("\\u0000");
    }

    private static final class Checked extends StdScalarDeserializer<String> {

        Checked() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                throw new NulCharacterException(parser, value);
            }
            return value;
        }
    }
}
