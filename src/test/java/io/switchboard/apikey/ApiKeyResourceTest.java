package io.switchboard.apikey;

import static io.restassured.RestAssured.given;
import static io.switchboard.apikey.ApiKeyTestSupport.KeyTransport.BEARER_HEADER;
import static io.switchboard.apikey.ApiKeyTestSupport.admin;
import static io.switchboard.apikey.ApiKeyTestSupport.create;
import static io.switchboard.apikey.ApiKeyTestSupport.createKey;
import static io.switchboard.apikey.ApiKeyTestSupport.negotiateStatus;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /api/api-keys}: admins of a tenant create, list and revoke its keys (docs/api.md §5 "REST"). */
@QuarkusTest
class ApiKeyResourceTest {

    private static final Set<String> VIEW_FIELDS = Set.of("id", "name", "prefix", "createdAt", "expiresAt", "revokedAt");

    @Inject
    RecordedRevocations revocations;

    @Test
    void anAdminCreatesAKeyAndSeesItOnlyOnce() {
        String tenant = "tenant-" + UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        ValidatableResponse created = create(admin(tenant), "deploy bot", expiresAt)
                .statusCode(201)
                .contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .body("name", equalTo("deploy bot"))
                .body("key", startsWith("sb_"))
                .body("expiresAt", equalTo(expiresAt.toString()));
        Map<String, Object> body = created.extract().jsonPath().getMap("$");
        String id = (String) body.get("id");
        String key = (String) body.get("key");
        String prefix = (String) body.get("prefix");
        assertEquals(Set.of("id", "name", "key", "prefix", "createdAt", "expiresAt"), body.keySet());
        assertEquals(id, UUID.fromString(id).toString(), "ids are lowercase GUIDs");
        assertTrue(prefix.startsWith("sb_") && prefix.length() > 3 && key.startsWith(prefix), prefix);
        assertTrue(prefix.length() < key.length() / 2, "the prefix gives away only a small part of the key");
        Instant createdAt = Instant.parse((String) body.get("createdAt"));
        assertTrue(!createdAt.isBefore(before) && !createdAt.isAfter(Instant.now()), createdAt.toString());
        created.header("Location", endsWith("/api/api-keys/" + id));

        List<Map<String, Object>> listed = given().auth().oauth2(admin(tenant)).get("/api/api-keys")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath().getList("$");
        assertEquals(1, listed.size());
        assertEquals(VIEW_FIELDS, listed.get(0).keySet(), "neither the key nor its hash is listed");
        assertEquals(Map.of("id", id, "name", "deploy bot", "prefix", prefix, "createdAt", createdAt.toString(),
                "expiresAt", expiresAt.toString()), withoutNulls(listed.get(0)));
        assertTrue(listed.get(0).containsKey("revokedAt") && listed.get(0).get("revokedAt") == null);

        String location = created.extract().header("Location");
        Map<String, Object> single = given().auth().oauth2(admin(tenant)).get(location)
                .then().statusCode(200).extract().jsonPath().getMap("$");
        assertEquals(listed.get(0), single);
    }

    @Test
    void aKeyWithoutExpiryNeverExpiresAndNamesAreTrimmed() {
        String tenant = "tenant-" + UUID.randomUUID();
        create(admin(tenant), "  nightly agent  ", null).statusCode(201)
                .body("name", equalTo("nightly agent"))
                .body("expiresAt", nullValue());
    }

    @Test
    void keysAreListedNewestFirst() {
        String tenant = "tenant-" + UUID.randomUUID();
        String first = (String) createKey(tenant, "first").get("id");
        String second = (String) createKey(tenant, "second").get("id");
        given().auth().oauth2(admin(tenant)).get("/api/api-keys")
                .then().statusCode(200).body("id", equalTo(List.of(second, first)));
    }

