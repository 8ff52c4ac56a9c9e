package io.switchboard.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST path parameter passes the check bodies pass ({@link TextWithoutNul}): no NUL character
 * and, once percent-decoded, valid UTF-8. PostgreSQL can store neither, so without this
 * {@code /api/workflows/a%00b/messages} failed inside a query (a 500). Refused with {@code 400}
 * naming the parameter, before any resource method runs.
 */
class PathTextChecked {

    @ServerRequestFilter
    Optional<Response> check(ContainerRequestContext request, HttpServerRequest http) {
        // Every request passes here (an approval among them): a path of printable ASCII without an
        // escape decodes to itself, so it is checked without decoding anything or building a URI.
        String rawPath = http.path();
        if (rawPath == null || isPlainAscii(rawPath)) {
            return Optional.empty();
        }
        Map<String, List<String>> parameters = request.getUriInfo().getPathParameters();
        if (parameters.isEmpty()) {
            return Optional.empty();
        }
        // Quarkus REST hands out parameters decoded only, bytes that are not UTF-8 already replaced:
        // the raw segments say what was sent, the decoded ones which parameter it became.
        for (String segment : rawPath.split("/")) {
            Optional<String> problem = problemWith(segment);
            if (problem.isPresent()) {
                String lenient = new String(percentDecodedOrEmpty(segment), StandardCharsets.UTF_8);
                String name = parameters.entrySet().stream()
                        .filter(parameter -> parameter.getValue().contains(lenient))
                        .map(Map.Entry::getKey).findFirst()
                        .orElse(parameters.size() == 1 ? parameters.keySet().iterator().next() : "Each path segment");
                return Optional.of(ProblemMappers.respond(400, name + " " + problem.get()));
            }
        }
        return Optional.empty();
    }

    /** Printable ASCII with no {@code %}: text that has nothing to decode and no NUL. */
    static boolean isPlainAscii(String rawPath) {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '%') {
                return false;
            }
        }
        return true;
    }

    /** What is wrong with a percent-encoded path segment's text, if anything. */
    static Optional<String> problemWith(String encoded) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(percentDecoded(encoded)))
                    .toString();
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return Optional.of("must be text in UTF-8, percent-encoded.");
        }
        if (decoded.indexOf('\0') >= 0) {
            return Optional.of("must not contain the NUL character (%00).");
        }
        return Optional.empty();
    }

    private static byte[] percentDecodedOrEmpty(String encoded) {
        try {
            return percentDecoded(encoded);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** The bytes of {@code %XX}-encoded text; a {@code %} not followed by two hex digits is an error. */
    private static byte[] percentDecoded(String encoded) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw new IllegalArgumentException("incomplete escape");
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("not an escape");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toByteArray();
    }
}
