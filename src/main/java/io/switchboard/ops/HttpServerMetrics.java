package io.switchboard.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;

/**
 * Buckets for {@code http_server_requests_seconds}, so dashboards can show REST latency percentiles
 * summed over replicas. A handful of fixed buckets rather than a full percentile histogram: the
 * metric is tagged by method, URI template and status, and each tag combination pays for every bucket.
 * Long Polling and Server-Sent Events requests on the hub paths are held open by design; dashboards
 * leave {@code uri=~"/hubs/.*"} out of latency panels.
 */
@Singleton
class HttpServerMetrics {

    private static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    private static final Set<String> ONE_SERVER_OUT_OF_TWO = Set.of("http.server.active.connections",
            "http.server.active.requests");

    @Produces
    @Singleton
    MeterFilter httpServerRequestBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_SERVER_REQUESTS)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(nanos(5), nanos(10), nanos(25), nanos(50), nanos(100), nanos(250),
                                nanos(500), nanos(1000), nanos(2500), nanos(5000), nanos(10000))
                        .build()
                        .merge(config);
            }
        };
    }

    /**
     * Quarkus registers the gauges {@code http.server.active.connections} and
     * {@code http.server.active.requests} for each HTTP server with the same tags, and this service runs
     * two (clients, and the management interface): each gauge showed one of them, whichever came first,
     * and the second registration warned at every start. Nothing reads them; the connections that
     * matter are the hubs' ({@code signalr.connections}), the requests {@code http.server.requests}
     * and {@code switchboard.in.progress}.
     */
    @Produces
    @Singleton
    MeterFilter noGaugesOfOneServerOutOfTwo() {
        return MeterFilter.deny(id -> ONE_SERVER_OUT_OF_TWO.contains(id.getName()));
    }

    private static double nanos(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
