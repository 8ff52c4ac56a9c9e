package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.HubMessage;
import io.switchboard.signalr.protocol.HubProtocol;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A message on its way to many connections: serialized lazily, at most once per protocol, however
 * many connections receive it (as ASP.NET Core's SerializedHubMessage). It remembers when it was
 * sent (wall clock, so another replica can tell how long it travelled) for the push latency metric.
 */
public final class SerializedHubMessage {

    private final HubMessage message;
    private final boolean sequenced;
    private final long sentAtEpochMicros;
    private final ConcurrentMap<String, EncodedFrame> frames = new ConcurrentHashMap<>(2);

    public SerializedHubMessage(HubMessage message) {
        this(message, ReplayBuffer.isSequenced(message), nowEpochMicros());
    }

    private SerializedHubMessage(HubMessage message, boolean sequenced, long sentAtEpochMicros) {
        this.message = message;
        this.sequenced = sequenced;
        this.sentAtEpochMicros = sentAtEpochMicros;
    }

    /**
     * An invocation that arrived already serialized (from another replica), one frame per protocol.
     * Only the given protocols can be written. It counts for stateful reconnect like a local one.
     *
     * @param sentAtEpochMicros when the sending replica sent it; 0 when unknown
     */
    public static SerializedHubMessage preEncoded(java.util.Map<String, EncodedFrame> framesByProtocol,
                                                  long sentAtEpochMicros) {
        SerializedHubMessage serialized = new SerializedHubMessage(null, true, sentAtEpochMicros);
        serialized.frames.putAll(framesByProtocol);
        return serialized;
    }

    public HubMessage message() {
        return message;
    }

    /** When the message was sent, in microseconds since the epoch; 0 when unknown. */
    public long sentAtEpochMicros() {
        return sentAtEpochMicros;
    }

    static long nowEpochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** Whether stateful reconnect numbers, buffers and replays this message (hub invocations do). */
    boolean isSequenced() {
        return sequenced;
    }

    public EncodedFrame frameFor(HubProtocol protocol) {
        return frames.computeIfAbsent(protocol.name(), name -> {
            if (message == null) {
                throw new IllegalStateException("No " + name + " frame was received for this message");
            }
            return new EncodedFrame(protocol.write(message), protocol.transferFormat());
        });
    }
}
