package io.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Where this server answers otherwise than ASP.NET Core on purpose or by its framework, pinned so that
 * docs/api.md ("Compatibility with ASP.NET Core SignalR") stays true: each case names what ASP.NET
 * Core answers.
 */
@QuarkusTest
class KnownDifferencesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private static String credential() {
        return TestTokens.user("probe-" + UUID.randomUUID(), "tenant-compat");
    }

    private JsonNode negotiated(String query) throws Exception {
        HttpResponse<String> answer = RawHttpConnection.send(HttpRequest.newBuilder(
                base.resolve("/hubs/chat/negotiate" + query)).header("Authorization", "Bearer " + credential())
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    @Test
    void negotiateVersionsAreClampedAndItsParametersAreReadWhateverTheirCase() throws Exception {
        // ASP.NET Core: the same for 7 (clamped to 1) and for the parameter's case; an error for -1.
        assertEquals(1, negotiated("?negotiateVersion=7").path("negotiateVersion").asInt());
        assertEquals(1, negotiated("?NegotiateVersion=1").path("negotiateVersion").asInt());
        assertEquals(0, negotiated("?negotiateVersion=-1").path("negotiateVersion").asInt());
        assertTrue(negotiated("?negotiateVersion=1&useStatefulReconnect=True").path("useStatefulReconnect").asBoolean());
    }

    @Test
    void aNegotiateVersionThatIsNoNumberIs404() {
        // ASP.NET Core: 200 with {"error":"The client requested a non-integer protocol version."}.
        HttpResponse<String> answer = RawHttpConnection.send(HttpRequest.newBuilder(
                base.resolve("/hubs/chat/negotiate?negotiateVersion=abc")).header("Authorization", "Bearer " + credential())
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(404, answer.statusCode());
    }

    @Test
    void otherMethodsOnTheHubPathAre404AndAPostOnAWebSocketConnectionToo() {
        String credential = credential();
        RawHttpConnection connection = RawHttpConnection.negotiate(base, "/hubs/chat", credential);
        // ASP.NET Core: 405 for PUT.
        assertEquals(404, RawHttpConnection.send(connection.request().PUT(HttpRequest.BodyPublishers.noBody())).statusCode());
        URI withId = connection.uri(null);
        try (RawHubSocket socket = RawHubSocket.openWithQuery(base, withId.getRawPath() + "?" + withId.getRawQuery(),
                credential)) {
            socket.send("{\"protocol\":\"json\",\"version\":1}\u001e");
            assertEquals("{}", socket.next());
            // ASP.NET Core: 405 "POST requests are not allowed for WebSocket connections."
            assertEquals(404, connection.post("{\"type\":6}\u001e").statusCode());
        }
    }
}
