package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.api.JsonBodies;
import io.switchboard.api.ProblemException;
import io.switchboard.pendingchange.Diff;
import io.switchboard.pendingchange.NewPendingChange;
import io.switchboard.pendingchange.Operation;
import io.switchboard.pendingchange.PendingChangeService;
import io.switchboard.pendingchange.PendingChangeStatus;
import io.switchboard.pendingchange.PendingChangeView;
import io.switchboard.pendingchange.ProposalRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The three MCP tools (docs/api.md, "MCP endpoint"): business logic only. Proposals go through the same
 * validation and service as {@code POST /api/pending-changes}; waits end with the same committed
 * decisions that McpHub pushes.
 */
@ApplicationScoped
class ApprovalTools {

    static final String NOT_FOUND = "Pending change not found";
    /** A prompt's wait outlasts its expiry by this much, for the expiry sweep to announce it. */
    private static final Duration EXPIRY_ANNOUNCEMENT = Duration.ofSeconds(5);

    private final PendingChangeService changes;
    private final ProposalRules rules;
    private final JsonBodies bodies;
    private final CallWaits waits;
    private final Blocking blocking;
    private final ObjectMapper json;
    private final McpConfig config;

    ApprovalTools(PendingChangeService changes, ProposalRules rules, JsonBodies bodies, CallWaits waits,
                  Blocking blocking, ObjectMapper json, McpConfig config) {
        this.changes = changes;
        this.rules = rules;
        this.bodies = bodies;
        this.waits = waits;
        this.blocking = blocking;
        this.json = json;
        this.config = config;
    }

    /** Runs tool {@code name} (one of {@link ToolCatalog#NAMES}); a bad argument is a tool error. */
    CompletionStage<ToolOutcome> call(String name, JsonNode arguments, ToolCall call) {
        try {
            return switch (name) {
                case ToolCatalog.PROPOSE_CHANGE -> proposeChange(arguments, call);
                case ToolCatalog.AWAIT_DECISION -> awaitDecision(arguments, call);
                case ToolCatalog.APPROVAL_PROMPT -> approvalPrompt(arguments, call);
                default -> throw new McpError(McpError.INVALID_PARAMS, "Unknown tool: " + name);
            };
        } catch (ToolError | ProblemException e) {
            return CompletableFuture.completedFuture(ToolOutcome.failed(e.getMessage()));
        }
    }

    private CompletionStage<ToolOutcome> proposeChange(JsonNode arguments, ToolCall call) {
        NewPendingChange proposal = bodies.read(arguments, NewPendingChange.class);
        rules.check(proposal);
        int waitSeconds = ToolArguments.waitSeconds(arguments);
        return settled(proposeAndWait(proposal, Duration.ofSeconds(waitSeconds), call)
                .thenApply(change -> ToolOutcome.of(decisionResult(change))));
    }

    private CompletionStage<ToolOutcome> awaitDecision(JsonNode arguments, ToolCall call) {
        String pendingChangeId = bodies.read(arguments, ToolArguments.AwaitDecision.class).pendingChangeId();
        int waitSeconds = ToolArguments.waitSeconds(arguments);
        UUID id = parse(pendingChangeId);
        String tenantId = call.session().tenantId();
        CompletionStage<PendingChangeView> current = blocking.run(() -> changes.find(tenantId, id))
                .thenApply(found -> found.orElseThrow(() -> new ToolError(NOT_FOUND)));
        if (waitSeconds == 0) {
            return settled(current.thenApply(change -> ToolOutcome.of(decisionResult(change))));
        }
        CompletableFuture<PendingChangeView> read = new CompletableFuture<>();
        return settled(waits.reserve(call).thenCompose(slot -> waits.await(call, slot, id.toString(),
                        Duration.ofSeconds(waitSeconds), () -> current
                        .whenComplete((change, failure) -> {
                            if (change != null) {
                                read.complete(change);
                            }
                        })))
                .thenCompose(decided -> decided.<CompletionStage<PendingChangeView>>map(CompletableFuture::completedFuture)
                        .orElse(read))
                .thenApply(change -> ToolOutcome.of(decisionResult(change))));
    }

