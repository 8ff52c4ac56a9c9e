package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class WriteBatchTest {

    /** Counts the tasks it is given and runs them when asked, like an event loop's queue. */
    private static final class Loop implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            List<Runnable> due = List.copyOf(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    @Test
    void outsideABatchEachActionIsATaskOfItsOwn() {
        Loop loop = new Loop();
        List<Integer> done = new ArrayList<>();
        WriteBatch.run(loop, () -> done.add(1));
        WriteBatch.run(loop, () -> done.add(2));

        assertEquals(2, loop.tasks.size());
        loop.runAll();
        assertEquals(List.of(1, 2), done);
    }

    @Test
    void aBatchGivesEachExecutorOneTaskRunningItsActionsInOrder() {
        Loop first = new Loop();
        Loop second = new Loop();
        List<String> done = new ArrayList<>();
        try (WriteBatch ignored = WriteBatch.open()) {
            for (int i = 0; i < 1000; i++) {
                int n = i;
                WriteBatch.run(n % 2 == 0 ? first : second, () -> done.add((n % 2 == 0 ? "a" : "b") + n));
            }
            assertEquals(0, first.tasks.size() + second.tasks.size(), "nothing is handed over before the batch closes");
        }

        assertEquals(1, first.tasks.size());
        assertEquals(1, second.tasks.size());
        first.runAll();
        second.runAll();
        assertEquals(1000, done.size());
        assertEquals(List.of("a0", "a2", "a4"), done.subList(0, 3));
        assertEquals(List.of("b1", "b3", "b5"), done.subList(500, 503));
    }

    @Test
    void aBatchOpenedInsideABatchJoinsIt() {
        Loop loop = new Loop();
        try (WriteBatch outer = WriteBatch.open()) {
            try (WriteBatch inner = WriteBatch.open()) {
                WriteBatch.run(loop, () -> {
                });
            }
            assertEquals(0, loop.tasks.size(), "the inner batch's close does not hand over the outer one's work");
            WriteBatch.run(loop, () -> {
            });
        }
        assertEquals(1, loop.tasks.size());

        WriteBatch.run(loop, () -> {
        });
        assertEquals(2, loop.tasks.size(), "after the batch, actions are executed at once again");
    }

    @Test
    void oneFailingActionDoesNotStopTheOthers() {
        Loop loop = new Loop();
        List<Integer> done = new ArrayList<>();
        try (WriteBatch ignored = WriteBatch.open()) {
            WriteBatch.run(loop, () -> done.add(1));
            WriteBatch.run(loop, () -> {
                throw new IllegalStateException("closed channel");
            });
            WriteBatch.run(loop, () -> done.add(3));
        }
        loop.runAll();
        assertEquals(List.of(1, 3), done);
    }

    @Test
    void anExecutorThatRefusesDoesNotCostTheOthersTheirWork() {
        Executor shuttingDown = task -> {
            throw new java.util.concurrent.RejectedExecutionException("event loop shut down");
        };
        Loop running = new Loop();
        List<Integer> done = new ArrayList<>();
        try (WriteBatch ignored = WriteBatch.open()) {
            WriteBatch.run(shuttingDown, () -> done.add(1));
            WriteBatch.run(running, () -> done.add(2));
        }
        running.runAll();
        assertEquals(List.of(2), done);
    }
}
