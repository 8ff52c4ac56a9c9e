package io.switchboard.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Pauses the scheduler as shutdown begins, before any other shutdown observer. Left alone it keeps
 * firing until the container destroys it, which comes after every application-scoped bean is destroyed;
 * a job fired meanwhile finds its beans or the executor gone, and a job skipped meanwhile
 * ({@code skipExecutionIf = ApplicationNotRunning}, {@code ConcurrentExecution.SKIP}) fails to fire its
 * {@code SkippedExecution} event: either logs an ERROR (a CI run failed on two of the latter).
 */
@ApplicationScoped
class SchedulerStopsFirst {

    void pause(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event, Scheduler scheduler) {
        // A scheduler switched off (quarkus.scheduler.enabled=false) never started, and refuses to pause.
        if (scheduler.isRunning()) {
            scheduler.pause();
        }
    }
}
