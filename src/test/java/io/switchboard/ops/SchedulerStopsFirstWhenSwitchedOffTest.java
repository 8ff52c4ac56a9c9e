package io.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.pendingchange.DatabaseWorkPerApprovalTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * With the scheduler switched off (that test's profile) shutting down must not fail: pausing a scheduler
 * that never started throws, and CI caught the ERROR it logged at that application's shutdown.
 */
@QuarkusTest
@TestProfile(DatabaseWorkPerApprovalTest.Counting.class)
class SchedulerStopsFirstWhenSwitchedOffTest {

    @Inject
    Scheduler scheduler;

    @Inject
    SchedulerStopsFirst stopsFirst;

    @Test
    void aSchedulerThatNeverStartedIsLeftAlone() {
        assertFalse(scheduler.isRunning());
        assertDoesNotThrow(() -> stopsFirst.pause(new ShutdownEvent(), scheduler));
    }
}
