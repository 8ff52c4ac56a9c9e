package io.switchboard.account;

import static io.restassured.RestAssured.given;
import static io.switchboard.account.Accounts.PASSWORD;
import static io.switchboard.account.Accounts.admin;
import static io.switchboard.account.Accounts.create;
import static io.switchboard.account.Accounts.createAccount;
import static io.switchboard.account.Accounts.username;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /api/users}: admins manage the accounts of their own tenant (docs/api.md §2 "Identity"). */
@QuarkusTest
class UserResourceTest {

    @Inject
    AgroalDataSource dataSource;

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }

    @Test
    void anAdminCreatesAnAccountInItsTenantAndFindsItListed() {
        String tenant = tenant();
        String username = username("alice");
        Instant before = Instant.now().minusSeconds(1);

        ExtractableResponse<Response> created = create(admin(tenant), username, PASSWORD, "Alice Liddell",
                List.of("approver")).statusCode(201).contentType("application/json").extract();

        String id = created.path("id");
        assertEquals(id, UUID.fromString(id).toString(), "a lowercase GUID");
        assertTrue(created.header("Location").endsWith("/api/users/" + id), created.header("Location"));
        assertEquals(Map.of("id", id, "username", username, "displayName", "Alice Liddell", "tenantId", tenant,
                "roles", List.of("approver"), "createdAt", created.path("createdAt")), created.jsonPath().getMap("$"));
        assertTrue(Instant.parse(created.path("createdAt")).isAfter(before));

        given().auth().oauth2(admin(tenant)).get("/api/users").then().statusCode(200)
                .body("id", equalTo(List.of(id)))
                .body("[0].username", equalTo(username))
                .body("[0].displayName", equalTo("Alice Liddell"))
                .body("[0]", not(hasKey("password")))
                .body("[0]", not(hasKey("passwordHash")));
        given().auth().oauth2(admin(tenant)).get(created.header("Location")).then().statusCode(200)
                .body("username", equalTo(username));
    }

    @Test
    void theDisplayNameDefaultsToTheUsernameAndRolesToNone() {
        String username = username("bob");
        create(admin(tenant()), username, PASSWORD, null, null).statusCode(201)
                .body("displayName", equalTo(username))
                .body("roles", equalTo(List.of()));
    }

    @Test
    void theDatabaseHoldsOnlyABcryptHashOfThePassword() throws Exception {
        String password = "s3cret-" + UUID.randomUUID();
        String id = create(admin(tenant()), username("hash"), password, null, null).statusCode(201).extract().path("id");

        String stored;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT * FROM account WHERE id = ?")) {
            query.setObject(1, UUID.fromString(id));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                stored = row.getString("password_hash");
                for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                    String value = row.getString(i);
                    assertFalse(value != null && value.contains(password), "the password is stored in "
                            + row.getMetaData().getColumnName(i));
                }
            }
        }
        assertTrue(stored.matches("\\$2[aby]\\$10\\$[./A-Za-z0-9]{53}"), "a bcrypt hash of cost 10: " + stored);
        String other = create(admin(tenant()), username("hash"), password, null, null).statusCode(201).extract().path("id");
        assertFalse(stored.equals(hashOf(other)), "each password has its own salt");
    }

    @Test
    void usernamesAreUniqueAcrossTenantsWhateverTheirCase() {
        String username = username("Carol");
        create(admin(tenant()), username, PASSWORD, null, null).statusCode(201);

        create(admin(tenant()), username.toLowerCase(), PASSWORD, null, null).statusCode(409)
                .contentType("application/problem+json").body("status", equalTo(409));
        create(admin(tenant()), username.toUpperCase(), PASSWORD, null, null).statusCode(409);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "username too short      | ab                  | correct horse | username",
            "username too long       | LONG                | correct horse | username",
            "username with a space   | carol smith         | correct horse | username",
            "username with a slash   | carol/smith         | correct horse | username",
            "password too short      | dave-ok             | 1234567       | password",
            "password too long       | dave-ok             | LONG          | password"})
    void aFieldBreakingARuleIs400NamingIt(String rule, String username, String password, String field) {
        String actualPassword = password.equals("LONG") ? "p".repeat(129) : password;
        String actualUsername = switch (username) {
            case "dave-ok" -> username("dave");
            case "LONG" -> "u".repeat(65);
            default -> username;
        };
        create(admin(tenant()), actualUsername, actualPassword, null, null).statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString(field));
    }

    @Test
    void aPasswordIsCountedInCharactersSo128EmojisFit() {
        String emojis = "\uD83D\uDD11".repeat(128);
        String username = username("emoji");
        create(admin(tenant()), username, emojis, null, null).statusCode(201);
        Accounts.login(username, emojis).statusCode(200);
    }

    @Test
    void onlyAdminAndApproverCanBeGranted() {
        create(admin(tenant()), username("eve"), PASSWORD, null, List.of("agent")).statusCode(400)
                .body("detail", containsString("roles"));
        create(admin(tenant()), username("eve"), PASSWORD, null, List.of("superuser")).statusCode(400);
        create(admin(tenant()), username("eve"), PASSWORD, null, List.of("admin", "approver")).statusCode(201)
                .body("roles", equalTo(List.of("admin", "approver")));
    }

    @Test
    void onlyAnAdminManagesAccounts() {
        String tenant = tenant();
        String id = createAccount(tenant, username("frank"), null, null);
        String approver = TestTokens.token("approver", tenant, Set.of("approver"));
        String user = TestTokens.user("user", tenant);

        for (String token : List.of(approver, user)) {
            create(token, username("x"), PASSWORD, null, null).statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).get("/api/users").then().statusCode(403);
            given().auth().oauth2(token).delete("/api/users/{id}", id).then().statusCode(403);
        }
        given().get("/api/users").then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("username", username("x"), "password", PASSWORD))
                .post("/api/users").then().statusCode(401);
    }

    @Test
    void anotherTenantsAccountIsNotFound() {
        String tenant = tenant();
        String id = createAccount(tenant, username("gina"), null, null);
        String stranger = admin(tenant());

        given().auth().oauth2(stranger).get("/api/users").then().statusCode(200).body("id", not(hasItem(id)));
        given().auth().oauth2(stranger).get("/api/users/{id}", id).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(stranger).delete("/api/users/{id}", id).then().statusCode(404);
        given().auth().oauth2(admin(tenant)).get("/api/users/{id}", id).then().statusCode(200);
        given().auth().oauth2(admin(tenant)).get("/api/users/{id}", "not-an-id").then().statusCode(404);
    }

    @Test
    void aDeletedAccountIsGoneAndItsUsernameFreeAgain() {
        String tenant = tenant();
        String username = username("hal");
        String id = createAccount(tenant, username, null, null);

        given().auth().oauth2(admin(tenant)).delete("/api/users/{id}", id).then().statusCode(204);

        given().auth().oauth2(admin(tenant)).get("/api/users/{id}", id).then().statusCode(404);
        given().auth().oauth2(admin(tenant)).delete("/api/users/{id}", id).then().statusCode(404);
        Accounts.login(username, PASSWORD).statusCode(401);
        create(admin(tenant), username, PASSWORD, null, null).statusCode(201);
    }

    @Test
    void theOpenApiDocumentDescribesTheAccountEndpoints() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/users'.post.responses.'201'.headers.Location", notNullValue())
                .body("paths.'/api/users'.post.responses.'409'", notNullValue())
                .body("paths.'/api/users/{id}'.delete.responses.'204'", notNullValue())
                .body("paths.'/api/auth/login'.post.responses.'429'.headers.'Retry-After'",
                        notNullValue());
    }

    private String hashOf(String id) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT password_hash FROM account WHERE id = ?")) {
            query.setObject(1, UUID.fromString(id));
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getString(1);
            }
        }
    }
}
