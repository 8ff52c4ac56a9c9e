package io.switchboard.signalr.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@code signalr.connections} gauge: open connections by hub and transport. */
final class ConnectionGauges {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    ConnectionGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void connected(String hub, String transport) {
        count(hub, transport).incrementAndGet();
    }

    void disconnected(String hub, String transport) {
        count(hub, transport).decrementAndGet();
    }

    private AtomicInteger count(String hub, String transport) {
        return counts.computeIfAbsent(hub + "|" + transport, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("signalr.connections", value, AtomicInteger::get)
                    .description("Open SignalR connections")
                    .tag("hub", hub).tag("transport", transport)
                    .register(registry);
            return value;
        });
    }
}
