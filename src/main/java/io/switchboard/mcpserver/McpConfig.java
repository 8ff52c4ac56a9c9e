package io.switchboard.mcpserver;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** The MCP endpoint {@code /mcp} (docs/api.md, "MCP endpoint"). */
@ConfigMapping(prefix = "switchboard.mcp")
public interface McpConfig {

    /**
     * A session with no request and no open stream for this long ends; its next request is answered
     * {@code 404} and the client initializes again.
     */
    @WithDefault("30m")
    Duration sessionIdleTimeout();

    /** How often a waiting tool call whose request carried a {@code progressToken} reports progress. */
    @WithDefault("5s")
    Duration progressInterval();

    /** How often an open server stream ({@code GET /mcp}) gets an SSE comment, so proxies keep it open. */
    @WithDefault("15s")
    Duration keepAliveInterval();

    /** When a change proposed by {@code approval_prompt} expires, in seconds after it is proposed. */
    @WithName("prompt-expiry-seconds")
    @WithDefault("900")
    int promptExpirySeconds();
}
