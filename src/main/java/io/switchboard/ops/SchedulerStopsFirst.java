package io.switchboard.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Pauses the scheduler as shutdown begins. Left alone it keeps firing until the container destroys it,
 * which comes after every application-scoped bean is destroyed; a job fired meanwhile finds its beans,
 * the executor or the event bus already gone and logs an ERROR.
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
