package io.switchboard.account;

import static io.restassured.RestAssured.given;
import static io.switchboard.account.Accounts.admin;
import static io.switchboard.account.Accounts.createAccount;
import static io.switchboard.account.Accounts.signIn;
import static io.switchboard.account.Accounts.username;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.signalr.TransportEnum;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.chat.ChatHub;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.MutedLogger;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deleting an account (docs/api.md §2 "Identity") closes its open connections and its tokens are refused on REST,
 * negotiate and upgrade; on the replica that deleted it, at once. (Across replicas: MultiReplicaIT.)
 */
@QuarkusTest
class AccountDeletionTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void deletingAnAccountClosesItsConnectionsAndRefusesItsTokens() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID();
        String doomed = username("doomed");
        String stays = username("stays");
        String id = createAccount(tenant, doomed, null, List.of("approver"));
        createAccount(tenant, stays, null, null);
        String token = signIn(doomed);
        String otherToken = signIn(stays);

        // The Java client logs the close it is about to get, and its Long Polling the 401 that follows,
        // at ERROR: expected here, so muted.
        try (MutedLogger muted = MutedLogger.mute(MutedLogger.JAVA_CLIENT);
             MutedLogger polling = MutedLogger.mute(MutedLogger.JAVA_CLIENT_LONG_POLLING);
             HubClient webSockets = HubClient.connect(base, ChatHub.PATH, token);
             HubClient longPolling = HubClient.connect(base, ChatHub.PATH, token, TransportEnum.LONG_POLLING);
             HubClient bystander = HubClient.connect(base, ChatHub.PATH, otherToken)) {
            CountDownLatch closed = new CountDownLatch(2);
            webSockets.connection().onClosed(error -> closed.countDown());
            longPolling.connection().onClosed(error -> closed.countDown());
            CountDownLatch bystanderClosed = new CountDownLatch(1);
            bystander.connection().onClosed(error -> bystanderClosed.countDown());

            given().auth().oauth2(admin(tenant)).delete("/api/users/{id}", id).then().statusCode(204);

            assertTrue(closed.await(5, TimeUnit.SECONDS), "both connections closed");
            assertFalse(bystanderClosed.await(300, TimeUnit.MILLISECONDS), "another account keeps its connection");
        }

        given().auth().oauth2(token).get("/api/pending-changes").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(token).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(401);
        given().queryParam("access_token", token).post("/hubs/chat/negotiate?negotiateVersion=1").then().statusCode(401);
        assertEquals(401, upgradeStatus("/hubs/chat?access_token=" + token));
        given().auth().oauth2(otherToken).get("/api/pending-changes").then().statusCode(200);
    }

    @Test
    void aTokenWhoseSubjectIsAGuidButNoDeletedAccountStillWorks() {
        // An outside identity provider may well use GUIDs as subjects.
        String token = TestTokens.user(UUID.randomUUID().toString(), "tenant-" + UUID.randomUUID());
        given().auth().oauth2(token).get("/api/pending-changes").then().statusCode(200);
        given().auth().oauth2(token).get("/api/pending-changes").then().statusCode(200);
    }

    private int upgradeStatus(String pathAndQuery) {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> RawHubSocket.openWithQuery(base, pathAndQuery, null).close());
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        return handshake.getResponse().statusCode();
    }
}
