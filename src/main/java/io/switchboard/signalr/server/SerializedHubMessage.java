package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.HubMessage;
import io.switchboard.signalr.protocol.HubProtocol;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A message on its way to many connections: serialized lazily, at most once per protocol, however
 * many connections receive it (as ASP.NET Core's SerializedHubMessage).
 */
public final class SerializedHubMessage {

    private final HubMessage message;
    private final boolean sequenced;
    private final ConcurrentMap<String, EncodedFrame> frames = new ConcurrentHashMap<>(2);

    public SerializedHubMessage(HubMessage message) {
        this(message, ReplayBuffer.isSequenced(message));
    }

    private SerializedHubMessage(HubMessage message, boolean sequenced) {
        this.message = message;
        this.sequenced = sequenced;
    }

    /**
     * An invocation that arrived already serialized (from another replica), one frame per protocol.
     * Only the given protocols can be written. It counts for stateful reconnect like a local one.
     */
    public static SerializedHubMessage preEncoded(java.util.Map<String, EncodedFrame> framesByProtocol) {
        SerializedHubMessage serialized = new SerializedHubMessage(null, true);
        serialized.frames.putAll(framesByProtocol);
        return serialized;
    }

    public HubMessage message() {
        return message;
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
