package io.switchboard.pendingchange;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The REST contract of pending changes (docs/api.md §5 "REST"): every status code and payload field. */
@QuarkusTest
class PendingChangeResourceTest {

    private static String tenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anAgentProposesAChangeAndGetsItBackWithALocation() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        Response created = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "update_invoice", "diff", PendingChanges.DIFF))
                .post("/api/pending-changes")
                .then().statusCode(201)
                .body("status", equalTo("Pending"))
                .body("toolName", equalTo("update_invoice"))
                .body("diff.operation", equalTo("UPDATE"))
                .body("diff.entityType", equalTo("Invoice"))
                .body("diff.entityId", equalTo("inv-42"))
                .body("diff.before.amount", equalTo(100))
                .body("diff.after.note", equalTo("rounded"))
                .body("decidedAt", nullValue()).body("decidedBy", nullValue())
                .body("reason", nullValue()).body("executionResult", nullValue())
                .extract().response();
        String id = created.path("id");
        assertEquals(id, UUID.fromString(id).toString());
        assertTrue(created.header("Location").endsWith("/api/pending-changes/" + id));
        Instant createdAt = Instant.parse(created.path("createdAt"));
        Instant expiresAt = Instant.parse(created.path("expiresAt"));
        assertEquals(Duration.ofHours(24), Duration.between(createdAt, expiresAt), "default expiry");

        given().header("X-Api-Key", key).get("/api/pending-changes/{id}", id)
                .then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("Pending"));
        given().auth().oauth2(TestTokens.user("someone", tenant)).get("/api/pending-changes/{id}", id)
                .then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void everyChangeSaysWhichApiKeyProposedIt() {
        String tenant = tenant();
        String approver = TestAgents.approver(tenant);
        Map<String, Object> key = given().auth().oauth2(TestAgents.admin(tenant)).contentType(ContentType.JSON)
                .body(Map.of("name", "invoice bot ✓")).post("/api/api-keys")
                .then().statusCode(201).extract().as(Map.class);
        String id = given().header("X-Api-Key", (String) key.get("key")).contentType(ContentType.JSON)
                .body(Map.of("toolName", "update_invoice", "diff", PendingChanges.DIFF))
                .post("/api/pending-changes")
                .then().statusCode(201)
                .body("proposedBy.apiKeyId", equalTo(key.get("id")))
                .body("proposedBy.name", equalTo("invoice bot ✓"))
                .extract().path("id");
        given().auth().oauth2(approver).get("/api/pending-changes/{id}", id)
                .then().statusCode(200).body("proposedBy.name", equalTo("invoice bot ✓"));
        given().auth().oauth2(approver).get("/api/pending-changes")
                .then().statusCode(200).body("items[0].proposedBy.apiKeyId", equalTo(key.get("id")));
        // The decision's answer (and its push) comes from the UPDATE's returned row: it keeps the proposer.
        PendingChanges.approve(approver, id, null).statusCode(200)
                .body("proposedBy.apiKeyId", equalTo(key.get("id")))
                .body("proposedBy.name", equalTo("invoice bot ✓"));
    }

    @Test
    void expiresInSecondsOverridesTheDefault() {
        String key = TestAgents.apiKey(tenant());
        Response created = given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", Map.of("operation", "DELETE", "entityType", "User"),
                        "expiresInSeconds", 90))
                .post("/api/pending-changes").then().statusCode(201).extract().response();
        assertEquals(Duration.ofSeconds(90), Duration.between(Instant.parse(created.path("createdAt")),
                Instant.parse(created.path("expiresAt"))));
    }

    @Test
    void invalidProposalsAre400ProblemDocuments() {
        String key = TestAgents.apiKey(tenant());
        List<Object> bodies = List.of(
                Map.of("diff", PendingChanges.DIFF),
                Map.of("toolName", "t"),
                Map.of("toolName", " ", "diff", PendingChanges.DIFF),
                Map.of("toolName", "t", "diff", Map.of("operation", "MOVE", "entityType", "X")),
                Map.of("toolName", "t", "diff", Map.of("operation", "CREATE")),
                Map.of("toolName", "t", "diff", PendingChanges.DIFF, "expiresInSeconds", 0),
                "{not json");
        for (Object body : bodies) {
            given().header("X-Api-Key", key).contentType(ContentType.JSON).body(body)
                    .post("/api/pending-changes")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400)).body("title", equalTo("Bad Request"))
                    .body("type", notNullValue()).body("detail", notNullValue());
        }
    }

    @Test
    void credentialsAndRolesAreChecked() {
        String tenant = tenant();
        String id = PendingChanges.propose(TestAgents.apiKey(tenant));
        given().contentType(ContentType.JSON).body(Map.of("toolName", "t", "diff", PendingChanges.DIFF))
                .post("/api/pending-changes")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("X-Api-Key", "sb_not-a-real-key").get("/api/pending-changes/{id}", id).then().statusCode(401);
        // A person cannot propose; an agent or a plain user cannot decide or list.
        given().auth().oauth2(TestTokens.user("u", tenant)).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", PendingChanges.DIFF)).post("/api/pending-changes")
                .then().statusCode(403).contentType("application/problem+json");
        PendingChanges.approve(TestTokens.user("u", tenant), id, null).statusCode(403);
        given().header("X-Api-Key", TestAgents.apiKey(tenant)).contentType(ContentType.JSON).body(Map.of())
                .post("/api/pending-changes/{id}/approve", id).then().statusCode(403);
        given().header("X-Api-Key", TestAgents.apiKey(tenant)).get("/api/pending-changes").then().statusCode(403);
    }

    @Test
    void anotherTenantsChangeIsNotFoundLikeAMissingOne() {
        String id = PendingChanges.propose(TestAgents.apiKey(tenant()));
        String stranger = tenant();
        given().header("X-Api-Key", TestAgents.apiKey(stranger)).get("/api/pending-changes/{id}", id)
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("Pending change not found"));
        PendingChanges.approve(TestAgents.approver(stranger), id, null).statusCode(404);
        PendingChanges.reject(TestAgents.approver(stranger), id, "no").statusCode(404);
        PendingChanges.approve(TestAgents.approver(stranger), UUID.randomUUID().toString(), null).statusCode(404);
        given().auth().oauth2(TestTokens.user("u", stranger)).get("/api/pending-changes/not-a-uuid")
                .then().statusCode(404);
    }

    @Test
    void approvalRecordsTheDeciderAndResultAndOnlyHappensOnce() {
        String tenant = tenant();
        String id = PendingChanges.propose(TestAgents.apiKey(tenant));
        String approver = TestTokens.token("carol", tenant, java.util.Set.of("approver"));
        PendingChanges.approve(approver, id, Map.of("rows", 1, "ok", true))
                .statusCode(200)
                .body("status", equalTo("Approved"))
                .body("decidedBy", equalTo("carol"))
                .body("decidedAt", notNullValue())
                .body("executionResult.rows", equalTo(1));
        PendingChanges.approve(approver, id, null).statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("The pending change is Approved, not Pending."));
        PendingChanges.reject(approver, id, "too late").statusCode(409);
    }

    @Test
    void rejectionNeedsAReasonOf1To1000Characters() {
        String tenant = tenant();
        String id = PendingChanges.propose(TestAgents.apiKey(tenant));
        String admin = TestAgents.admin(tenant);
        PendingChanges.reject(admin, id, " ").statusCode(400).contentType("application/problem+json");
        PendingChanges.reject(admin, id, "x".repeat(1001)).statusCode(400);
        // 1,000 characters are 1,000 code points, even outside the Basic Multilingual Plane.
        String thousandEmoji = "\uD83D\uDE00".repeat(1000);
        given().auth().oauth2(admin).contentType(ContentType.JSON).post("/api/pending-changes/{id}/reject", id)
                .then().statusCode(400);
        PendingChanges.reject(admin, id, "  " + thousandEmoji + " ").statusCode(200)
                .body("status", equalTo("Rejected")).body("reason", equalTo(thousandEmoji))
                .body("decidedBy", equalTo("admin-" + tenant));
    }

    @Test
    void theListIsNewestFirstFilteredAndPaged() {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(PendingChanges.propose(key));
        }
        PendingChanges.approve(TestAgents.approver(tenant), ids.get(0), null).statusCode(200);
        String user = TestTokens.user("reader", tenant);
        given().auth().oauth2(user).queryParam("size", 2).get("/api/pending-changes")
                .then().statusCode(200)
                .body("total", equalTo(5)).body("page", equalTo(0)).body("size", equalTo(2))
                .body("items.id", contains(ids.get(4), ids.get(3)));
        given().auth().oauth2(user).queryParam("size", 2).queryParam("page", 2).get("/api/pending-changes")
                .then().statusCode(200).body("items.id", contains(ids.get(0)));
        given().auth().oauth2(user).queryParam("status", "Pending").get("/api/pending-changes")
                .then().statusCode(200).body("total", equalTo(4)).body("items", hasSize(4))
                .body("items.status", everyItem(equalTo("Pending"))).body("size", equalTo(20));
        given().auth().oauth2(user).queryParam("status", "Approved").get("/api/pending-changes")
                .then().statusCode(200).body("items.id", contains(ids.get(0)));
        given().auth().oauth2(user).queryParam("status", "Sideways").get("/api/pending-changes")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(user).queryParam("size", 101).get("/api/pending-changes").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(user).queryParam("size", 0).get("/api/pending-changes").then().statusCode(400);
        given().auth().oauth2(user).queryParam("page", -1).get("/api/pending-changes").then().statusCode(400);
        given().auth().oauth2(user).queryParam("size", "many").get("/api/pending-changes").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(user).queryParam("page", "first").get("/api/pending-changes").then().statusCode(400);
        given().auth().oauth2(TestTokens.user("reader", tenant())).get("/api/pending-changes")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void ofTwoRacingApprovalsExactlyOneWins() throws Exception {
        String tenant = tenant();
        String key = TestAgents.apiKey(tenant);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String id = PendingChanges.propose(key);
                Callable<Integer> approve = () -> PendingChanges.approve(TestAgents.approver(tenant), id, null)
                        .extract().statusCode();
                Future<Integer> first = pool.submit(approve);
                Future<Integer> second = pool.submit(approve);
                List<Integer> statuses = new ArrayList<>(List.of(first.get(), second.get()));
                statuses.sort(Integer::compareTo);
                assertEquals(List.of(200, 409), statuses, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLocationHeaderPointsAtTheChange() {
        String key = TestAgents.apiKey(tenant());
        String location = given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", PendingChanges.DIFF)).post("/api/pending-changes")
                .then().statusCode(201).header("Location", endsWith("")).extract().header("Location");
        given().header("X-Api-Key", key).get(location).then().statusCode(200).body("toolName", equalTo("t"));
    }

    @Test
    void aDiffOverSixtyFourKibibytesIsRefusedNamingDiff() {
        String key = TestAgents.apiKey(tenant());
        String half = "x".repeat(33 * 1024);
        given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", Map.of("operation", "UPDATE", "entityType", "Doc",
                        "before", Map.of("text", half), "after", Map.of("text", half))))
                .post("/api/pending-changes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("diff: "))
                .body("detail", org.hamcrest.Matchers.containsString("at most 65536"));
    }

    @Test
    void aDiffJustUnderTheLimitIsAccepted() {
        String key = TestAgents.apiKey(tenant());
        String half = "x".repeat(30 * 1024);
        given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", Map.of("operation", "UPDATE", "entityType", "Doc",
                        "before", Map.of("text", half), "after", Map.of("text", half))))
                .post("/api/pending-changes")
                .then().statusCode(201);
    }

    @Test
    void aPageFarPastTheEndIsEmptyNotAnError() {
        String tenant = tenant();
        given().auth().oauth2(TestTokens.user("someone", tenant))
                .get("/api/pending-changes?page=2147483647&size=100")
                .then().statusCode(200).body("items.size()", equalTo(0)).body("page", equalTo(2147483647));
    }

    @Test
    void theNulCharacterAnywhereIsA400NamingTheFieldNotA500() {
        String key = TestAgents.apiKey(tenant());
        given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "bad\u0000tool", "diff", Map.of("operation", "CREATE", "entityType", "Doc")))
                .post("/api/pending-changes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("toolName must not contain the NUL character (\\u0000)."));
        given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("toolName", "t", "diff", Map.of("operation", "CREATE", "entityType", "Doc",
                        "after", Map.of("text", "a\u0000b"))))
                .post("/api/pending-changes")
                .then().statusCode(400).body("detail", equalTo("diff must not contain the NUL character (\\u0000)."));
    }
}
