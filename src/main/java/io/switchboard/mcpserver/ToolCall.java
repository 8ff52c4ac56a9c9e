package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.identity.HubUser;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One {@code tools/call} request while it runs: who called, in which session, and how to reach the
 * caller while it waits.
 *
 * @param agent         the API key's user (its id is the key id)
 * @param session       the MCP session
 * @param progressToken the request's {@code _meta.progressToken}, or null when it asked for no progress
 * @param notifications writes a JSON-RPC notification on this request's own stream (does nothing when
 *                      the answer is plain JSON)
 * @param ended         completes when the caller cancelled the request or closed its stream: stop waiting
 * @param waiting       run when the call starts waiting: a waiting call no longer counts as work in progress
 */
record ToolCall(HubUser agent, McpSession session, JsonNode progressToken, Consumer<String> notifications,
                CompletableFuture<Void> ended, Runnable waiting) {

    /** Makes the call's context once its progress token is known. */
    @FunctionalInterface
    interface Factory {
        ToolCall create(JsonNode progressToken);
    }
}
