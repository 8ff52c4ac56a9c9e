package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.apikey.ApiKeyRevocationHeard;
import io.switchboard.cluster.ClusterTopics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The responses this replica holds open for MCP sessions: each session's server stream
 * ({@code GET /mcp}) and the tool calls waiting for a decision. A session's requests may reach any
 * replica, so what must reach an open response — a notification for a server stream, a cancellation
 * for a waiting call, the session's end — is published to every replica ({@value #TOPIC}) and acted on
 * by the one that holds it.
 */
@ApplicationScoped
class OpenStreams {

    private static final Logger LOG = Logger.getLogger(OpenStreams.class);
    static final String TOPIC = "mcp-sessions";

    /** A response held open for a session; closing it frees what it holds. */
    interface Held {
        String keyId();

        /** Ends the response now (the session ended, the key was revoked, the call was cancelled). */
        void close();
    }

    /** A session's server stream: it writes notifications. */
    interface ServerStream extends Held {
        void send(String jsonRpcMessage);
    }

    // Read and written by Jackson, also in a native image.
    @io.quarkus.runtime.annotations.RegisterForReflection
    record Message(String kind, String session, String requestId, String notification) {
    }

    private final ClusterTopics topics;
    private final ObjectMapper json;
    private final Map<String, ServerStream> serverStreams = new ConcurrentHashMap<>();
    private final Map<String, Held> calls = new ConcurrentHashMap<>();

    OpenStreams(ClusterTopics topics, ObjectMapper json) {
        this.topics = topics;
        this.json = json;
    }

    void onStart(@Observes StartupEvent start) throws Exception {
        topics.listen(TOPIC, this::onMessage).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Holds {@code stream} as the session's server stream, closing the one it held before, if any. */
    void openServerStream(String sessionId, ServerStream stream) {
        ServerStream previous = serverStreams.put(sessionId, stream);
        if (previous != null && previous != stream) {
            previous.close();
        }
    }

    void serverStreamClosed(String sessionId, ServerStream stream) {
        serverStreams.remove(sessionId, stream);
    }

    void callWaiting(String sessionId, String requestId, Held call) {
        calls.put(callKey(sessionId, requestId), call);
    }

    void callEnded(String sessionId, String requestId, Held call) {
        calls.remove(callKey(sessionId, requestId), call);
    }

    /** Sends a JSON-RPC notification on the session's server stream, whichever replica holds it. */
    CompletionStage<Void> notify(String sessionId, String notification) {
        return publish(new Message("notify", sessionId, null, notification));
    }

    /** Cancels the session's waiting call {@code requestId}, whichever replica holds it. */
    CompletionStage<Void> cancel(String sessionId, String requestId) {
        return publish(new Message("cancel", sessionId, requestId, null));
    }

    /** Closes the session's open responses on every replica. */
    CompletionStage<Void> ended(String sessionId) {
        return publish(new Message("end", sessionId, null, null));
    }

    /** A revoked key keeps nothing open here. */
    void onRevoked(@Observes ApiKeyRevocationHeard revoked) {
        serverStreams.values().stream().filter(stream -> stream.keyId().equals(revoked.keyId())).toList()
                .forEach(Held::close);
        calls.values().stream().filter(call -> call.keyId().equals(revoked.keyId())).toList().forEach(Held::close);
    }

    private CompletionStage<Void> publish(Message message) {
        try {
            return topics.publish(TOPIC, json.writeValueAsBytes(message));
        } catch (IOException e) {
            throw new IllegalStateException("An MCP session message could not be written", e);
        }
    }

    private void onMessage(byte[] payload) {
        Message message;
        try {
            message = json.readValue(payload, Message.class);
        } catch (IOException e) {
            LOG.warnf("Ignored a malformed MCP session message on the backplane: %s", e.getMessage());
            return;
        }
        switch (message.kind()) {
            case "notify" -> {
                ServerStream stream = serverStreams.get(message.session());
                if (stream != null) {
                    stream.send(message.notification());
                }
            }
            case "cancel" -> {
                Held call = calls.get(callKey(message.session(), message.requestId()));
                if (call != null) {
                    call.close();
                }
            }
            case "end" -> {
                ServerStream stream = serverStreams.get(message.session());
                if (stream != null) {
                    stream.close();
                }
                String prefix = message.session() + "\u0000";
                calls.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                        .toList().forEach(Held::close);
            }
            default -> LOG.debugf("Ignored an MCP session message of kind %s", message.kind());
        }
    }

    private static String callKey(String sessionId, String requestId) {
        return sessionId + "\u0000" + requestId;
    }

    /** For tests and metrics: responses held open here now. */
    int held() {
        return serverStreams.size() + calls.size();
    }

    static ObjectNode notification(ObjectMapper json, String method, ObjectNode params) {
        ObjectNode message = json.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        message.set("params", params);
        return message;
    }

}
