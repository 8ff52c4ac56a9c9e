package io.switchboard.account;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.concurrent.Semaphore;

/**
 * Bounds the password checks in progress on this replica ({@link AccountsConfig#concurrentPasswordChecks()}):
 * bcrypt is deliberately costly CPU work, and a flood of sign-ins with made-up usernames must not take
 * the processors from everything else. A sign-in that finds no free slot is refused, never queued.
 * An unknown username's imitated check takes a slot too, so a busy replica answers both alike.
 */
@Singleton
class PasswordCheckSlots {

    private final int limit;
    private final Semaphore slots;
    private final Counter refused;

    PasswordCheckSlots(AccountsConfig config, MeterRegistry metrics) {
        this.limit = config.concurrentPasswordChecks()
                .orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        this.slots = new Semaphore(limit);
        Gauge.builder("switchboard.sign.in.checks.in.progress", slots, free -> limit - free.availablePermits())
                .description("Password checks in progress (imitated ones for unknown usernames included)")
                .register(metrics);
        this.refused = Counter.builder("switchboard.sign.in.checks.refused")
                .description("Sign-ins refused with 429 because every password-check slot was busy")
                .register(metrics);
    }

    int limit() {
        return limit;
    }

    /** Takes a slot; false, and nothing taken, when all are busy. */
    boolean tryEnter() {
        if (slots.tryAcquire()) {
            return true;
        }
        refused.increment();
        return false;
    }

    void exit() {
        slots.release();
    }
}
