package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.switchboard.limits.Capacity;
import io.switchboard.limits.LimitsConfig;
import io.switchboard.ops.DatabaseUnavailable;
import io.switchboard.security.AccessProblems;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.Roles;
import io.switchboard.identity.HubUser;
import io.switchboard.signalr.server.Refusal;
import io.switchboard.signalr.transport.BoundedBody;
import io.switchboard.signalr.transport.RefusalResponses;
import io.switchboard.signalr.server.RefusalRenderer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The MCP Streamable HTTP transport on {@code /mcp} (docs/api.md, "MCP endpoint"): {@code POST} carries
 * one JSON-RPC message and is answered with JSON, or with an SSE stream for a tool call (its progress,
 * then its result); {@code GET} opens the session's server stream; {@code DELETE} ends the session.
 * A Vert.x route like the hubs' HTTP transports, because answers are held open and streamed. Every
 * request is checked in the same order: capacity, credential (an agent's API key), session, body.
 */
@Singleton
class McpEndpoint {

    static final String PATH = "/mcp";
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String JSON = "application/json";
    // After the security and CORS filters, like the hubs' HTTP transports.
    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1;
    private static final Logger LOG = Logger.getLogger(McpEndpoint.class);
    /** The code MCP clients use for a request cancelled before its answer. */
    private static final int REQUEST_CANCELLED = -32800;

    private final McpSessions sessions;
    private final McpMethods methods;
    private final OpenStreams streams;
    private final Capacity capacity;
    private final LimitsConfig limits;
    private final AccessProblems refusals;
    private final CurrentUser users;
    private final ObjectMapper json;
    private final McpConfig config;
    private final Vertx vertx;
    private final RefusalResponses refusalResponses;
    private final RefusalRenderer renderer;

    McpEndpoint(McpSessions sessions, McpMethods methods, OpenStreams streams, Capacity capacity, LimitsConfig limits,
                AccessProblems refusals, CurrentUser users, ObjectMapper json, McpConfig config, Vertx vertx,
                RefusalResponses refusalResponses, RefusalRenderer renderer) {
        this.refusalResponses = refusalResponses;
        this.renderer = renderer;
        this.sessions = sessions;
        this.methods = methods;
        this.streams = streams;
        this.capacity = capacity;
        this.limits = limits;
        this.refusals = refusals;
        this.users = users;
        this.json = json;
        this.config = config;
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        router.route(PATH).order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (method != HttpMethod.POST && method != HttpMethod.GET && method != HttpMethod.DELETE) {
            context.response().putHeader(HttpHeaders.ALLOW, "GET, POST, DELETE");
            problem(context.response(), 405, "The MCP endpoint takes POST (JSON-RPC), GET (the session's server "
                    + "stream) and DELETE (end the session).");
            return;
        }
        // Refusing must cost next to nothing: before the credential is checked or the body read.
        if (!capacity.tryEnter()) {
            refusalResponses.write(context.response(), Refusal.unavailable("The server is at capacity ("
                    + capacity.limit() + " requests in progress); retry after 1 s.", 1));
            return;
        }
        Runnable leave = once(capacity::exit);
        context.addEndHandler(ended -> leave.run());
        Context eventLoop = vertx.getOrCreateContext();
        QuarkusHttpUser.getSecurityIdentity(context, null).subscribe().with(
                identity -> eventLoop.runOnContext(ignored -> guarded(context, () -> authenticated(context, identity, leave))),
                failure -> eventLoop.runOnContext(ignored -> unauthenticated(context, failure)));
    }

    private void authenticated(RoutingContext context, SecurityIdentity identity, Runnable leave) {
        if (identity == null || identity.isAnonymous()) {
            unauthenticated(context, null);
            return;
        }
        HubUser agent = users.resolve(identity);
        if (!agent.hasRole(Roles.AGENT)) {
            problem(context.response(), 403, "The MCP endpoint " + PATH + " is for agents: send an API key "
                    + "(Authorization: Bearer sb_... or X-Api-Key), not a person's JWT.");
            return;
        }
        HttpMethod method = context.request().method();
        if (method == HttpMethod.POST) {
            post(context, agent, leave);
        } else {
            withSession(context, agent, session -> {
                if (method == HttpMethod.GET) {
                    leave.run(); // a server stream is held open, not work in progress
                    openServerStream(context, session);
                } else {
                    end(context, session);
                }
            });
        }
    }

    private void post(RoutingContext context, HubUser agent, Runnable leave) {
        String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(JSON)) {
            problem(context.response(), 415, "Send one JSON-RPC message as JSON, with the header Content-Type: "
                    + "application/json.");
            return;
        }
        BoundedBody.read(context.request(), limits.maxRequestBodySize()).onComplete(read -> guarded(context, () -> {
            if (read.failed()) {
                if (read.cause() instanceof BoundedBody.TooLarge tooLarge) {
                    RefusalRenderer.Rendered rendered = renderer.render(Refusal.of(413, tooLarge.getMessage()));
                    BoundedBody.refuse(context, rendered.contentType(), rendered.body());
                } else {
                    problem(context.response(), 400, "The request body could not be read.");
                }
                return;
            }
            received(context, agent, read.result(), leave);
        }));
    }

    private void received(RoutingContext context, HubUser agent, Buffer body, Runnable leave) {
        JsonNode message;
        try {
            message = json.readTree(body.getBytes());
        } catch (IOException e) {
            rpcError(context.response(), 400, null, McpError.PARSE_ERROR, "The body is not valid JSON.");
            return;
        }
        if (message == null || !message.isObject() || !"2.0".equals(message.path("jsonrpc").asText())) {
            rpcError(context.response(), 400, null, McpError.INVALID_REQUEST, message != null && message.isArray()
                    ? "Send one JSON-RPC message per request: batches are not accepted."
                    : "The body must be one JSON-RPC 2.0 message (an object with \"jsonrpc\": \"2.0\").");
            return;
        }
        JsonNode id = message.get("id");
        String method = message.path("method").asText(null);
        if ("initialize".equals(method)) {
            initialize(context, agent, id, message.path("params"));
            return;
        }
        withSession(context, agent, session -> {
            if (method == null || id == null || id.isNull()) {
                // A notification, or the answer to a request: taken, nothing to answer.
                if ("notifications/cancelled".equals(method)) {
                    JsonNode requestId = message.path("params").get("requestId");
                    if (requestId != null) {
                        streams.cancel(session.id(), requestId.toString());
                    }
                }
                context.response().setStatusCode(202).end();
                return;
            }
            request(context, session, agent, id, method, message.path("params"), leave);
        });
    }

    private void initialize(RoutingContext context, HubUser agent, JsonNode id, JsonNode params) {
        if (id == null || id.isNull()) {
            rpcError(context.response(), 400, null, McpError.INVALID_REQUEST, "initialize is a request: give it an id.");
            return;
        }
        String version = ProtocolVersions.negotiate(params.path("protocolVersion").asText(""));
        sessions.create(agent.id(), agent.tenantId(), version).onComplete(created -> guarded(context, () -> {
            if (created.failed()) {
                unavailable(context.response(), created.cause());
                return;
            }
            LOG.debugf("MCP session %s initialized (protocol %s)", created.result().id(), version);
            context.response().putHeader(SESSION_HEADER, created.result().id());
            respond(context.response(), id, methods.initializeResult(version));
        }));
    }

    /** The request's session, checked; a refusal is answered otherwise. */
    private void withSession(RoutingContext context, HubUser agent, Consumer<McpSession> then) {
        String sessionId = context.request().getHeader(SESSION_HEADER);
        if (sessionId == null || sessionId.isBlank()) {
            problem(context.response(), 400, "Send the Mcp-Session-Id header that initialize answered "
                    + "(or initialize first).");
            return;
        }
        String version = context.request().getHeader(VERSION_HEADER);
        if (version != null && !ProtocolVersions.isSupported(version)) {
            problem(context.response(), 400, "MCP-Protocol-Version " + version + " is not spoken here; the versions are "
                    + String.join(", ", ProtocolVersions.SUPPORTED) + ".");
            return;
        }
        sessions.find(sessionId.trim(), agent.id()).onComplete(found -> guarded(context, () -> {
            if (found.failed()) {
                unavailable(context.response(), found.cause());
            } else if (found.result().isEmpty()) {
                problem(context.response(), 404, "No such MCP session: it ended, expired or was never made for this "
                        + "API key. Initialize a new one.");
            } else {
                then.accept(found.result().get());
            }
        }));
    }

    private void request(RoutingContext context, McpSession session, HubUser agent, JsonNode id, String method,
                         JsonNode params, Runnable leave) {
        HttpServerResponse response = context.response();
        boolean streamed = "tools/call".equals(method) && accepts(context, EVENT_STREAM);
        String requestId = id.toString();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        AtomicBoolean answered = new AtomicBoolean();
        OpenStreams.Held held = new OpenStreams.Held() {
            @Override
            public String keyId() {
                return agent.id();
            }

            @Override
            public void close() {
                // Answered first: ending the wait completes the call, which must then write nothing.
                boolean unanswered = answered.compareAndSet(false, true);
                ended.complete(null);
                if (unanswered) {
                    if (streamed) {
                        endQuietly(response);
                    } else {
                        rpcError(response, 200, id, REQUEST_CANCELLED, "The request was cancelled.");
                    }
                }
            }
        };
        Consumer<String> notifications = streamed ? notification -> writeEvent(response, notification) : ignored -> {
        };
        ToolCall.Factory calls = progressToken -> new ToolCall(agent, session, progressToken, notifications, ended, leave);
        if (streamed) {
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").setChunked(true);
            response.write(":\n\n"); // the headers go now: the client knows the call is being worked on
        }
        response.closeHandler(closed -> held.close());
        streams.callWaiting(session.id(), requestId, held);
        CompletionStage<JsonNode> result;
        try {
            result = methods.call(method, params, session, calls);
        } catch (McpError error) {
            result = CompletableFuture.failedFuture(error);
        }
        result.whenComplete((value, failure) -> {
            streams.callEnded(session.id(), requestId, held);
            if (!answered.compareAndSet(false, true)) {
                return; // cancelled or closed meanwhile: no answer is owed
            }
            ObjectNode answer = failure == null ? answer(id, value) : errorAnswer(id, failure);
            if (streamed) {
                writeEvent(response, answer.toString());
                endQuietly(response);
            } else {
                respondJson(response, 200, answer.toString());
            }
        });
    }

    private void openServerStream(RoutingContext context, McpSession session) {
        if (!accepts(context, EVENT_STREAM)) {
            problem(context.response(), 406, "The session's server stream is text/event-stream: accept it.");
            return;
        }
        HttpServerResponse response = context.response();
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").setChunked(true);
        response.write(":\n\n");
        long keepAlive = vertx.setPeriodic(config.keepAliveInterval().toMillis(), timer -> writeComment(response));
        // An open stream keeps its session from running idle.
        long touch = vertx.setPeriodic(Math.max(1000, config.sessionIdleTimeout().toMillis() / 3),
                timer -> sessions.find(session.id(), session.keyId()));
        OpenStreams.ServerStream stream = new OpenStreams.ServerStream() {
            @Override
            public String keyId() {
                return session.keyId();
            }

            @Override
            public void send(String message) {
                writeEvent(response, message);
            }

            @Override
            public void close() {
                endQuietly(response);
            }
        };
        // Ended by the client (closed) or by us (the session ended, the key was revoked): the timers stop either way.
        Runnable closed = once(() -> {
            vertx.cancelTimer(keepAlive);
            vertx.cancelTimer(touch);
            streams.serverStreamClosed(session.id(), stream);
        });
        response.closeHandler(ignored -> closed.run());
        response.endHandler(ignored -> closed.run());
        streams.openServerStream(session.id(), stream);
    }

    private void end(RoutingContext context, McpSession session) {
        sessions.end(session.id()).onComplete(ended -> guarded(context, () -> {
            if (ended.failed()) {
                unavailable(context.response(), ended.cause());
                return;
            }
            streams.ended(session.id());
            context.response().setStatusCode(204).end();
        }));
    }

    private void unauthenticated(RoutingContext context, Throwable failure) {
        if (failure != null && DatabaseUnavailable.isCauseOf(failure)) {
            unavailable(context.response(), failure);
            return;
        }
        refusalResponses.write(context.response(), Refusal.unauthenticated(refusals.unauthenticated(failure, PATH)));
    }

    /** Redis or the database away: the client may retry. */
    private void unavailable(HttpServerResponse response, Throwable cause) {
        LOG.debugf("An MCP request could not be served for the moment: %s", cause);
        refusalResponses.write(response, Refusal.unavailable("The service is unavailable for a moment; retry after 5 s.", 5));
    }

    private ObjectNode answer(JsonNode id, JsonNode result) {
        ObjectNode answer = json.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", id);
        answer.set("result", result);
        return answer;
    }

    private ObjectNode errorAnswer(JsonNode id, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof McpError error) {
            return error(id, error.code(), error.getMessage());
        }
        if (DatabaseUnavailable.isCauseOf(cause)) {
            return error(id, McpError.INTERNAL_ERROR, "The service is unavailable for a moment; retry in a few seconds.");
        }
        LOG.error("An MCP request failed", cause);
        return error(id, McpError.INTERNAL_ERROR, "The server could not complete the request.");
    }

    private ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode answer = json.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", id);
        answer.putObject("error").put("code", code).put("message", message);
        return answer;
    }

    private void respond(HttpServerResponse response, JsonNode id, JsonNode result) {
        respondJson(response, 200, answer(id, result).toString());
    }

    private void rpcError(HttpServerResponse response, int status, JsonNode id, int code, String message) {
        respondJson(response, status, error(id, code, message).toString());
    }

    private static void respondJson(HttpServerResponse response, int status, String body) {
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
        }
    }

    private static void writeEvent(HttpServerResponse response, String message) {
        if (!response.ended() && !response.closed()) {
            response.write("event: message\ndata: " + message + "\n\n");
        }
    }

    private static void writeComment(HttpServerResponse response) {
        if (!response.ended() && !response.closed()) {
            response.write(":\n\n");
        }
    }

    private static void endQuietly(HttpServerResponse response) {
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }

    private void problem(HttpServerResponse response, int status, String detail) {
        refusalResponses.write(response, Refusal.of(status, detail));
    }

    private static boolean accepts(RoutingContext context, String mediaType) {
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(mediaType);
    }

    /** Runs one step; a failure answers 500 and is logged without the request (its headers hold a credential). */
    private void guarded(RoutingContext context, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("An MCP request failed", e);
            problem(context.response(), 500, "The server could not complete the request.");
        }
    }

    private static Runnable once(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }
}
