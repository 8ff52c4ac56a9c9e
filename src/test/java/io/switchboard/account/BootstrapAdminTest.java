package io.switchboard.account;

import static io.restassured.RestAssured.given;
import static io.switchboard.account.Accounts.PASSWORD;
import static io.switchboard.account.Accounts.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.identity.Roles;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The first admin comes from configuration at start (the test profile sets {@code test-admin}); every
 * replica tries to create it, possibly at once, and exactly one account results. (Three replicas
 * starting together: MultiReplicaIT.)
 */
@QuarkusTest
class BootstrapAdminTest {

    @Inject
    BootstrapAdmin bootstrapAdmin;

    @Inject
    AccountService accounts;

    @Test
    void startingAgainLeavesTheBootstrapAdminAsItWas() {
        String before = given().auth().oauth2(admin("bootstrap-tenant")).get("/api/users").then().statusCode(200)
                .extract().asString();

        bootstrapAdmin.onStart(null);

        given().auth().oauth2(admin("bootstrap-tenant")).get("/api/users").then().statusCode(200)
                .body(equalTo(before));
    }

    @Test
    void replicasCreatingTheSameAdminAtOnceMakeOneAccount() throws Exception {
        String tenant = "tenant-" + UUID.randomUUID();
        String username = Accounts.username("first-admin");
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // The same username in any case is the same account.
                String spelled = i % 2 == 0 ? username : username.toUpperCase();
                starts.add(() -> accounts.createIfAbsent(tenant, spelled, PASSWORD, Set.of(Roles.ADMIN)));
            }
            int created = 0;
            for (Future<Boolean> start : replicas.invokeAll(starts)) {
                created += start.get() ? 1 : 0;
            }
            assertEquals(1, created, "exactly one start created it");
        } finally {
            replicas.shutdownNow();
        }
        given().auth().oauth2(admin(tenant)).get("/api/users").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].roles", equalTo(List.of("admin")));
        Accounts.login(username, PASSWORD).statusCode(200);
    }
}
