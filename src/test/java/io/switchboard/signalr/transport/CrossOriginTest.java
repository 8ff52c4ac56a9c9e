package io.switchboard.signalr.transport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A browser client served from another origin (the test profile allows https://chat.switchboard.test):
 * the preflight is answered for what the SignalR JavaScript client sends, with credentials, and the
 * hub's own requests carry the CORS headers too. Other origins are refused.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class CrossOriginTest {

    private static final String ALLOWED = "https://chat.switchboard.test";
    /** What @microsoft/signalr sets on its requests (Authorization from accessTokenFactory). */
    private static final String CLIENT_HEADERS = "authorization,content-type,x-requested-with,x-signalr-user-agent";

    @TestHTTPResource("/")
    URI base;

    private static ValidatableResponse preflight(String origin, String method, String path, String headers) {
        return given().header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .options(path).then();
    }

    @Test
    void aPreflightFromAnAllowedOriginAllowsWhatTheClientSendsWithCredentials() {
        for (String[] request : new String[][] {{"POST", EchoHub.PATH + "/negotiate"}, {"GET", EchoHub.PATH},
                {"POST", EchoHub.PATH}, {"DELETE", EchoHub.PATH}}) {
            ValidatableResponse preflight = preflight(ALLOWED, request[0], request[1], CLIENT_HEADERS + ",x-api-key")
                    .statusCode(200)
                    .header("Access-Control-Allow-Origin", ALLOWED)
                    .header("Access-Control-Allow-Credentials", "true")
                    .header("Access-Control-Allow-Methods", containsStringIgnoringCase(request[0]));
            for (String header : (CLIENT_HEADERS + ",x-api-key").split(",")) {
                preflight.header("Access-Control-Allow-Headers", containsStringIgnoringCase(header));
            }
        }
    }

    @Test
    void theHubsRequestsFromAnAllowedOriginCarryTheCorsHeaders() {
        String alice = TestTokens.user("cors-alice", "tenant-cors");
        given().header("Origin", ALLOWED).auth().oauth2(alice).post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", ALLOWED)
                .header("Access-Control-Allow-Credentials", "true");
        RawHttpConnection connection = RawHttpConnection.negotiate(base, EchoHub.PATH, alice);
        given().header("Origin", ALLOWED).auth().oauth2(alice)
                .get(EchoHub.PATH + "?id=" + URLEncoder.encode(connection.token(), StandardCharsets.UTF_8))
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", ALLOWED)
                .header("Access-Control-Allow-Credentials", "true");
    }

    @Test
    void anotherOriginIsRefused() {
        preflight("https://evil.example", "POST", EchoHub.PATH + "/negotiate", CLIENT_HEADERS)
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").auth().oauth2(TestTokens.user("cors-alice", "tenant-cors"))
                .post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void requestsWithoutAnOriginAreUnaffected() {
        given().auth().oauth2(TestTokens.user("cors-alice", "tenant-cors")).post(EchoHub.PATH + "/negotiate?negotiateVersion=1")
                .then().statusCode(200).header("Access-Control-Allow-Origin", equalTo(null));
    }
}
