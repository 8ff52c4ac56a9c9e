package io.switchboard.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the body of a {@code @Scheduled} method only while the application runs and only when its
 * previous run has finished. Quarkus offers both ({@code skipExecutionIf = ApplicationNotRunning},
 * {@code ConcurrentExecution.SKIP}), but each skip fires a {@code SkippedExecution} CDI event, and a
 * skip in the moments after shutdown began fails to fire it and logs an ERROR (seen in CI). Skipping
 * here fires nothing. ({@link SchedulerStopsFirst} makes those moments rare: no job fires once
 * shutdown began, but one fired just before may still be on its way.)
 */
@ApplicationScoped
public class ScheduledJobs {

    private volatile boolean running;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

    void started(@Observes StartupEvent event) {
        running = true;
    }

    /** Before any other shutdown observer, so no job starts while beans are being stopped. */
    void stopping(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        running = false;
    }

    /**
     * Runs {@code body} unless the application is not running (not started yet, or stopping) or a run
     * of the same {@code job} is still going. Returns whether it ran.
     */
    public boolean runAlone(String job, Runnable body) {
        if (!running || !inProgress.add(job)) {
            return false;
        }
        try {
            body.run();
            return true;
        } finally {
            inProgress.remove(job);
        }
    }
}
