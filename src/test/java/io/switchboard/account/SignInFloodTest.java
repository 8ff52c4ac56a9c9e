package io.switchboard.account;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Sign-in floods cost nobody else (issue 18): the password checks in progress are bounded and the rest
 * refused at once, failures are counted per client address as well as per username (here behind a
 * trusted proxy, so each test signs in from addresses of its own), and an unknown username takes the
 * time of a check without its work.
 */
@QuarkusTest
@TestProfile(SignInFloodTest.Flooded.class)
class SignInFloodTest {

    static final int FAILURES_PER_ADDRESS = 8;
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(1);

    public static class Flooded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.accounts.concurrent-password-checks", "1",
                    "switchboard.accounts.sign-in-failures-per-address", String.valueOf(FAILURES_PER_ADDRESS),
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1,::1");
        }
    }

    @Inject
    PasswordHasher hasher;

    /** A documentation address (RFC 5737) no other test signs in from. */
    private static String freshAddress() {
        int n = NEXT_ADDRESS.getAndIncrement();
        return "198.51." + (100 + n / 250) + "." + (1 + n % 250);
    }

    private static Response login(String from, String username, String password) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/api/auth/login");
    }

    @Test
    void aNewUsernameEachTimeIsThrottledByTheAddress() {
        String tenant = "flood-" + UUID.randomUUID().toString().substring(0, 8);
        String username = Accounts.username("victim");
        Accounts.createAccount(tenant, username, "Victim", List.of());
        String attacker = freshAddress();
        for (int i = 0; i < FAILURES_PER_ADDRESS; i++) {
            assertEquals(401, login(attacker, Accounts.username("guess"), "wrong").statusCode(), "failure " + i);
        }
        Response throttled = login(attacker, username, Accounts.PASSWORD);
        assertEquals(429, throttled.statusCode(), "even the right password, from the flooding address");
        assertTrue(throttled.jsonPath().getString("detail").startsWith("Too many failed sign-ins from this address"),
                throttled.asString());
        long retryAfter = Long.parseLong(throttled.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 300, "Retry-After " + retryAfter);
        // Everyone else signs in as before, the victim included.
        assertEquals(200, login(freshAddress(), username, Accounts.PASSWORD).statusCode());
    }

    @Test
    void signInsBeyondTheFreeCheckSlotsAreRefusedAtOnce() throws Exception {
        int attempts = 12;
        ExecutorService clients = Executors.newFixedThreadPool(attempts);
        try {
            List<CompletableFuture<long[]>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String from = freshAddress();
                answers.add(CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    Response answer = login(from, Accounts.username("nobody"), "wrong");
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (answer.statusCode() == 429) {
                        assertEquals("1", answer.header("Retry-After"));
                        assertTrue(answer.jsonPath().getString("detail").startsWith("Too many sign-ins are being checked"),
                                answer.asString());
                    }
                    return new long[] {answer.statusCode(), millis};
                }, clients));
            }
            int refused = 0;
            int checked = 0;
            for (CompletableFuture<long[]> answer : answers) {
                long[] statusAndMillis = answer.get();
                if (statusAndMillis[0] == 429) {
                    refused++;
                } else {
                    assertEquals(401, statusAndMillis[0]);
                    checked++;
                }
            }
            assertTrue(refused > 0, "with one check slot, 12 at once were all checked (queued) instead of refused");
            assertTrue(checked > 0, "none was checked");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anUnknownUsernameTakesTheTimeOfACheckWithoutItsWork() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String hash = hasher.hash("the real password");
        long realWall = 0;
        long realCpu = 0;
        long imitatedWall = 0;
        long imitatedCpu = 0;
        for (int i = 0; i < 5; i++) {
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            hasher.matches("a wrong password", hash);
            realCpu += threads.getCurrentThreadCpuTime() - cpu;
            realWall += System.nanoTime() - wall;

            wall = System.nanoTime();
            cpu = threads.getCurrentThreadCpuTime();
            hasher.matchesNothing("a wrong password");
            imitatedCpu += threads.getCurrentThreadCpuTime() - cpu;
            imitatedWall += System.nanoTime() - wall;
        }
        assertTrue(imitatedCpu * 10 < realCpu, "an imitated check used " + imitatedCpu / 1_000_000
                + " ms of CPU, a real one " + realCpu / 1_000_000);
        assertTrue(imitatedWall * 2 > realWall, "an imitated check took " + imitatedWall / 1_000_000
                + " ms, a real one " + realWall / 1_000_000);
    }
}