    @Test
    void anotherTenantsAdminNeitherSeesNorRevokesTheKey() {
        String tenant = "tenant-" + UUID.randomUUID();
        Map<String, Object> key = createKey(tenant, "ours");
        String id = (String) key.get("id");
        String stranger = admin("other-" + tenant);
        // Same user id, other tenant: only the tenant decides.
        String sameNameOtherTenant = TestTokens.token("admin-of-" + tenant, "other-" + tenant, Set.of("admin"));

        given().auth().oauth2(stranger).get("/api/api-keys")
                .then().statusCode(200).body("id", not(hasItem(id)));
        given().auth().oauth2(sameNameOtherTenant).get("/api/api-keys")
                .then().statusCode(200).body("id", not(hasItem(id)));
        expectNotFound(given().auth().oauth2(stranger).get("/api/api-keys/{id}", id).then());
        expectNotFound(given().auth().oauth2(stranger).delete("/api/api-keys/{id}", id).then());
        expectNotFound(given().auth().oauth2(sameNameOtherTenant).delete("/api/api-keys/{id}", id).then());

        given().auth().oauth2(admin(tenant)).get("/api/api-keys/{id}", id)
                .then().statusCode(200).body("revokedAt", nullValue());
        assertEquals(403, negotiateStatus(BEARER_HEADER, (String) key.get("key")), "the key still authenticates");
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() {
        String admin = admin("tenant-" + UUID.randomUUID());
        expectNotFound(given().auth().oauth2(admin).delete("/api/api-keys/{id}", UUID.randomUUID()).then());
        expectNotFound(given().auth().oauth2(admin).delete("/api/api-keys/not-a-uuid").then());
        expectNotFound(given().auth().oauth2(admin).get("/api/api-keys/{id}", UUID.randomUUID()).then());
        expectNotFound(given().auth().oauth2(admin).get("/api/api-keys/not-a-uuid").then());
    }

    @Test
    void revokingMarksTheKeyAndAnnouncesItAfterCommit() {
        String tenant = "tenant-" + UUID.randomUUID();
        String id = (String) createKey(tenant, "to revoke").get("id");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        given().auth().oauth2(admin(tenant)).delete("/api/api-keys/{id}", id).then().statusCode(204);

        String revokedAt = given().auth().oauth2(admin(tenant)).get("/api/api-keys")
                .then().statusCode(200).body("[0].id", equalTo(id)).body("[0].revokedAt", notNullValue())
                .extract().path("[0].revokedAt");
        assertTrue(!Instant.parse(revokedAt).isBefore(before), revokedAt);
        assertEquals(List.of(new ApiKeyRevoked(id, tenant)), revocationsOf(id));
    }

    @Test
    void revokingTwiceIsHarmlessAndKeepsTheFirstRevocationTime() {
        String tenant = "tenant-" + UUID.randomUUID();
        String id = (String) createKey(tenant, "revoked twice").get("id");
        given().auth().oauth2(admin(tenant)).delete("/api/api-keys/{id}", id).then().statusCode(204);
        String first = given().auth().oauth2(admin(tenant)).get("/api/api-keys/{id}", id).then().extract().path("revokedAt");

        given().auth().oauth2(admin(tenant)).delete("/api/api-keys/{id}", id).then().statusCode(204);

        given().auth().oauth2(admin(tenant)).get("/api/api-keys/{id}", id)
                .then().statusCode(200).body("revokedAt", equalTo(first));
        assertEquals(2, revocationsOf(id).size(), "every DELETE sweeps the key's connections again");
    }

    @Test
    void onlyAdminsManageKeys() {
        String tenant = "tenant-" + UUID.randomUUID();
        String user = TestTokens.user("plain", tenant);
        String approver = TestTokens.token("approver", tenant, Set.of("approver"));
        String agentKey = (String) createKey(tenant, "agent").get("key");

        for (ValidatableResponse response : List.of(
                given().auth().oauth2(user).get("/api/api-keys").then(),
                given().auth().oauth2(approver).get("/api/api-keys").then(),
                given().auth().oauth2(user).contentType(ContentType.JSON).body(Map.of("name", "x"))
                        .post("/api/api-keys").then(),
                given().auth().oauth2(user).delete("/api/api-keys/{id}", UUID.randomUUID()).then(),
                given().header("X-Api-Key", agentKey).get("/api/api-keys").then(),
                given().auth().oauth2(agentKey).contentType(ContentType.JSON).body(Map.of("name", "x"))
                        .post("/api/api-keys").then())) {
            expectProblem(response, 403);
        }
        given().auth().oauth2(admin(tenant)).get("/api/api-keys").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void withoutACredentialTheAnswerIs401WithAChallenge() {
        for (ValidatableResponse response : List.of(
                given().get("/api/api-keys").then(),
                given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/api-keys").then(),
                given().delete("/api/api-keys/{id}", UUID.randomUUID()).then())) {
            expectProblem(response, 401).header("WWW-Authenticate", "Bearer");
        }
    }

    @Test
    void invalidBodiesAreProblemDocuments() {
        String admin = admin("tenant-" + UUID.randomUUID());
        expectProblem(create(admin, "", null), 400).body("detail", equalTo("name must not be blank"));
        expectProblem(create(admin, "   ", null), 400).body("detail", equalTo("name must not be blank"));
        expectProblem(create(admin, "n".repeat(201), null), 400).body("detail", startsWith("name size must be"));
        expectProblem(create(admin, "expired", Instant.now().minusSeconds(60)), 400)
                .body("detail", startsWith("expiresAt must be"));
        for (String body : List.of("{\"name\":", "{\"name\":\"x\",\"expiresAt\":\"next tuesday\"}", "[]", "")) {
            expectProblem(given().auth().oauth2(admin).contentType(ContentType.JSON).body(body)
                    .post("/api/api-keys").then(), 400);
        }
        create(admin, "n".repeat(200), null).statusCode(201);
        given().auth().oauth2(admin).get("/api/api-keys").then().statusCode(200).body("size()", equalTo(1));
    }

    private List<ApiKeyRevoked> revocationsOf(String id) {
        return revocations.committed().stream().filter(event -> event.keyId().equals(id)).toList();
    }

    private static void expectNotFound(ValidatableResponse response) {
        expectProblem(response, 404).body("detail", equalTo("API key not found"));
    }

    private static ValidatableResponse expectProblem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("status", equalTo(status))
                .body("detail", notNullValue());
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> copy = new java.util.HashMap<>(map);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }
}
