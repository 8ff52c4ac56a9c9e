package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/** Recorded durations in nanoseconds and their percentiles (exact: every sample is kept). */
final class Latencies {
    private long[] samples = new long[1024];
    private int count;

    synchronized void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    /** The value at quantile q (0..1) in milliseconds, NaN when empty. */
    synchronized double millis(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
        return sorted[index] / 1e6;
    }

    JsonObject json() {
        return new JsonObject().put("n", count()).put("p50_ms", round(millis(0.5))).put("p90_ms", round(millis(0.9)))
                .put("p99_ms", round(millis(0.99))).put("max_ms", round(millis(1.0)));
    }

    static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
    }
}
