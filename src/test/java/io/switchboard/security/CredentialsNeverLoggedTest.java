package io.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Tokens sent every way a client may send them (header, {@code access_token} query, bad ones) never
 * reach the log, the access log included. The test profile writes the log to target/quarkus-test.log.
 */
@QuarkusTest
class CredentialsNeverLoggedTest {

    private static final Path LOG = Path.of("target/quarkus-test.log");

    @TestHTTPResource("/")
    URI base;

    @Test
    void noTokenAppearsInAnyLogLine() throws Exception {
        String queryToken = TestTokens.user("log-query", "tenant-log");
        String headerToken = TestTokens.user("log-header", "tenant-log");
        String badToken = TestTokens.signedByStranger("log-bad", "tenant-log");

        given().queryParam("access_token", queryToken).post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(200);
        given().auth().oauth2(headerToken).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(200);
        given().queryParam("access_token", badToken).post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(401);
        given().auth().oauth2(badToken).get("/api/workflows/wf/messages").then().statusCode(401);
        try (RawHubSocket socket = RawHubSocket.openWithQuery(base, "/hubs/chat?access_token=" + queryToken, null)) {
            socket.send("{\"protocol\":\"json\",\"version\":1}\u001e");
            socket.next();
        }
        // Server-Sent Events and Long Polling requests carry the query too, good or bad.
        given().queryParam("access_token", queryToken).queryParam("id", "no-such-connection")
                .header("Accept", "text/event-stream").get("/hubs/chat").then().statusCode(404);
        given().queryParam("access_token", badToken).queryParam("id", "no-such-connection")
                .header("Accept", "text/event-stream").get("/hubs/chat").then().statusCode(401);
        given().queryParam("access_token", badToken).queryParam("id", "no-such-connection")
                .body("{}\u001e").post("/hubs/chat").then().statusCode(401);
        // A refused upgrade must not end in an error log line that quotes the URI.
        assertThrows(CompletionException.class,
                () -> RawHubSocket.openWithQuery(base, "/hubs/chat?access_token=" + badToken, null).close());

        String log = awaitLogContaining("/hubs/chat/negotiate");
        assertTrue(log.contains("\"POST /hubs/chat/negotiate HTTP/1.1\" 401"), "the access log is written");
        for (String token : new String[] {queryToken, headerToken, badToken}) {
            assertFalse(log.contains(token), "a token reached the log");
            // A JWT's signature alone is as sensitive as the whole token.
            assertFalse(log.contains(token.substring(token.lastIndexOf('.') + 1)), "a token signature reached the log");
        }
        assertFalse(log.contains("access_token="), "the query string is not logged");
    }

    private static String awaitLogContaining(String text) throws IOException, InterruptedException {
        String log = "";
        for (int i = 0; i < 50 && !log.contains(text); i++) {
            Thread.sleep(100);
            log = Files.exists(LOG) ? Files.readString(LOG) : "";
        }
        return log;
    }
}
