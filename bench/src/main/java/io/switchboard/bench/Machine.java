package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU and memory from /proc over a measured window: the service's processes, the driver itself and
 * "others" (everything else the machine did, other engineers' builds and PostgreSQL included), each
 * as a percentage of one core, so a disturbed run shows it.
 */
final class Machine {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final List<Long> servicePids;

    Machine(List<Long> servicePids) {
        this.servicePids = servicePids;
    }

    /** A reading at one instant. */
    record Reading(long nanos, long serviceTicks, long driverTicks, long busyTicks) {
    }

    Reading read() {
        long service = 0;
        for (long pid : servicePids) {
            service += processTicks(pid);
        }
        return new Reading(System.nanoTime(), service, processTicks(ProcessHandle.current().pid()), machineBusyTicks());
    }

    /** CPU use between two readings, in % of one core. */
    static JsonObject cpu(Reading from, Reading to) {
        double seconds = (to.nanos - from.nanos) / 1e9;
        double service = (to.serviceTicks - from.serviceTicks) / TICKS_PER_SECOND / seconds * 100;
        double driver = (to.driverTicks - from.driverTicks) / TICKS_PER_SECOND / seconds * 100;
        double busy = (to.busyTicks - from.busyTicks) / TICKS_PER_SECOND / seconds * 100;
        return new JsonObject().put("service_cpu_pct", Math.round(service)).put("driver_cpu_pct", Math.round(driver))
                .put("others_cpu_pct", Math.max(0, Math.round(busy - service - driver))).put("seconds", Math.round(seconds * 10) / 10.0);
    }

    /** Resident memory of the service's processes, in KiB. */
    long serviceRssKib() {
        long total = 0;
        for (int i = 0; i < servicePids.size(); i++) {
            total += serviceRssKib(i);
        }
        return total;
    }

    /** VmRSS of the {@code index}-th service process (in the order of {@code --pids}); 0 when unknown. */
    long serviceRssKib(int index) {
        long total = 0;
        for (long pid : index < servicePids.size() ? List.of(servicePids.get(index)) : List.<Long>of()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                // the process is gone: counts as 0
            }
        }
        return total;
    }

    /**
     * The live heap of the {@code index}-th service process in KiB, read from a class histogram
     * ({@code jcmd <pid> GC.class_histogram}, which runs a full collection first); -1 when jcmd (beside
     * the driver's own java) or the process is not there. The collection moves the process's RSS, so
     * read RSS before this.
     */
    long liveHeapKib(int index) {
        if (index >= servicePids.size()) {
            return -1;
        }
        Path jcmd = ProcessHandle.current().info().command().map(java -> Path.of(java).resolveSibling("jcmd"))
                .filter(Files::isExecutable).orElse(null);
        if (jcmd == null) {
            return -1;
        }
        try {
            Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(servicePids.get(index)),
                    "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            for (String line : out.split("\n")) {
                if (line.startsWith("Total")) {
                    String[] fields = line.trim().split("\\s+");
                    return Long.parseLong(fields[2]) / 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                if (i != 4 && i != 5) { // not idle, iowait; guest time is already in user
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
