package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.limits.LimitsConfig;
import io.switchboard.pendingchange.PendingChangeStatus;
import io.switchboard.pendingchange.PendingChangeView;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A tool call waiting for a decision: a future that the decision ({@link DecisionWaits}), the end of
 * the wait, a cancellation or a closed stream completes — holding no thread — with progress
 * notifications meanwhile when the caller asked for them. Each API key may have at most
 * {@link LimitsConfig#mcpWaitsPerApiKey()} calls waiting on this replica.
 */
@ApplicationScoped
class CallWaits {

    /** A place among the key's waiting calls; released once, when the wait ends. */
    final class Slot {
        private final String keyId;
        private final AtomicInteger count;
        private boolean released;

        private Slot(String keyId, AtomicInteger count) {
            this.keyId = keyId;
            this.count = count;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                if (count.decrementAndGet() == 0) {
                    waitingPerKey.remove(keyId, count);
                }
            }
        }
    }

    private final DecisionWaits waits;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final McpConfig config;
    private final int maxPerKey;
    private final Map<String, AtomicInteger> waitingPerKey = new ConcurrentHashMap<>();

    CallWaits(DecisionWaits waits, Vertx vertx, ObjectMapper json, McpConfig config, LimitsConfig limits) {
        this.waits = waits;
        this.vertx = vertx;
        this.json = json;
        this.config = config;
        this.maxPerKey = limits.mcpWaitsPerApiKey();
    }

    /** A place for the call's wait, or a {@link ToolError} saying the key has as many waiting as it may. */
    Slot reserve(ToolCall call) {
        String keyId = call.agent().id();
        while (true) {
            AtomicInteger count = waitingPerKey.computeIfAbsent(keyId, id -> new AtomicInteger());
            int current = count.get();
            if (current >= maxPerKey) {
                throw new ToolError("This API key already has " + maxPerKey + " tool calls waiting for a decision, "
                        + "the most it may (SWITCHBOARD_LIMITS_MCP_WAITS_PER_API_KEY). Wait for one to end, or call "
                        + "with waitSeconds 0 and use await_decision later.");
            }
            if (count.compareAndSet(current, current + 1)) {
                if (waitingPerKey.get(keyId) == count) {
                    return new Slot(keyId, count);
                }
                count.decrementAndGet(); // the counter was dropped meanwhile: take a place in the new one
            }
        }
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

    /** For tests: calls of the key waiting here now. */
    int waiting(String keyId) {
        AtomicInteger count = waitingPerKey.get(keyId);
        return count == null ? 0 : count.get();
    }
}
