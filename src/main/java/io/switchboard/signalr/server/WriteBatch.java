package io.switchboard.signalr.server;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Hands the writes of one message to many connections to each event loop as one task, not one per
 * connection. A group of 1,000 members costs its event loop one task that writes 1,000 frames,
 * instead of 1,000 tasks queued, each woken and run on its own (ASP.NET Core SignalR's Redis and
 * default lifetime managers write a group message to each connection in one loop, too).
 *
 * <p>Opened by the thread that sends ({@link #open()}, try-with-resources); while it is open on that
 * thread, {@link #run(Executor, Runnable)} collects the work by executor instead of executing it, and
 * {@link #close()} hands each executor its collected work as one task, in the order it was asked
 * for. Outside a batch {@link #run} executes at once. Batches opened inside a batch join it.
 */
public final class WriteBatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WriteBatch.class);
    private static final ThreadLocal<WriteBatch> OPEN = new ThreadLocal<>();

    private final Map<Executor, List<Runnable>> work = new IdentityHashMap<>();
    private int depth = 1;

    private WriteBatch() {
    }

    /** Opens a batch on this thread, or joins the one already open. */
    public static WriteBatch open() {
        WriteBatch current = OPEN.get();
        if (current != null) {
            current.depth++;
            return current;
        }
        WriteBatch batch = new WriteBatch();
        OPEN.set(batch);
        return batch;
    }

    /** Runs {@code action} on {@code executor}: with the batch open on this thread, when it closes. */
    public static void run(Executor executor, Runnable action) {
        WriteBatch batch = OPEN.get();
        if (batch == null) {
            handOver(executor, action, 1);
        } else {
            batch.work.computeIfAbsent(executor, ignored -> new ArrayList<>()).add(action);
        }
    }

    @Override
    public void close() {
        if (--depth > 0) {
            return;
        }
        OPEN.remove();
        for (Map.Entry<Executor, List<Runnable>> entry : work.entrySet()) {
            List<Runnable> actions = entry.getValue();
            handOver(entry.getKey(), actions.size() == 1 ? actions.get(0) : () -> runAll(actions), actions.size());
        }
    }

    private static void handOver(Executor executor, Runnable task, int writes) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // An event loop shutting down: its connections are closing; the other loops still get theirs.
            LOG.debugf("An executor refused %d writes: %s", writes, e.getMessage());
        }
    }

    private static void runAll(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // One connection's failure must not cost the others their frames.
                LOG.warnf(e, "A batched write failed");
            }
        }
    }
}
