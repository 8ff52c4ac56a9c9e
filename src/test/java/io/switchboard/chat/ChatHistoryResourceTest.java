package io.switchboard.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /api/workflows/{id}/messages} returns the same history as the hub's GetHistory. */
@QuarkusTest
class ChatHistoryResourceTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void historyOverRestMatchesWhatWasSent() {
        String workflow = "wf-" + UUID.randomUUID();
        String token = TestTokens.user("historian", "tenant-h");
        String first;
        try (HubClient client = HubClient.connect(base, ChatHub.PATH, token)) {
            client.invoke(Map.class, "JoinWorkflow", workflow);
            first = (String) client.invoke(Map.class, "SendMessage", "first").get("messageId");
            client.invoke(Map.class, "SendMessage", "second");
            client.invoke(Map.class, "SendMessage", "third");
        }
        given().auth().oauth2(token).get("/api/workflows/{id}/messages", workflow)
                .then().statusCode(200)
                .body("content", contains("first", "second", "third"))
                .body("[0].messageId", equalTo(first))
                .body("[0].workflowId", equalTo(workflow))
                .body("[0].userId", equalTo("historian"))
                .body("[0].displayName", equalTo("User historian"));
        given().auth().oauth2(token).queryParam("after", first).queryParam("limit", 1)
                .get("/api/workflows/{id}/messages", workflow)
                .then().statusCode(200).body("content", contains("second"));
        given().auth().oauth2(token).queryParam("limit", 2)
                .get("/api/workflows/{id}/messages", workflow)
                .then().statusCode(200).body("content", contains("second", "third"));
        given().auth().oauth2(TestTokens.user("historian", "another-tenant"))
                .get("/api/workflows/{id}/messages", workflow)
                .then().statusCode(200).body("$", empty());
    }

    @Test
    void badRequestsAreProblemDocuments() {
        String token = TestTokens.user("historian", "tenant-h");
        given().auth().oauth2(token).queryParam("limit", 0).get("/api/workflows/wf/messages")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("title", equalTo("Bad Request"));
        given().auth().oauth2(token).queryParam("limit", "ten").get("/api/workflows/wf/messages")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).queryParam("after", "not-an-id").get("/api/workflows/wf/messages")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).queryParam("after", UUID.randomUUID()).get("/api/workflows/wf/messages")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("Message not found"));
        given().get("/api/workflows/wf/messages")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }
}
