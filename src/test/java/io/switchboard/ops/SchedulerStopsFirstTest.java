package io.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scheduler is paused by the very first shutdown observer, so no job fires while the beans it uses
 * are being destroyed (a CI run logged two ERRORs from jobs fired then).
 */
@QuarkusTest
class SchedulerStopsFirstTest {

    @Inject
    BeanManager beans;

    @Inject
    Scheduler scheduler;

    @Inject
    SchedulerStopsFirst stopsFirst;

    @Test
    void theFirstShutdownObserverPausesTheScheduler() {
        List<ObserverMethod<? super ShutdownEvent>> observers = beans.resolveObserverMethods(new ShutdownEvent())
                .stream().sorted(Comparator.comparingInt(ObserverMethod::getPriority)).toList();
        int pausing = observers.stream().filter(observer -> observer.getBeanClass() == SchedulerStopsFirst.class)
                .mapToInt(ObserverMethod::getPriority).findFirst().orElseThrow();
        assertEquals(List.of(), observers.stream().filter(observer -> observer.getPriority() <= pausing)
                .map(ObserverMethod::getBeanClass).filter(bean -> bean != SchedulerStopsFirst.class).toList(),
                "observers of shutdown before or beside the one that pauses the scheduler");

        assertTrue(scheduler.isRunning());
        try {
            stopsFirst.pause(new ShutdownEvent(), scheduler);
            assertFalse(scheduler.isRunning(), "no job fires from then on");
        } finally {
            scheduler.resume();
        }
    }
}
