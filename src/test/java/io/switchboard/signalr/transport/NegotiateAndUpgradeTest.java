package io.switchboard.signalr.transport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.ServerLog;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Negotiate and the WebSocket upgrade: versions, transports, and every refusal as an HTTP status. */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class NegotiateAndUpgradeTest {

    private static final String GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TestHTTPResource("/")
    URI base;

    @Test
    void negotiateVersion1ReturnsAnIdATokenAndTheTransports() {
        Response response = given().auth().oauth2(TestTokens.user("alice", "tenant-a"))
                .post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(200)
                .body("negotiateVersion", equalTo(1))
                .body("connectionId", matchesPattern(GUID))
                .body("availableTransports.transport", contains("WebSockets", "ServerSentEvents", "LongPolling"))
                .body("availableTransports[0].transferFormats", contains("Text", "Binary"))
                .body("availableTransports[1].transferFormats", contains("Text"))
                .body("availableTransports[2].transferFormats", contains("Text", "Binary"))
                .extract().response();
        assertNotEquals(response.<String>path("connectionId"), response.<String>path("connectionToken"),
                "the token is a secret distinct from the public id");
    }

    @Test
    void negotiateVersion0HasNoConnectionToken() {
        given().auth().oauth2(TestTokens.user("alice", "tenant-a"))
                .post(EchoHub.PATH + "/negotiate")
                .then().statusCode(200)
                .body("negotiateVersion", equalTo(0))
                .body("connectionId", matchesPattern(GUID))
                .body("$", not(hasKey("connectionToken")));
    }

    @Test
    void negotiateWithoutAValidTokenIs401() {
        given().post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().auth().oauth2(TestTokens.expired("alice", "tenant-a")).post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.signedByStranger("alice", "tenant-a"))
                .post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.token("alice", null, Set.of())).post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(401);
        given().auth().oauth2("not-a-jwt").post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(401);
    }

    @Test
    void negotiateAcceptsTheAccessTokenQueryParameter() {
        given().queryParam("access_token", TestTokens.user("alice", "tenant-a"))
                .post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(200);
    }

    @Test
    void negotiateOnAnUnknownHubIs404() {
        given().auth().oauth2(TestTokens.user("alice", "tenant-a")).post("/hubs/nope/negotiate?negotiateVersion=1")
                .then().statusCode(404);
    }

    @Test
    void upgradeWithoutAValidTokenIs401() {
        assertEquals(401, upgradeStatus(null, EchoHub.PATH));
        assertEquals(401, upgradeStatus(TestTokens.expired("alice", "tenant-a"), EchoHub.PATH));
        assertEquals(401, upgradeStatus(TestTokens.signedByStranger("alice", "tenant-a"), EchoHub.PATH));
    }

    @Test
    void upgradeWithAnUnknownConnectionTokenIs404() {
        assertEquals(404, upgradeStatus(TestTokens.user("alice", "tenant-a"), EchoHub.PATH + "?id=no-such-connection"));
    }

    @Test
    void aNegotiatedConnectionTokenCanBeUsedOnceAndOnlyByItsUser() {
        String alice = TestTokens.user("alice", "tenant-a");
        String token = given().auth().oauth2(alice).post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(200).extract().path("connectionToken");
        assertEquals(404, upgradeStatus(TestTokens.user("mallory", "tenant-a"), EchoHub.PATH + "?id=" + token));
        // Mallory's attempt must not use the token up for its owner.
        try (RawHubSocket socket = RawHubSocket.openWithQuery(base, EchoHub.PATH + "?id=" + token, alice)) {
            socket.send("{\"protocol\":\"json\",\"version\":1}\u001e");
            assertEquals("{}", socket.next());
        }
        assertEquals(404, upgradeStatus(alice, EchoHub.PATH + "?id=" + token), "a token is claimed once");
    }

    @Test
    void theAccessTokenQueryParameterAuthenticatesTheUpgrade() {
        String token = TestTokens.user("alice", "tenant-a");
        try (RawHubSocket socket = RawHubSocket.openWithQuery(base, EchoHub.PATH + "?access_token=" + token, null)) {
            socket.send("{\"protocol\":\"json\",\"version\":1}\u001e");
            assertEquals("{}", socket.next());
        }
    }

    /**
     * Once the socket is open, its upgrade request is finished (and access-logged with 101). Left
     * unfinished, as Vert.x leaves it, graceful shutdown counted every WebSocket ever opened as a request
     * in flight and waited the whole shutdown timeout, then logged an error.
     */
    @Test
    void anAcceptedUpgradeIsAFinishedRequest() {
        long before = upgradesLogged();
        try (RawHubSocket socket = RawHubSocket.open(base, EchoHub.PATH, TestTokens.user("finished", "tenant-a"))) {
            socket.send("{\"protocol\":\"json\",\"version\":1}\u001e");
            assertEquals("{}", socket.next());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (upgradesLogged() == before && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(before + 1, upgradesLogged(), "the upgrade request is done while its socket is open");
        }
    }

    private static long upgradesLogged() {
        return ServerLog.read().lines().filter(line -> line.contains("\"GET " + EchoHub.PATH + " HTTP/1.1\" 101 ")).count();
    }

    @Test
    void theOfficialClientCannotStartWithABadToken() {
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> HubClient.connect(base, EchoHub.PATH, TestTokens.signedByStranger("alice", "tenant-a")).close());
        assertTrue(String.valueOf(failure.getMessage()).contains("401"), failure.toString());
    }

    private int upgradeStatus(String token, String pathAndQuery) {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> RawHubSocket.openWithQuery(base, pathAndQuery, token).close());
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        return handshake.getResponse().statusCode();
    }
}