    private CompletionStage<ToolOutcome> approvalPrompt(JsonNode arguments, ToolCall call) {
        ToolArguments.ApprovalPrompt prompt = bodies.read(arguments, ToolArguments.ApprovalPrompt.class);
        if (!prompt.input().isObject()) {
            throw new ToolError("input must be a JSON object.");
        }
        int expirySeconds = config.promptExpirySeconds();
        NewPendingChange proposal = new NewPendingChange(prompt.tool_name(),
                new Diff(Operation.UPDATE, "ToolCall", prompt.tool_use_id(), null, prompt.input()), (long) expirySeconds);
        rules.check(proposal);
        return settled(proposeAndWait(proposal, Duration.ofSeconds(expirySeconds).plus(EXPIRY_ANNOUNCEMENT), call)
                .thenApply(change -> ToolOutcome.of(permission(change, prompt.input(), expirySeconds))));
    }

    /**
     * Proposes, then waits for the decision: the change as decided, or as proposed (Pending) when the
     * wait ran out first. With no wait asked for, no place among the key's waits is taken.
     */
    private CompletionStage<PendingChangeView> proposeAndWait(NewPendingChange proposal, Duration wait, ToolCall call) {
        if (wait.isZero()) {
            return blocking.run(() -> changes.propose(call.agent(), proposal));
        }
        // The place first: a call refused for the limit proposes nothing.
        return waits.reserve(call).thenCompose(slot -> proposeAndWait(proposal, wait, call, slot));
    }

    private CompletionStage<PendingChangeView> proposeAndWait(NewPendingChange proposal, Duration wait, ToolCall call,
                                                              CallWaits.Slot slot) {
        CompletionStage<PendingChangeView> proposed = blocking.run(() -> changes.propose(call.agent(), proposal));
        String tenantId = call.session().tenantId();
        return proposed.whenComplete((change, failure) -> {
            if (failure != null) {
                slot.release();
            }
        }).thenCompose(change -> waits.await(call, slot, change.id(), wait,
                        // Decided between the commit and the start of the wait: seen here.
                        () -> blocking.run(() -> decidedSince(tenantId, change)))
                .thenApply(decided -> decided.orElse(change)));
    }

    /** The change as it is now if it left Pending, else as it was proposed: at most one indexed read. */
    private PendingChangeView decidedSince(String tenantId, PendingChangeView proposed) {
        UUID id = UUID.fromString(proposed.id());
        if (changes.isKnownPending(tenantId, id)) {
            return proposed;
        }
        return changes.forSubscriber(tenantId, id).filter(now -> now.status() != PendingChangeStatus.Pending)
                .orElse(proposed);
    }

    private ObjectNode decisionResult(PendingChangeView change) {
        ObjectNode result = json.createObjectNode()
                .put("pendingChangeId", change.id())
                .put("status", change.status().name())
                .put("toolName", change.toolName())
                .put("expiresAt", change.expiresAt().toString());
        if (change.decidedAt() != null) {
            result.put("decidedAt", change.decidedAt().toString());
        }
        if (change.decidedBy() != null) {
            result.put("decidedBy", change.decidedBy());
        }
        if (change.reason() != null) {
            result.put("reason", change.reason());
        }
        if (change.executionResult() != null && !change.executionResult().isNull()) {
            result.set("executionResult", change.executionResult());
        }
        return result;
    }

    /** What a permission-prompt tool answers: allow with the input as it was, or deny saying why. */
    private ObjectNode permission(PendingChangeView change, JsonNode input, int expirySeconds) {
        ObjectNode answer = json.createObjectNode();
        if (change.status() == PendingChangeStatus.Approved) {
            answer.put("behavior", "allow");
            answer.set("updatedInput", input);
        } else if (change.status() == PendingChangeStatus.Rejected) {
            answer.put("behavior", "deny").put("message", change.reason() == null || change.reason().isBlank()
                    ? "A person rejected the tool call." : change.reason());
        } else {
            answer.put("behavior", "deny").put("message", "No one approved the tool call within " + expirySeconds
                    + " seconds: the request expired.");
        }
        return answer;
    }

    /** Turns the failures a tool may meet while it runs into tool errors; anything else stays a failure. */
    private static CompletionStage<ToolOutcome> settled(CompletionStage<ToolOutcome> outcome) {
        return outcome.exceptionally(failure -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof ToolError || cause instanceof ProblemException) {
                return ToolOutcome.failed(cause.getMessage());
            }
            throw failure instanceof RuntimeException runtime ? runtime : new java.util.concurrent.CompletionException(cause);
        });
    }

    private static UUID parse(String pendingChangeId) {
        try {
            return UUID.fromString(pendingChangeId);
        } catch (IllegalArgumentException e) {
            throw new ToolError(NOT_FOUND);
        }
    }
}
