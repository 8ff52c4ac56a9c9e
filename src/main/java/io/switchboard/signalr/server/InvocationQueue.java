package io.switchboard.signalr.server;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * One connection's hub work, run one task at a time in arrival order on the shared worker pool, so a
 * connection's invocations keep the order the client sent them without a thread per connection.
 *
 * <p>Invocations are bounded (ASP.NET Core bounds them too, by not reading the next message): at most
 * {@code capacity} are waiting or running. The connection handler asks {@link #room()} before it
 * parses more input and stops reading the connection at zero; {@code onRoom} tells it when an
 * invocation finished and reading may go on. Lifecycle tasks (OnConnected, OnDisconnected) are not
 * counted and never dropped; {@link #dropWaiting()} forgets the invocations of a closed connection.
 */
final class InvocationQueue implements Executor {

    private record Task(Runnable work, boolean invocation) {
    }

    private final ArrayDeque<Task> tasks = new ArrayDeque<>();
    private final Executor pool;
    private final int capacity;
    private final Runnable onRoom;
    private int invocations;
    private boolean running;
    private boolean full;

    /**
     * @param onRoom called, outside this queue's lock, when an invocation finishes after {@link #room()}
     *               reported none left
     */
    InvocationQueue(Executor pool, int capacity, Runnable onRoom) {
        this.pool = pool;
        this.capacity = capacity;
        this.onRoom = onRoom;
    }

    /** How many more invocations may be queued now; zero also arms {@code onRoom}. */
    synchronized int room() {
        int room = Math.max(0, capacity - invocations);
        if (room == 0) {
            full = true;
        }
        return room;
    }

    /** Queues a hub invocation; the caller checked {@link #room()} first. */
    void submit(Runnable invocation) {
        enqueue(new Task(invocation, true));
    }

    /** Queues connection lifecycle work, which always runs. */
    @Override
    public void execute(Runnable lifecycle) {
        enqueue(new Task(lifecycle, false));
    }

    /** The connection is gone: invocations that have not started never will. */
    synchronized void dropWaiting() {
        int before = tasks.size();
        tasks.removeIf(Task::invocation);
        invocations -= before - tasks.size();
    }

    synchronized int waitingOrRunning() {
        return invocations;
    }

    private synchronized void enqueue(Task task) {
        tasks.add(task);
        if (task.invocation()) {
            invocations++;
        }
        if (!running) {
            runNext();
        }
    }

    // Called with the lock held.
    private void runNext() {
        Task next = tasks.poll();
        running = next != null;
        if (next != null) {
            pool.execute(() -> run(next));
        }
    }

    private void run(Task task) {
        boolean roomAgain = false;
        try {
            task.work().run();
        } finally {
            synchronized (this) {
                if (task.invocation()) {
                    invocations--;
                    if (full && invocations < capacity) {
                        full = false;
                        roomAgain = true;
                    }
                }
                runNext();
            }
        }
        if (roomAgain) {
            onRoom.run();
        }
    }
}
