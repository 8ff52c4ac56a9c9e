package io.switchboard.account;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Account and sign-in calls shared by the account tests, made the way a client makes them. */
public final class Accounts {

    public static final String PASSWORD = "correct horse battery";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Accounts() {
    }

    /** A fresh username; unique, since usernames are unique across the whole service. */
    public static String username(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A JWT of an outside identity provider for an admin of {@code tenant}. */
    public static String admin(String tenant) {
        return TestTokens.token("admin-" + UUID.randomUUID(), tenant, Set.of("admin"));
    }

    public static ValidatableResponse create(String adminToken, String username, String password, String displayName,
                                             List<String> roles) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", password);
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        if (roles != null) {
            body.put("roles", roles);
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(body).post("/api/users").then();
    }

    /** Creates an account with {@link #PASSWORD} and returns its id. */
    public static String createAccount(String tenant, String username, String displayName, List<String> roles) {
        return create(admin(tenant), username, PASSWORD, displayName, roles).statusCode(201).extract().path("id");
    }

    public static ValidatableResponse login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/auth/login").then();
    }

    /** Signs in with {@link #PASSWORD} and returns the access token. */
    public static String signIn(String username) {
        return login(username, PASSWORD).statusCode(200).extract().path("accessToken");
    }

    /** The claims of a JWT, read without checking anything (the server does that). */
    public static JsonNode claims(String jwt) {
        return part(jwt, 1);
    }

    public static JsonNode header(String jwt) {
        return part(jwt, 0);
    }

    private static JsonNode part(String jwt, int index) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
