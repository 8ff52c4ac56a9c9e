package io.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScheduledJobsTest {

    private final ScheduledJobs jobs = new ScheduledJobs();
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void runsNothingBeforeStartOrAfterShutdownBegan() {
        assertFalse(jobs.runAlone("sweep", runs::incrementAndGet));
        jobs.started(null);
        assertTrue(jobs.runAlone("sweep", runs::incrementAndGet));
        jobs.stopping(null);
        assertFalse(jobs.runAlone("sweep", runs::incrementAndGet));
        assertEquals(1, runs.get());
    }

    @Test
    void skipsAJobWhoseLastRunIsStillGoingButNotOtherJobs() {
        jobs.started(null);
        boolean[] inner = new boolean[2];
        jobs.runAlone("sweep", () -> {
            inner[0] = jobs.runAlone("sweep", runs::incrementAndGet);
            inner[1] = jobs.runAlone("heartbeat", runs::incrementAndGet);
        });
        assertFalse(inner[0]);
        assertTrue(inner[1]);
        assertEquals(1, runs.get());
    }

    @Test
    void aRunThatFailsDoesNotBlockTheNext() {
        jobs.started(null);
        assertThrows(IllegalStateException.class, () -> jobs.runAlone("sweep", () -> {
            throw new IllegalStateException("database away");
        }));
        assertTrue(jobs.runAlone("sweep", runs::incrementAndGet));
    }
}
