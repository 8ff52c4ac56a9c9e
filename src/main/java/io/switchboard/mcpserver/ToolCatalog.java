package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The tools {@code tools/list} answers, with their input and output JSON Schemas, read once from
 * {@code mcp/tools.json} (the decision result's schema, shared by two tools, from
 * {@code mcp/decision-schema.json}). Every protocol version gets the same tools: a 2025-03-26 client
 * does not know output schemas and titles and, as JSON-RPC clients do, ignores what it does not know.
 */
@ApplicationScoped
class ToolCatalog {

    static final String PROPOSE_CHANGE = "propose_change";
    static final String AWAIT_DECISION = "await_decision";
    static final String APPROVAL_PROMPT = "approval_prompt";
    static final Set<String> NAMES = Set.of(PROPOSE_CHANGE, AWAIT_DECISION, APPROVAL_PROMPT);

    private final ArrayNode tools;

    ToolCatalog(ObjectMapper json) {
        JsonNode decision = read(json, "mcp/decision-schema.json");
        tools = (ArrayNode) read(json, "mcp/tools.json");
        for (JsonNode tool : tools) {
            if (tool.path("outputSchema").isTextual()) {
                ((ObjectNode) tool).set("outputSchema", decision.deepCopy());
            }
        }
    }

    /** The {@code tools} of a {@code tools/list} answer. */
    ArrayNode tools() {
        return tools;
    }

    private static JsonNode read(ObjectMapper json, String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the application");
            }
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
