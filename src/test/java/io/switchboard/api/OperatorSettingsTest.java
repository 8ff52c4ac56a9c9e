package io.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Settings an operator turns, as in production: the Swagger UI, off by default, is served once
 * {@code QUARKUS_SWAGGER_UI_ENABLED=true} (a run-time setting of every build); the development token
 * issuer, off by default, answers {@code 404}.
 */
@QuarkusTest
@TestProfile(OperatorSettingsTest.SwaggerUiOnTokenIssuerOff.class)
class OperatorSettingsTest {

    public static final class SwaggerUiOnTokenIssuerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.swagger-ui.enabled", "true", "switchboard.auth.token-issuer.enabled", "false");
        }
    }

    @Test
    void theSwaggerUiIsServedOnceEnabled() {
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(ContentType.HTML)
                .body(containsString("swagger"));
    }

    @Test
    void theTokenIssuerIsOffUnlessEnabled() {
        given().contentType(ContentType.JSON).body(Map.of("userId", "anyone", "tenantId", "any"))
                .post("/api/auth/token")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("The built-in token issuer is off (switchboard.auth.token-issuer.enabled,"
                        + " never in prod): get a token from POST /api/auth/login or your identity provider."));
    }
}
