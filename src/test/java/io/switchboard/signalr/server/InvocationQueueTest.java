package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-connection invocation queue: order, its bound, the signal when room frees, and dropping. */
class InvocationQueueTest {

    /** A pool the test runs by hand, one task at a time. */
    private static final class ManualPool implements java.util.concurrent.Executor {
        final List<Runnable> submitted = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            submitted.add(task);
        }

        void runOne() {
            submitted.remove(0).run();
        }
    }

    @Test
    void invocationsRunOneAtATimeInOrder() {
        ManualPool pool = new ManualPool();
        List<Integer> ran = new ArrayList<>();
        InvocationQueue queue = new InvocationQueue(pool, 10, () -> { });
        for (int i = 0; i < 3; i++) {
            int n = i;
            queue.submit(() -> ran.add(n));
        }
        assertEquals(1, pool.submitted.size(), "one task at a time on the pool");
        pool.runOne();
        pool.runOne();
        pool.runOne();
        assertEquals(List.of(0, 1, 2), ran);
    }

    @Test
    void roomCountsWaitingAndRunningInvocationsAndSignalsWhenOneFinishesAfterFull() {
        ManualPool pool = new ManualPool();
        AtomicInteger signals = new AtomicInteger();
        InvocationQueue queue = new InvocationQueue(pool, 2, signals::incrementAndGet);
        assertEquals(2, queue.room());
        queue.submit(() -> { });
        queue.submit(() -> { });
        assertEquals(0, queue.room());
        queue.execute(() -> { }); // lifecycle work is not counted
        assertEquals(0, queue.room());

        pool.runOne();
        assertEquals(1, signals.get(), "the reader is told once there is room again");
        assertEquals(1, queue.room());
        pool.runOne();
        assertEquals(1, signals.get(), "no second signal without a full queue in between");
    }

    @Test
    void droppingForgetsWaitingInvocationsButKeepsLifecycleWork() {
        ManualPool pool = new ManualPool();
        List<String> ran = new ArrayList<>();
        InvocationQueue queue = new InvocationQueue(pool, 5, () -> { });
        queue.submit(() -> ran.add("running"));
        queue.submit(() -> ran.add("waiting 1"));
        queue.submit(() -> ran.add("waiting 2"));
        queue.execute(() -> ran.add("OnDisconnected"));

        queue.dropWaiting();
        while (!pool.submitted.isEmpty()) {
            pool.runOne();
        }
        assertEquals(List.of("running", "OnDisconnected"), ran);
        assertEquals(0, queue.waitingOrRunning());
    }
}
