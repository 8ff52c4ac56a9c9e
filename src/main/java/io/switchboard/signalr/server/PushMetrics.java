package io.switchboard.signalr.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The push metrics of one hub: {@code signalr.messages.pushed} counts frames handed to connections, and
 * {@code signalr.push.latency} times each fan-out from the send (which the application issues right
 * after the commit that caused it) to the frame handed to the last receiving connection's transport,
 * on every replica that delivers it: across replicas the time includes the backplane. Clocks of
 * different replicas are assumed in sync (NTP); a negative difference counts as zero.
 */
final class PushMetrics implements MessageCounter {

    private final Counter pushed;
    private final Timer latency;

    PushMetrics(String hub, MeterRegistry registry) {
        this.pushed = Counter.builder("signalr.messages.pushed")
                .description("Messages written to connections").tag("hub", hub).register(registry);
        this.latency = Timer.builder("signalr.push.latency")
                .description("From the send (right after the commit) to the frame handed to each replica's connections")
                .tag("hub", hub)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    @Override
    public void pushed(SerializedHubMessage message, int connections) {
        pushed.increment(connections);
        long sentAt = message.sentAtEpochMicros();
        if (sentAt > 0) {
            latency.record(Math.max(0, SerializedHubMessage.nowEpochMicros() - sentAt), TimeUnit.MICROSECONDS);
        }
    }
}
