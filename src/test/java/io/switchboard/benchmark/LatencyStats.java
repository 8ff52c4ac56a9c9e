package io.switchboard.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Percentiles of a set of samples in nanoseconds, printed and written under target/benchmarks. */
final class LatencyStats {

    private final String name;
    private final long[] sortedNanos;

    LatencyStats(String name, long[] nanos) {
        this.name = name;
        this.sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
    }

    double percentileMillis(double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1_000_000.0;
    }

    String summary() {
        return String.format(Locale.ROOT, "%s: n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms",
                name, sortedNanos.length, percentileMillis(50), percentileMillis(90), percentileMillis(99),
                sortedNanos[sortedNanos.length - 1] / 1_000_000.0);
    }

    void report() throws IOException {
        String line = summary();
        System.out.println("BENCHMARK " + line);
        Path dir = Path.of("target/benchmarks");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".txt"), line + System.lineSeparator());
    }
}
