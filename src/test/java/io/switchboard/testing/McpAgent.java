package io.switchboard.testing;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An agent connected to {@code /mcp} with the official MCP Java SDK client and an API key, with the
 * server's progress and resource-update notifications collected in queues.
 */
public final class McpAgent implements AutoCloseable {

    private final McpSyncClient client;
    private final BlockingQueue<McpSchema.ProgressNotification> progress = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> updatedUris = new LinkedBlockingQueue<>();

    private McpAgent(URI base, String apiKey, List<String> protocolVersions) {
        HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport
                .builder(base.toString().replaceAll("/$", ""))
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + apiKey));
        if (protocolVersions != null) {
            transport.supportedProtocolVersions(protocolVersions);
        }
        client = McpClient.sync(transport.build())
                .requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(20))
                .progressConsumer(progress::add)
                .resourcesUpdateConsumer(contents -> contents.forEach(content -> updatedUris.add(content.uri())))
                .build();
    }

    /** Connected and initialized. */
    public static McpAgent connect(URI base, String apiKey) {
        return connect(base, apiKey, null);
    }

    /** Connected and initialized, offering only {@code protocolVersions}. */
    public static McpAgent connect(URI base, String apiKey, List<String> protocolVersions) {
        McpAgent agent = new McpAgent(base, apiKey, protocolVersions);
        agent.client.initialize();
        return agent;
    }

    public McpSyncClient client() {
        return client;
    }

    public McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    /** Calls {@code tool} asking for progress notifications with {@code progressToken}. */
    public McpSchema.CallToolResult callWithProgress(String tool, Map<String, Object> arguments, String progressToken) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments, Map.of("progressToken", progressToken)));
    }

    public BlockingQueue<McpSchema.ProgressNotification> progress() {
        return progress;
    }

    public BlockingQueue<String> updatedUris() {
        return updatedUris;
    }

    /** The text of a result's first content. */
    public static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
