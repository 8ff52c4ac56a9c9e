package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The JSON-RPC methods of an initialized session, each answered with its {@code result} or an
 * {@link McpError}. Everything a tool does is in {@link ApprovalTools}; resources are in
 * {@link PendingChangeResources}.
 */
@ApplicationScoped
class McpMethods {

    private final ToolCatalog catalog;
    private final ApprovalTools tools;
    private final PendingChangeResources resources;
    private final ObjectMapper json;
    private final String version;

    McpMethods(ToolCatalog catalog, ApprovalTools tools, PendingChangeResources resources, ObjectMapper json,
               @ConfigProperty(name = "quarkus.application.version", defaultValue = "1") String version) {
        this.catalog = catalog;
        this.tools = tools;
        this.resources = resources;
        this.json = json;
        this.version = version;
    }

    /** The {@code initialize} answer for a session of {@code protocolVersion}. */
    ObjectNode initializeResult(String protocolVersion) {
        ObjectNode result = json.createObjectNode().put("protocolVersion", protocolVersion);
        ObjectNode capabilities = result.putObject("capabilities");
        capabilities.putObject("tools").put("listChanged", false);
        capabilities.putObject("resources").put("subscribe", true).put("listChanged", false);
        result.putObject("serverInfo").put("name", "switchboard").put("version", version);
        result.put("instructions", "Propose changes for a person to approve with propose_change and wait for the "
                + "decision (await_decision waits again); approval_prompt is a permission-prompt tool. Each change is "
                + "also the resource switchboard://pending-changes/{id}.");
        return result;
    }

    /** Answers a request of the session; an unknown method is an {@link McpError} ("method not found"). */
    CompletionStage<JsonNode> call(String method, JsonNode params, McpSession session, ToolCall.Factory calls) {
        return switch (method) {
            case "ping" -> done(json.createObjectNode());
            case "tools/list" -> {
                ObjectNode result = json.createObjectNode();
                result.set("tools", catalog.tools());
                yield done(result);
            }
            case "tools/call" -> callTool(params, calls);
            case "resources/list" -> {
                ObjectNode result = json.createObjectNode();
                result.putArray("resources");
                yield done(result);
            }
            case "resources/templates/list" -> {
                ObjectNode result = json.createObjectNode();
                result.set("resourceTemplates", resources.templates());
                yield done(result);
            }
            case "resources/read" -> widen(resources.read(session, uri(params)));
            case "resources/subscribe" -> widen(resources.subscribe(session, uri(params)));
            case "resources/unsubscribe" -> widen(resources.unsubscribe(session, uri(params)));
            default -> throw new McpError(McpError.METHOD_NOT_FOUND, "Method not found: " + method);
        };
    }

    private CompletionStage<JsonNode> callTool(JsonNode params, ToolCall.Factory calls) {
        String name = params.path("name").asText(null);
        if (name == null || !ToolCatalog.NAMES.contains(name)) {
            throw new McpError(McpError.INVALID_PARAMS, "Unknown tool: " + name + ". The tools are "
                    + String.join(", ", ToolCatalog.NAMES.stream().sorted().toList()) + ".");
        }
        JsonNode arguments = params.path("arguments");
        if (arguments.isMissingNode() || arguments.isNull()) {
            arguments = json.createObjectNode();
        }
        if (!arguments.isObject()) {
            throw new McpError(McpError.INVALID_PARAMS, "arguments must be a JSON object.");
        }
        JsonNode progressToken = params.path("_meta").get("progressToken");
        ToolCall call = calls.create(progressToken == null || progressToken.isNull() ? null : progressToken);
        return tools.call(name, arguments, call).thenApply(this::toolResult);
    }

    private JsonNode toolResult(ToolOutcome outcome) {
        ObjectNode result = json.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", outcome.text());
        if (outcome.structured() != null) {
            result.set("structuredContent", outcome.structured());
        }
        result.put("isError", outcome.error());
        return result;
    }

    private static String uri(JsonNode params) {
        JsonNode uri = params.get("uri");
        if (uri == null || !uri.isTextual()) {
            throw new McpError(McpError.INVALID_PARAMS, "uri must be a string: switchboard://pending-changes/{id}.");
        }
        return uri.asText();
    }

    private static CompletionStage<JsonNode> done(JsonNode result) {
        return CompletableFuture.completedFuture(result);
    }

    private static CompletionStage<JsonNode> widen(CompletionStage<ObjectNode> result) {
        return result.thenApply(node -> node);
    }
}
