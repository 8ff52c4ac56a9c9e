package io.switchboard.limits;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How much work this replica has in progress: REST requests, negotiations and hub invocations. Past
 * the capacity, new REST requests and negotiations are refused (503, see {@link CapacityFilter}) so
 * that the work already accepted keeps its latency, instead of queueing for the worker pool.
 *
 * <p>Unset, the capacity is the size of the worker pool that runs the blocking part of this work
 * (database transactions): more in progress than workers only waits in the pool's queue.
 *
 * <p>REST requests and negotiations take their place in {@link CapacityFilter}, hub invocations in
 * {@link CapacityHubFilter}.
 */
@Singleton
public class Capacity {

    private final int limit;
    private final AtomicInteger inProgress = new AtomicInteger();

    Capacity(LimitsConfig limits, @ConfigProperty(name = "quarkus.thread-pool.max-threads") OptionalInt workerThreads,
             MeterRegistry metrics) {
        this.limit = limits.maxInProgress().orElse(workerThreads.orElse(defaultWorkerThreads()));
        Gauge.builder("switchboard.in.progress", inProgress, AtomicInteger::get)
                .description("REST requests, negotiations and hub invocations in progress").register(metrics);
        Gauge.builder("switchboard.capacity", () -> limit)
                .description("How much may be in progress before REST and negotiate answer 503").register(metrics);
    }

    /** Quarkus' own default for the worker pool: 8 per processor, at least 200. */
    static int defaultWorkerThreads() {
        return Math.max(200, 8 * Runtime.getRuntime().availableProcessors());
    }

    public int limit() {
        return limit;
    }

    /** Takes a place for a request; false (and nothing taken) when the replica is at capacity. */
    public boolean tryEnter() {
        while (true) {
            int current = inProgress.get();
            if (current >= limit) {
                return false;
            }
            if (inProgress.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Takes a place for work that was already accepted (a hub invocation a connection queued): it is
     * never refused, but counts, so new requests yield to it.
     */
    void enter() {
        inProgress.incrementAndGet();
    }

    /** Gives back a place taken by {@link #tryEnter()} or {@link #enter()}. */
    public void exit() {
        inProgress.decrementAndGet();
    }

    int inProgress() {
        return inProgress.get();
    }
}
