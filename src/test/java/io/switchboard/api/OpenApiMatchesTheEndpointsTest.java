package io.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.switchboard.limits.Capacity;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.testing.EventStream;
import io.switchboard.testing.McpWire;
import io.switchboard.testing.RawHttp;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/openapi} is true to the running service: it documents every endpoint there is (the REST
 * resources and the hubs' negotiate and transports) and nothing else, and every status it documents
 * for an operation is provoked here and answered, with the documented content type and headers. A new
 * endpoint or status fails this test until it is documented and exercised.
 *
 * <p>The other way round too: what the routes in front of every REST resource answer, whichever the
 * resource (503 at capacity, 413 for a body over the limit, 415 for a body that is not JSON), is
 * provoked on every operation they cover, found from the resources themselves, and must be documented
 * there.
 */
@QuarkusTest
class OpenApiMatchesTheEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM = "application/problem+json";
    /** Endpoints that only tests serve (src/test): not part of the service. */
    private static final String TEST_ONLY = "/test/";
    /** Documented statuses that need other settings than this test's, and where they are exercised. */
    private static final Map<String, String> EXERCISED_ELSEWHERE = Map.of(
            "POST /api/auth/token 404", "OperatorSettingsTest: the token issuer is on in the test profile",
            "POST /hubs/{}/negotiate 429", "LoweredLimitsTest: the caps are lowered in its profile",
            "GET /hubs/{} 429", "LoweredLimitsTest: a WebSocket opened without negotiating, past the cap",
            "GET /hubs/{} 503", "DatabaseOutageIT: an API key while PostgreSQL is away",
            "POST /hubs/{} 503", "DatabaseOutageIT: an API key while PostgreSQL is away",
            "DELETE /hubs/{} 503", "DatabaseOutageIT: an API key while PostgreSQL is away");

    @TestHTTPResource("/")
    URI base;

    @Inject
    HubRegistry hubs;

    @Inject
    Capacity capacity;

    /** An answer, whichever client got it; header names in lower case. */
    record Answer(int status, Map<String, String> headers) {

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        static Answer of(io.restassured.response.Response response) {
            Map<String, String> headers = new HashMap<>();
            response.headers().forEach(header -> headers.put(header.getName().toLowerCase(Locale.ROOT), header.getValue()));
            return new Answer(response.statusCode(), headers);
        }

        static Answer of(HttpResponse<?> response) {
            Map<String, String> headers = new HashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            return new Answer(response.statusCode(), headers);
        }

        static Answer of(RawHttp.Answer answer) {
            return new Answer(answer.status(), answer.headers());
        }
    }

    @Test
    void everyEndpointIsDocumentedAndNothingElse() {
        JsonNode document = document();
        Set<String> running = new TreeSet<>();
        restOperations().forEach(operation -> running.add(operation.key()));
        for (HubConnectionHandler handler : hubs.handlers()) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                running.add(method + " " + template(handler.hub().path().replaceAll("/[^/]+$", "/{hub}")));
            }
        }
        for (String method : List.of("GET", "POST", "DELETE")) {
            running.add(method + " /mcp");
        }
        assertEquals(running, documentedOperations(document).keySet());

        Set<String> hubNames = hubs.handlers().stream()
                .map(handler -> handler.hub().path().substring("/hubs/".length())).collect(Collectors.toSet());
        Set<String> documentedHubs = new TreeSet<>();
        document.at("/components/parameters/hub/schema/enum").forEach(name -> documentedHubs.add(name.asText()));
        assertEquals(new TreeSet<>(hubNames), documentedHubs, "the hub parameter lists every hub");
    }

    @Test
    void everyDocumentedStatusIsAnsweredByItsEndpoint() {
        JsonNode document = document();
        Map<String, JsonNode> documented = new TreeMap<>();
        documentedOperations(document).forEach((operation, node) -> node.path("responses").fields()
                .forEachRemaining(response -> documented.put(operation + " " + response.getKey(),
                        resolve(document, response.getValue()))));
        Map<String, Supplier<Answer>> provocations = provocations();

        Set<String> notProvoked = new TreeSet<>(documented.keySet());
        notProvoked.removeAll(EXERCISED_ELSEWHERE.keySet());
        notProvoked.removeAll(provocations.keySet());
        assertTrue(notProvoked.isEmpty(), "documented, but no request here provokes it: " + notProvoked);
        Set<String> elsewhereButUndocumented = new TreeSet<>(EXERCISED_ELSEWHERE.keySet());
        elsewhereButUndocumented.removeAll(documented.keySet());
        assertTrue(elsewhereButUndocumented.isEmpty(),
                "exercised elsewhere, but not documented: " + elsewhereButUndocumented);
        Set<String> undocumented = new TreeSet<>(provocations.keySet());
        undocumented.removeAll(documented.keySet());
        assertTrue(undocumented.isEmpty(), "answered, but not documented: " + undocumented);

        List<String> wrong = new ArrayList<>();
        provocations.forEach((key, provocation) -> {
            int status = Integer.parseInt(key.substring(key.lastIndexOf(' ') + 1));
            Answer answer = provocation.get();
            JsonNode response = documented.get(key);
            if (answer.status() != status) {
                wrong.add(key + ": answered " + answer.status());
                return;
            }
            List<String> contentTypes = new ArrayList<>();
            response.path("content").fieldNames().forEachRemaining(contentTypes::add);
            if (!contentTypes.isEmpty() && contentTypes.stream().noneMatch(answer.contentType()::startsWith)) {
                wrong.add(key + ": content type " + answer.contentType() + ", documented " + contentTypes);
            }
            response.path("headers").fieldNames().forEachRemaining(header -> {
                if (!answer.headers().containsKey(header.toLowerCase(Locale.ROOT))) {
                    wrong.add(key + ": no " + header + " header");
                }
            });
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theApproveBodyIsOptionalAndCreatesAre201WithALocation() {
        JsonNode paths = document().path("paths");
        assertEquals(false, paths.at("/~1api~1pending-changes~1{id}~1approve/post/requestBody/required").asBoolean(true));
        for (String create : List.of("/~1api~1pending-changes/post", "/~1api~1api-keys/post")) {
            JsonNode created = paths.at(create + "/responses/201");
            assertTrue(created.path("headers").has("Location"), create);
            assertTrue(created.at("/content/application~1json/schema/$ref").asText().startsWith("#/components/schemas/"),
                    create);
            assertTrue(paths.at(create + "/responses").has("201") && !paths.at(create + "/responses").has("200"));
        }
        JsonNode schemes = document().at("/components/securitySchemes");
        assertEquals("bearer", schemes.at("/jwt/scheme").asText());
        assertEquals("X-Api-Key", schemes.at("/apiKey/name").asText());
        assertEquals("header", schemes.at("/apiKey/in").asText());
        assertEquals("access_token", schemes.at("/accessToken/name").asText());
        assertEquals("query", schemes.at("/accessToken/in").asText());
    }

    /** The default, as in production: no Swagger UI (OperatorSettingsTest turns it on). */
    @Test
    void theSwaggerUiIsOffByDefault() {
        given().get("/q/swagger-ui/").then().statusCode(404);
    }

    /** Every documented status, provoked: "METHOD /template status" → the request that gets it. */
    private Map<String, Supplier<Answer>> provocations() {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String user = TestTokens.user("openapi-user", tenant);
        String approver = TestAgents.approver(tenant);
        String admin = TestAgents.admin(tenant);
        String key = TestAgents.apiKey(tenant);
        String missing = UUID.randomUUID().toString();
        Map<String, Object> proposal = Map.of("toolName", "update_invoice",
                "diff", Map.of("operation", "UPDATE", "entityType", "Invoice", "entityId", "inv-1"));
        Supplier<String> pending = () -> given().header("X-Api-Key", key).contentType(ContentType.JSON).body(proposal)
                .post("/api/pending-changes").then().statusCode(201).extract().path("id");
        Supplier<String> decided = () -> {
            String id = pending.get();
            given().auth().oauth2(approver).contentType(ContentType.JSON).body("{}")
                    .post("/api/pending-changes/{id}/approve", id).then().statusCode(200);
            return id;
        };
        Supplier<String> apiKeyId = () -> TestAgents.created(tenant).id();

        Map<String, Supplier<Answer>> p = new LinkedHashMap<>();
        // Pending changes
        p.put("POST /api/pending-changes 201", () -> rest(agent(key).body(proposal), "POST", "/api/pending-changes"));
        p.put("POST /api/pending-changes 400", () -> rest(agent(key).body("{}"), "POST", "/api/pending-changes"));
        p.put("POST /api/pending-changes 401", () -> rest(json().body(proposal), "POST", "/api/pending-changes"));
        p.put("POST /api/pending-changes 403", () -> rest(person(user).body(proposal), "POST", "/api/pending-changes"));
        p.put("GET /api/pending-changes 200", () -> rest(person(user), "GET", "/api/pending-changes"));
        p.put("GET /api/pending-changes 400", () -> rest(person(user), "GET", "/api/pending-changes?size=0"));
        p.put("GET /api/pending-changes 401", () -> rest(given(), "GET", "/api/pending-changes"));
        p.put("GET /api/pending-changes 403", () -> rest(agent(key), "GET", "/api/pending-changes"));
        p.put("GET /api/pending-changes/{id} 200", () -> rest(agent(key), "GET", "/api/pending-changes/" + pending.get()));
        p.put("GET /api/pending-changes/{id} 401", () -> rest(given(), "GET", "/api/pending-changes/" + missing));
        p.put("GET /api/pending-changes/{id} 404", () -> rest(person(user), "GET", "/api/pending-changes/" + missing));
        p.put("GET /api/pending-changes/{id} 400", () -> rest(person(user).urlEncodingEnabled(false), "GET",
                "/api/pending-changes/a%00b"));
        for (String decision : List.of("approve", "reject")) {
            String path = "POST /api/pending-changes/{id}/" + decision + " ";
            Supplier<String> url = () -> "/api/pending-changes/" + pending.get() + "/" + decision;
            String body = decision.equals("approve") ? "{\"executionResult\":{\"rows\":1}}" : "{\"reason\":\"no\"}";
            p.put(path + "200", () -> rest(person(approver).body(body), "POST", url.get()));
            p.put(path + "400", () -> rest(person(approver).body("{\"reason\":"), "POST", url.get()));
            p.put(path + "401", () -> rest(json().body(body), "POST", url.get()));
            p.put(path + "403", () -> rest(person(user).body(body), "POST", url.get()));
            p.put(path + "404", () -> rest(person(approver).body(body), "POST",
                    "/api/pending-changes/" + missing + "/" + decision));
            p.put(path + "409", () -> rest(person(approver).body(body), "POST",
                    "/api/pending-changes/" + decided.get() + "/" + decision));
        }
        // API keys
        p.put("POST /api/api-keys 201", () -> rest(person(admin).body(Map.of("name", "bot")), "POST", "/api/api-keys"));
        p.put("POST /api/api-keys 400", () -> rest(person(admin).body(Map.of("name", "")), "POST", "/api/api-keys"));
        p.put("POST /api/api-keys 401", () -> rest(json().body(Map.of("name", "bot")), "POST", "/api/api-keys"));
        p.put("POST /api/api-keys 403", () -> rest(person(approver).body(Map.of("name", "bot")), "POST", "/api/api-keys"));
        p.put("GET /api/api-keys 200", () -> rest(person(admin), "GET", "/api/api-keys"));
        p.put("GET /api/api-keys 401", () -> rest(given(), "GET", "/api/api-keys"));
        p.put("GET /api/api-keys 403", () -> rest(person(user), "GET", "/api/api-keys"));
        p.put("GET /api/api-keys/{id} 200", () -> rest(person(admin), "GET", "/api/api-keys/" + apiKeyId.get()));
        p.put("GET /api/api-keys/{id} 401", () -> rest(given(), "GET", "/api/api-keys/" + missing));
        p.put("GET /api/api-keys/{id} 403", () -> rest(person(user), "GET", "/api/api-keys/" + missing));
        p.put("GET /api/api-keys/{id} 404", () -> rest(person(admin), "GET", "/api/api-keys/" + missing));
        p.put("GET /api/api-keys/{id} 400", () -> rest(person(admin).urlEncodingEnabled(false), "GET",
                "/api/api-keys/a%00b"));
        p.put("DELETE /api/api-keys/{id} 204", () -> rest(person(admin), "DELETE", "/api/api-keys/" + apiKeyId.get()));
        p.put("DELETE /api/api-keys/{id} 401", () -> rest(given(), "DELETE", "/api/api-keys/" + missing));
        p.put("DELETE /api/api-keys/{id} 403", () -> rest(person(user), "DELETE", "/api/api-keys/" + missing));
        p.put("DELETE /api/api-keys/{id} 404", () -> rest(person(admin), "DELETE", "/api/api-keys/" + missing));
        p.put("DELETE /api/api-keys/{id} 400", () -> rest(person(admin).urlEncodingEnabled(false), "DELETE",
                "/api/api-keys/a%00b"));
        // Chat history
        String history = "GET /api/workflows/{workflowId}/messages ";
        p.put(history + "200", () -> rest(person(user), "GET", "/api/workflows/wf/messages"));
        p.put(history + "400", () -> rest(person(user), "GET", "/api/workflows/wf/messages?limit=0"));
        p.put(history + "401", () -> rest(given(), "GET", "/api/workflows/wf/messages"));
        p.put(history + "403", () -> rest(agent(key), "GET", "/api/workflows/wf/messages"));
        p.put(history + "404", () -> rest(person(user), "GET", "/api/workflows/wf/messages?after=" + missing));
        // Built-in accounts
        String account = "openapi-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> newAccount = Map.of("username", account, "password", "a-long-password",
                "roles", List.of("approver"));
        Supplier<String> accountId = () -> given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", "u-" + UUID.randomUUID().toString().substring(0, 8), "password", "a-long-password"))
                .post("/api/users").then().statusCode(201).extract().path("id");
        p.put("POST /api/users 201", () -> rest(person(admin).body(newAccount), "POST", "/api/users"));
        p.put("POST /api/users 400", () -> rest(person(admin).body(Map.of("username", "x")), "POST", "/api/users"));
        p.put("POST /api/users 401", () -> rest(json().body(newAccount), "POST", "/api/users"));
        p.put("POST /api/users 403", () -> rest(person(approver).body(newAccount), "POST", "/api/users"));
        p.put("POST /api/users 409", () -> {
            rest(person(admin).body(newAccount), "POST", "/api/users");
            return rest(person(admin).body(newAccount), "POST", "/api/users");
        });
        p.put("GET /api/users 200", () -> rest(person(admin), "GET", "/api/users"));
        p.put("GET /api/users 401", () -> rest(given(), "GET", "/api/users"));
        p.put("GET /api/users 403", () -> rest(person(user), "GET", "/api/users"));
        p.put("GET /api/users/{id} 200", () -> rest(person(admin), "GET", "/api/users/" + accountId.get()));
        p.put("GET /api/users/{id} 401", () -> rest(given(), "GET", "/api/users/" + missing));
        p.put("GET /api/users/{id} 403", () -> rest(person(user), "GET", "/api/users/" + missing));
        p.put("GET /api/users/{id} 404", () -> rest(person(admin), "GET", "/api/users/" + missing));
        p.put("GET /api/users/{id} 400", () -> rest(person(admin).urlEncodingEnabled(false), "GET",
                "/api/users/a%00b"));
        p.put("DELETE /api/users/{id} 204", () -> rest(person(admin), "DELETE", "/api/users/" + accountId.get()));
        p.put("DELETE /api/users/{id} 401", () -> rest(given(), "DELETE", "/api/users/" + missing));
        p.put("DELETE /api/users/{id} 403", () -> rest(person(user), "DELETE", "/api/users/" + missing));
        p.put("DELETE /api/users/{id} 404", () -> rest(person(admin), "DELETE", "/api/users/" + missing));
        p.put("DELETE /api/users/{id} 400", () -> rest(person(admin).urlEncodingEnabled(false), "DELETE",
                "/api/users/a%00b"));
        String signingIn = "u-" + UUID.randomUUID().toString().substring(0, 8);
        Supplier<Map<String, Object>> withAccount = () -> {
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("username", signingIn, "password", "a-long-password"))
                    .post("/api/users").then().statusCode(201);
            return Map.of("username", signingIn, "password", "a-long-password");
        };
        p.put("POST /api/auth/login 200", () -> rest(json().body(withAccount.get()), "POST", "/api/auth/login"));
        p.put("POST /api/auth/login 400", () -> rest(json().body(Map.of("username", "x")), "POST", "/api/auth/login"));
        p.put("POST /api/auth/login 401", () -> rest(json().body(Map.of("username", "nobody-" + UUID.randomUUID(),
                "password", "a-long-password")), "POST", "/api/auth/login"));
        p.put("POST /api/auth/login 429", () -> {
            Map<String, Object> wrong = Map.of("username", "throttled-" + UUID.randomUUID().toString().substring(0, 8),
                    "password", "not-the-password");
            for (int i = 0; i < 5; i++) {
                rest(json().body(wrong), "POST", "/api/auth/login");
            }
            return rest(json().body(wrong), "POST", "/api/auth/login");
        });
        // The development token issuer
        Map<String, Object> identity = Map.of("userId", "dev", "tenantId", tenant);
        p.put("POST /api/auth/token 200", () -> rest(json().body(identity), "POST", "/api/auth/token"));
        p.put("POST /api/auth/token 400", () -> rest(json().body(Map.of("userId", "dev")), "POST", "/api/auth/token"));
        // SignalR: negotiate and the transports
        p.put("POST /hubs/{hub}/negotiate 200", () -> rest(person(user), "POST", "/hubs/chat/negotiate?negotiateVersion=1"));
        p.put("POST /hubs/{hub}/negotiate 401", () -> rest(given(), "POST", "/hubs/chat/negotiate"));
        p.put("POST /hubs/{hub}/negotiate 403", () -> rest(person(user), "POST", "/hubs/mcp/negotiate"));
        p.put("POST /hubs/{hub}/negotiate 404", () -> rest(person(user), "POST", "/hubs/nope/negotiate"));
        p.put("POST /hubs/{hub}/negotiate 400", () -> rest(person(user).urlEncodingEnabled(false), "POST",
                "/hubs/ch%00at/negotiate"));
        p.put("POST /hubs/{hub}/negotiate 503", () -> atCapacity(() -> rest(person(user), "POST",
                "/hubs/chat/negotiate?negotiateVersion=1")));
        p.put("GET /hubs/{hub} 101", () -> Answer.of(RawHttp.upgrade(base, "/hubs/chat", bearer(user))));
        p.put("GET /hubs/{hub} 200", () -> Answer.of(RawHttpConnection.negotiate(base, "/hubs/chat", user).poll()));
        p.put("GET /hubs/{hub} 204", () -> {
            RawHttpConnection connection = RawHttpConnection.negotiate(base, "/hubs/chat", user);
            connection.poll();
            connection.delete();
            return Answer.of(connection.poll());
        });
        p.put("GET /hubs/{hub} 409", () -> {
            RawHttpConnection connection = RawHttpConnection.negotiate(base, "/hubs/chat", user);
            try (EventStream first = EventStream.open(connection.uri(null), user);
                 EventStream second = EventStream.open(connection.uri(null), user)) {
                assertEquals(200, first.response().statusCode());
                return Answer.of(second.response());
            }
        });
        p.put("POST /hubs/{hub} 200", () -> {
            RawHttpConnection connection = RawHttpConnection.negotiate(base, "/hubs/chat", user);
            connection.poll();
            return Answer.of(connection.post(RawHttpConnection.HANDSHAKE));
        });
        p.put("POST /hubs/{hub} 413", () -> tooLarge("/hubs/chat?id=" + missing));
        p.put("DELETE /hubs/{hub} 202", () -> {
            RawHttpConnection connection = RawHttpConnection.negotiate(base, "/hubs/chat", user);
            connection.poll();
            return Answer.of(connection.delete());
        });
        for (String method : List.of("GET", "POST", "DELETE")) {
            String transport = method + " /hubs/{hub} ";
            p.put(transport + "400", () -> hub(method, "/hubs/chat", user));
            p.put(transport + "401", () -> hub(method, "/hubs/chat?id=" + missing, null));
            p.put(transport + "403", () -> hub(method, "/hubs/mcp?id=" + missing, user));
            p.put(transport + "404", () -> hub(method, "/hubs/chat?id=" + missing, user));
        }
        mcpProvocations(p, key, user);
        // What the routes ahead of the resources answer: CapacityFilter (every /api request), RestBodyLimit
        // (every /api POST) and the JSON body reader (every operation that consumes JSON).
        for (RestOperation operation : restOperations()) {
            String path = operation.example(missing);
            if (path.startsWith("/api/")) {
                p.put(operation.key() + " 503", () -> atCapacity(() -> rest(given(), operation.method(), path)));
                if (operation.method().equals("POST")) {
                    p.put(operation.key() + " 413", () -> tooLarge(path));
                }
            }
            if (operation.takesJson()) {
                p.put(operation.key() + " 415", () -> rest(given().contentType(ContentType.TEXT).body("hello"),
                        operation.method(), path));
            }
        }
        Map<String, Supplier<Answer>> byTemplate = new LinkedHashMap<>();
        p.forEach((operation, provocation) -> byTemplate.put(template(operation), provocation));
        return byTemplate;
    }

    /** The MCP endpoint: a Vert.x route beside the hubs, documented in openapi.yaml. */
    private void mcpProvocations(Map<String, Supplier<Answer>> p, String key, String user) {
        McpWire agent = McpWire.withApiKey(base, key);
        McpWire anonymous = new McpWire(base, Map.of());
        McpWire person = new McpWire(base, bearer(user));
        Map<String, Object> ping = Map.of("jsonrpc", "2.0", "id", 1, "method", "ping");
        String unknownSession = "0123456789abcdef0123456789abcdef";
        p.put("POST /mcp 200", () -> Answer.of(agent.post(null, Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize",
                "params", Map.of("protocolVersion", "2025-11-25")))));
        p.put("POST /mcp 202", () -> Answer.of(agent.post(agent.initialize("2025-11-25"),
                Map.of("jsonrpc", "2.0", "method", "notifications/initialized"))));
        p.put("POST /mcp 400", () -> Answer.of(agent.post(null, ping)));
        p.put("POST /mcp 404", () -> Answer.of(agent.post(unknownSession, ping)));
        p.put("POST /mcp 413", () -> Answer.of(RawHttp.send(base, "POST", "/mcp", Map.of("Content-Type",
                "application/json", "Content-Length", String.valueOf(Integer.MAX_VALUE), "X-Api-Key", key))));
        p.put("POST /mcp 415", () -> rest(given().header("X-Api-Key", key).contentType(ContentType.TEXT).body("hello"),
                "POST", "/mcp"));
        p.put("GET /mcp 200", () -> {
            try {
                HttpResponse<java.io.InputStream> stream = agent.openStream(agent.initialize("2025-11-25"))
                        .get(10, java.util.concurrent.TimeUnit.SECONDS);
                stream.body().close();
                return Answer.of(stream);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        p.put("GET /mcp 406", () -> rest(given().header("X-Api-Key", key).header("Mcp-Session-Id",
                agent.initialize("2025-11-25")).accept(ContentType.JSON), "GET", "/mcp"));
        p.put("DELETE /mcp 204", () -> Answer.of(agent.send("DELETE", agent.initialize("2025-11-25"))));
        for (String method : List.of("GET", "DELETE")) {
            p.put(method + " /mcp 400", () -> Answer.of(agent.send(method, null)));
            p.put(method + " /mcp 404", () -> Answer.of(agent.send(method, unknownSession)));
        }
        for (String method : List.of("GET", "POST", "DELETE")) {
            p.put(method + " /mcp 401", () -> Answer.of(method.equals("POST") ? anonymous.post(null, ping)
                    : anonymous.send(method, unknownSession)));
            p.put(method + " /mcp 403", () -> Answer.of(method.equals("POST") ? person.post(null, ping)
                    : person.send(method, unknownSession)));
            p.put(method + " /mcp 503", () -> atCapacity(() -> Answer.of(method.equals("POST") ? agent.post(null, ping)
                    : agent.send(method, unknownSession))));
        }
    }

    /** {@code request}, sent while the replica holds as much work in progress as its capacity allows. */
    private Answer atCapacity(Supplier<Answer> request) {
        int taken = 0;
        while (capacity.tryEnter()) {
            taken++;
        }
        // A request answered just before may give its place back a moment after its client saw the answer.
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (capacity.tryEnter()) {
            taken++;
        }
        try {
            return request.get();
        } finally {
            for (int i = 0; i < taken; i++) {
                capacity.exit();
            }
        }
    }

    private static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    private static RequestSpecification person(String jwt) {
        return json().auth().oauth2(jwt);
    }

    private static RequestSpecification agent(String key) {
        return json().header("X-Api-Key", key);
    }

    private static Map<String, String> bearer(String credential) {
        return Map.of("Authorization", "Bearer " + credential);
    }

    private static Answer rest(RequestSpecification request, String method, String path) {
        return Answer.of(request.request(method, path));
    }

    private Answer hub(String method, String pathAndQuery, String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}\u001e")
                        : HttpRequest.BodyPublishers.noBody());
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return Answer.of(RawHttpConnection.send(request));
    }

    /** A body announced larger than any limit: refused before a byte of it is read. */
    private Answer tooLarge(String pathAndQuery) {
        return Answer.of(RawHttp.send(base, "POST", pathAndQuery,
                Map.of("Content-Type", "application/json", "Content-Length", String.valueOf(Integer.MAX_VALUE))));
    }

    private static JsonNode document() {
        try {
            return JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                    .extract().asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "METHOD /template" → the operation, for the service's own paths. */
    private static Map<String, JsonNode> documentedOperations(JsonNode document) {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith(TEST_ONLY)) {
                return;
            }
            path.getValue().fields().forEachRemaining(operation -> {
                if (List.of("get", "post", "put", "delete", "patch").contains(operation.getKey())) {
                    operations.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + template(path.getKey()),
                            operation.getValue());
                }
            });
        });
        return operations;
    }

    /** A response, its {@code $ref} to a shared response followed. */
    private static JsonNode resolve(JsonNode document, JsonNode response) {
        String ref = response.path("$ref").asText("");
        if (ref.isEmpty()) {
            return response;
        }
        JsonNode shared = document.at(ref.substring(1));
        assertNotNull(shared, ref);
        return shared;
    }

    /** A REST operation as its resource declares it; {@code takesJson}: its body is read as JSON. */
    record RestOperation(String method, String path, boolean takesJson) {

        /** "METHOD /template", as {@link #documentedOperations} names it. */
        String key() {
            return method + " " + template(path);
        }

        /** The path with {@code id} for every parameter. */
        String example(String id) {
            return path.replaceAll("\\{[^}]+}", id);
        }
    }

    /** The REST operations of every JAX-RS resource compiled from src/main (and src/test, filtered). */
    private static List<RestOperation> restOperations() {
        List<RestOperation> operations = new ArrayList<>();
        for (Class<?> resource : compiledClasses()) {
            jakarta.ws.rs.Path classPath = resource.getAnnotation(jakarta.ws.rs.Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : resource.getMethods()) {
                for (Annotation annotation : method.getAnnotations()) {
                    HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
                    if (httpMethod != null) {
                        jakarta.ws.rs.Path methodPath = method.getAnnotation(jakarta.ws.rs.Path.class);
                        String path = ("/" + classPath.value() + "/" + (methodPath == null ? "" : methodPath.value()))
                                .replaceAll("/+", "/").replaceAll("(.)/$", "$1");
                        if (!path.startsWith(TEST_ONLY)) {
                            operations.add(new RestOperation(httpMethod.value(), path,
                                    !httpMethod.value().equals("GET") && !httpMethod.value().equals("DELETE")
                                            && consumesJson(resource, method)));
                        }
                    }
                }
            }
        }
        return operations;
    }

    private static boolean consumesJson(Class<?> resource, Method method) {
        Consumes consumes = Optional.ofNullable(method.getAnnotation(Consumes.class))
                .orElse(resource.getAnnotation(Consumes.class));
        return consumes != null && List.of(consumes.value()).contains(MediaType.APPLICATION_JSON);
    }

    private static List<Class<?>> compiledClasses() {
        Path classes = Path.of("target", "classes");
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Iterator<Path> it = files.filter(file -> file.toString().endsWith(".class")).iterator(); it.hasNext(); ) {
                String name = classes.relativize(it.next()).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    found.add(Class.forName(name, false, Thread.currentThread().getContextClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** A path with its parameters' names dropped: {@code /api/x/{}}. */
    private static String template(String path) {
        return path.replaceAll("\\{[^}]+}", "{}");
    }
}
