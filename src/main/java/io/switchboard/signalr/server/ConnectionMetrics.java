package io.switchboard.signalr.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happens to connections, for dashboards and the log: the {@code signalr.connections} gauge (open
 * connections by hub and transport), the {@code signalr.handshakes} counter (by hub and outcome), and
 * the connects and disconnects since the last log summary ({@link ConnectionLogSummary}).
 */
@Singleton
class ConnectionMetrics {

    /** How a handshake ended. */
    enum Handshake {
        OK("ok"), FAILED("failed"), TIMEOUT("timeout");

        private final String tag;

        Handshake(String tag) {
            this.tag = tag;
        }
    }

    /** Connects and disconnects of one hub since the last summary, and how many are open now. */
    record Activity(int open, long connected, long disconnected) {
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> handshakes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> connectedSinceSummary = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> disconnectedSinceSummary = new ConcurrentHashMap<>();

    ConnectionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void connected(String hub, String transport) {
        gauge(hub, transport).incrementAndGet();
        tally(connectedSinceSummary, hub).incrementAndGet();
    }

    void disconnected(String hub, String transport) {
        gauge(hub, transport).decrementAndGet();
        tally(disconnectedSinceSummary, hub).incrementAndGet();
    }

    void handshake(String hub, Handshake outcome) {
        handshakes.computeIfAbsent(hub + "|" + outcome.tag, key -> Counter.builder("signalr.handshakes")
                .description("SignalR handshakes by outcome: ok, failed (bad request, unknown protocol), timeout")
                .tag("hub", hub).tag("outcome", outcome.tag)
                .register(registry)).increment();
    }

    /**
     * Per hub, connections open now and connects and disconnects since the previous call (which
     * resets them); hubs with nothing open and nothing happening are left out.
     */
    Map<String, Activity> takeActivity() {
        Map<String, Integer> openByHub = new TreeMap<>();
        open.forEach((key, count) -> openByHub.merge(key.substring(0, key.indexOf('|')), count.get(), Integer::sum));
        Map<String, Activity> activity = new TreeMap<>();
        for (String hub : openByHub.keySet()) {
            long connected = tally(connectedSinceSummary, hub).getAndSet(0);
            long disconnected = tally(disconnectedSinceSummary, hub).getAndSet(0);
            int now = openByHub.get(hub);
            if (now > 0 || connected > 0 || disconnected > 0) {
                activity.put(hub, new Activity(now, connected, disconnected));
            }
        }
        return activity;
    }

    private AtomicInteger gauge(String hub, String transport) {
        return open.computeIfAbsent(hub + "|" + transport, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("signalr.connections", value, AtomicInteger::get)
                    .description("Open SignalR connections")
                    .tag("hub", hub).tag("transport", transport)
                    .register(registry);
            return value;
        });
    }

    private static AtomicLong tally(ConcurrentMap<String, AtomicLong> tallies, String hub) {
        return tallies.computeIfAbsent(hub, key -> new AtomicLong());
    }
}
