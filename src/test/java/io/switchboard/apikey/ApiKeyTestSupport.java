package io.switchboard.apikey;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.switchboard.testing.TestTokens;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Admin calls and the three ways an agent sends its key, shared by the API-key tests. */
final class ApiKeyTestSupport {

    /** How a client may send its key (docs/api.md §2 "Identity"). */
    enum KeyTransport {
        BEARER_HEADER, X_API_KEY_HEADER, ACCESS_TOKEN_QUERY;

        RequestSpecification send(String key) {
            return switch (this) {
                case BEARER_HEADER -> given().header("Authorization", "Bearer " + key);
                case X_API_KEY_HEADER -> given().header("X-Api-Key", key);
                case ACCESS_TOKEN_QUERY -> given().queryParam("access_token", key);
            };
        }
    }

    private ApiKeyTestSupport() {
    }

    static String admin(String tenantId) {
        return TestTokens.token("admin-of-" + tenantId, tenantId, Set.of("admin"));
    }

    static ValidatableResponse create(String adminToken, String name, Instant expiresAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(body)
                .post("/api/api-keys").then();
    }

    /** Creates a key that never expires and returns the whole creation answer. */
    static Map<String, Object> createKey(String tenantId, String name) {
        return create(admin(tenantId), name, null).statusCode(201).extract().jsonPath().getMap("$");
    }

    /**
     * The status of a negotiate on ChatHub with this key: 403 shows the key authenticated (an agent
     * is not a chat user), 401 that it did not.
     */
    static int negotiateStatus(KeyTransport transport, String key) {
        return transport.send(key).post("/hubs/chat/negotiate?negotiateVersion=1").then().extract().statusCode();
    }
}
