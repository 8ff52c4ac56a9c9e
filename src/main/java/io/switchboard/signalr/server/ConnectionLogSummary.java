package io.switchboard.signalr.server;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.StringJoiner;
import org.jboss.logging.Logger;

/**
 * Each connect and disconnect is logged at DEBUG; at INFO the log gets this summary instead, at most
 * once a minute and only when connections came or went (docs/api.md §8 "Health, logs and shutdown"),
 * so a busy replica does not write a line per client.
 */
@ApplicationScoped
class ConnectionLogSummary {

    private static final Logger LOG = Logger.getLogger(ConnectionLogSummary.class);

    private final ConnectionMetrics metrics;

    ConnectionLogSummary(ConnectionMetrics metrics) {
        this.metrics = metrics;
    }

    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void summarize() {
        String line = summary(metrics.takeActivity());
        if (line != null) {
            LOG.info(line);
        }
    }

    /** The summary line, or null when no connection came or went. */
    static String summary(Map<String, ConnectionMetrics.Activity> activity) {
        boolean changed = activity.values().stream().anyMatch(hub -> hub.connected() > 0 || hub.disconnected() > 0);
        if (!changed) {
            return null;
        }
        StringJoiner hubs = new StringJoiner("; ", "Connections in the last minute: ", "");
        activity.forEach((hub, counts) -> hubs.add(String.format("hub %s %d open, %d connected, %d disconnected",
                hub, counts.open(), counts.connected(), counts.disconnected())));
        return hubs.toString();
    }
}
