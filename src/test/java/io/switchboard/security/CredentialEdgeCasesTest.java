package io.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Credentials that look valid at a glance but must not be accepted (security probe, low findings). */
@QuarkusTest
class CredentialEdgeCasesTest {

    @TestHTTPResource("/")
    URI base;

    /** The status line of a request sent byte for byte as written (no client normalizes its path). */
    private String statusOf(String requestLine) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write((requestLine + "\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    @Test
    void aRestPathReachedThroughHubsDotDotDoesNotTakeTheQueryCredential() throws IOException {
        String token = TestTokens.user("dotdot", "tenant-edge");
        String status = statusOf("GET /hubs/../api/pending-changes?access_token=" + token + " HTTP/1.1");
        assertTrue(status.startsWith("HTTP/1.1 401"), status);
        // The same request on a hub path itself still may (browsers cannot set headers there).
        String hub = statusOf("POST /hubs/chat/negotiate?negotiateVersion=1&access_token=" + token + " HTTP/1.1\r\n"
                + "Content-Length: 0");
        assertTrue(hub.startsWith("HTTP/1.1 200"), hub);
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        given().auth().oauth2(TestTokens.issuedInTheFuture("time-traveller", "tenant-edge"))
                .get("/api/pending-changes")
                .then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("issued in the future"));
        given().auth().oauth2(TestTokens.issuedInTheFuture("time-traveller", "tenant-edge"))
                .post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("(claim iat)"));
        given().queryParam("access_token", TestTokens.issuedInTheFuture("time-traveller", "tenant-edge"))
                .post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("(claim iat)"));
        // exp before iat: refused by the JWT library itself, still named.
        String expiringFirst = TestTokens.issuedInTheFutureAfterItsExpiry("time-traveller", "tenant-edge");
        given().auth().oauth2(expiringFirst).get("/api/pending-changes")
                .then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("(claim iat)"));
        given().queryParam("access_token", expiringFirst).post("/hubs/chat/negotiate?negotiateVersion=1")
                .then().statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("(claim iat)"));
    }
}
