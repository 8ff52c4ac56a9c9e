package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.limits.LimitsConfig;
import io.switchboard.pendingchange.PendingChangeStatus;
import io.switchboard.pendingchange.PendingChangeView;
import io.switchboard.signalr.server.ConnectionSlots;
import io.switchboard.signalr.server.SignalRConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A tool call waiting for a decision: a future that the decision ({@link DecisionWaits}), the end of
 * the wait, a cancellation or a closed stream completes — holding no thread — with progress
 * notifications meanwhile when the caller asked for them. Each API key may have at most
 * {@link LimitsConfig#mcpWaitsPerApiKey()} calls waiting over every replica: a wait takes a slot as a
 * connection does ({@link ConnectionSlots}: one atomic step, in Redis when replicas share it), renewed
 * while it waits.
 */
@ApplicationScoped
class CallWaits {

    /** A place among the key's waiting calls; released once, when the wait ends. */
    final class Slot {
        private final String owner;
        private final String id = UUID.randomUUID().toString();
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String owner) {
            this.owner = owner;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                held.remove(id);
                slots.release(owner, id);
            }
        }
    }

    private final DecisionWaits waits;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final McpConfig config;
    private final ConnectionSlots slots;
    private final int maxPerKey;
    /** Slots held by calls waiting here, by slot id, for their renewal. */
    private final Map<String, Slot> held = new ConcurrentHashMap<>();
    private final long renewal;

    CallWaits(DecisionWaits waits, Vertx vertx, ObjectMapper json, McpConfig config, LimitsConfig limits,
              ConnectionSlots slots, SignalRConfig signalR) {
        this.waits = waits;
        this.vertx = vertx;
        this.json = json;
        this.config = config;
        this.slots = slots;
        this.maxPerKey = limits.mcpWaitsPerApiKey();
        this.renewal = vertx.setPeriodic(Math.max(1, signalR.connectionSlotLease().toMillis() / 3), id -> renew());
    }

    /** The slots' owner: the key, in a namespace of its own beside its connections. */
    private static String owner(String keyId) {
        return "mcp-waits:" + keyId;
    }

    /**
     * A place for the call's wait, or a {@link ToolError} saying the key has as many waiting as it
     * may; never waits for one.
     */
    CompletionStage<Slot> reserve(ToolCall call) {
        Slot slot = new Slot(owner(call.agent().id()));
        return slots.take(slot.owner, slot.id, maxPerKey).thenApply(taken -> {
            if (!taken) {
                throw new ToolError("This API key already has " + maxPerKey + " tool calls waiting for a decision, "
                        + "the most it may (SWITCHBOARD_LIMITS_MCP_WAITS_PER_API_KEY). Wait for one to end, or call "
                        + "with waitSeconds 0 and use await_decision later.");
            }
            held.put(slot.id, slot);
            return slot;
        });
    }

    private void renew() {
        if (!held.isEmpty()) {
            slots.renew(ConnectionSlots.byOwner(held.values(), slot -> slot.owner, slot -> slot.id));
        }
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(renewal);
    }

    /**
     * Waits up to {@code max} for the decision on {@code changeId}: the decided change, or empty when
     * the wait ran out, or was cancelled. {@code current} reads the change once the wait has started,
     * so that a decision committed before then is seen there; it may fail with a {@link ToolError}.
     * The slot is released whatever happens.
     */
    CompletionStage<Optional<PendingChangeView>> await(ToolCall call, Slot slot, String changeId, Duration max,
                                                       Supplier<CompletionStage<PendingChangeView>> current) {
        call.waiting().run();
        DecisionWaits.Wait wait = waits.start(call.session().tenantId(), changeId);
        CompletableFuture<Optional<PendingChangeView>> result = new CompletableFuture<>();
        wait.decided().thenAccept(decided -> result.complete(Optional.of(decided)));
        long timer = vertx.setTimer(Math.max(1, max.toMillis()), id -> result.complete(Optional.empty()));
        long progress = call.progressToken() == null ? -1 : startProgress(call, max);
        call.ended().thenRun(() -> result.complete(Optional.empty()));
        result.whenComplete((outcome, failure) -> {
            waits.stop(wait);
            vertx.cancelTimer(timer);
            if (progress >= 0) {
                vertx.cancelTimer(progress);
            }
            slot.release();
        });
        current.get().whenComplete((change, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else if (change.status() != PendingChangeStatus.Pending) {
                result.complete(Optional.of(change));
            }
        });
        return result;
    }

    private long startProgress(ToolCall call, Duration max) {
        long startedAt = System.nanoTime();
        return vertx.setPeriodic(config.progressInterval().toMillis(), id -> {
            long seconds = Duration.ofNanos(System.nanoTime() - startedAt).toSeconds();
            ObjectNode params = json.createObjectNode();
            params.set("progressToken", call.progressToken());
            params.put("progress", seconds).put("total", max.toSeconds())
                    .put("message", "Waiting for a person to decide (" + seconds + " s)");
            call.notifications().accept(OpenStreams.notification(json, "notifications/progress", params).toString());
        });
    }

    /** For tests: calls of the key waiting on this replica now. */
    int waiting(String keyId) {
        String owner = owner(keyId);
        return (int) held.values().stream().filter(slot -> slot.owner.equals(owner)).count();
    }
}
