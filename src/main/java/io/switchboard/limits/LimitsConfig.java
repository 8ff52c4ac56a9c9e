package io.switchboard.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalInt;

/**
 * Every bound the service puts on what clients may make it hold (docs/api.md, "Limits"). Each is set
 * by its environment variable, {@code SWITCHBOARD_LIMITS_} and the property name in upper case.
 * {@code switchboard.limits.invocation-queue} belongs to the SignalR engine (its SignalRConfig reads it),
 * which keeps it beside the other limits for operators.
 */
@ConfigMapping(prefix = "switchboard.limits")
public interface LimitsConfig {

    /**
     * REST requests and hub invocations in progress on this replica at once. Unset: sized to the
     * worker pool (see docs/api.md, "Sizing capacity"). Past it, REST and negotiate answer 503.
     */
    OptionalInt maxInProgress();

    /** Open connections (all hubs, all transports) one API key may hold on this replica. */
    @WithDefault("20000")
    int connectionsPerApiKey();

    /** Open connections (all hubs, all transports) one person may hold on this replica. */
    @WithDefault("100")
    int connectionsPerUser();

    /** Workflows a person may be in at once (their chat session). */
    @WithDefault("200")
    int workflowsPerUser();

    /**
     * The largest request body, in bytes, on REST and (through the engine's own setting, which
     * defaults to this one) on the HTTP transports, chunked or not.
     */
    @WithDefault("1048576")
    int maxRequestBodySize();

    /** The largest pending-change diff, in bytes of {@code before} and {@code after} as JSON. */
    @WithDefault("65536")
    int maxDiffSize();

    /**
     * MCP tool calls ({@code propose_change}, {@code await_decision}, {@code approval_prompt}) one API key
     * may have waiting for a decision at once on this replica; past it a call is refused with a tool error.
     */
    @WithDefault("1000")
    int mcpWaitsPerApiKey();
}
