package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.HubMessage;
import io.switchboard.signalr.protocol.HubProtocol;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything the server knows about one connection: identity, chosen protocol, groups, items, and
 * the single write path to its transport (as ASP.NET Core's HubConnectionContext).
 */
public final class HubConnectionContext {

    private final String connectionId;
    private final String hubName;
    private final HubUser user;
    private final Transport transport;
    private final Executor invocations;
    private final long openedAtNanos = System.nanoTime();
    private final Map<String, Object> items = new ConcurrentHashMap<>();
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile HubProtocol protocol;
    private volatile long lastSentNanos = openedAtNanos;
    private volatile long lastReceivedNanos = openedAtNanos;

    // Bytes received but not yet parsed; touched only by the transport's inbound thread.
    private byte[] pending = new byte[0];

    HubConnectionContext(String connectionId, String hubName, HubUser user, Transport transport, Executor invocations) {
        this.connectionId = connectionId;
        this.hubName = hubName;
        this.user = user;
        this.transport = transport;
        this.invocations = invocations;
    }

    public String connectionId() {
        return connectionId;
    }

    public String hubName() {
        return hubName;
    }

    public HubUser user() {
        return user;
    }

    public String transportName() {
        return transport.name();
    }

    boolean hasInherentKeepAlive() {
        return transport.hasInherentKeepAlive();
    }

    /** Per-connection state a hub may keep (ASP.NET Core's {@code Context.Items}). */
    public Map<String, Object> items() {
        return items;
    }

    /** The groups this connection is in, kept here so a disconnect can leave them all. */
    public Set<String> groups() {
        return groups;
    }

    public HubProtocol protocol() {
        return protocol;
    }

    boolean handshakeCompleted() {
        return protocol != null;
    }

    void completeHandshake(HubProtocol chosen) {
        this.protocol = chosen;
    }

    Executor invocations() {
        return invocations;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Sends one message to this connection; ignored once the connection is closed. */
    public void write(HubMessage message) {
        write(new SerializedHubMessage(message));
    }

    /** Sends an already serialized message; the frame is shared with every other receiver. */
    public void write(SerializedHubMessage message) {
        HubProtocol current = protocol;
        if (current == null || closed.get()) {
            return;
        }
        writeFrame(message.frameFor(current));
    }

    void writeFrame(EncodedFrame frame) {
        if (closed.get()) {
            return;
        }
        lastSentNanos = System.nanoTime();
        transport.send(frame);
    }

    /**
     * Ends the connection, telling the client why first when the handshake is done. Safe to call
     * more than once; only the first call has an effect.
     */
    public void close(CloseMessage reason) {
        HubProtocol current = protocol;
        if (current != null && !closed.get()) {
            writeFrame(new SerializedHubMessage(reason).frameFor(current));
        }
        abort();
    }

    /** Closes the transport without a Close message. */
    public void abort() {
        if (closed.compareAndSet(false, true)) {
            transport.close();
        }
    }

    void markReceived() {
        lastReceivedNanos = System.nanoTime();
    }

    long nanosSinceLastSent(long now) {
        return now - lastSentNanos;
    }

    long nanosSinceLastReceived(long now) {
        return now - lastReceivedNanos;
    }

    long nanosSinceOpened(long now) {
        return now - openedAtNanos;
    }

    /** Appends inbound bytes behind any incomplete message and returns everything unparsed. */
    ByteBuffer appendInbound(byte[] data) {
        if (pending.length == 0) {
            return ByteBuffer.wrap(data);
        }
        byte[] joined = Arrays.copyOf(pending, pending.length + data.length);
        System.arraycopy(data, 0, joined, pending.length, data.length);
        return ByteBuffer.wrap(joined);
    }

    /** Keeps what the parser left unread for the next frame. */
    void retainUnparsed(ByteBuffer buffer) {
        pending = buffer.hasRemaining()
                ? Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + buffer.position(),
                        buffer.arrayOffset() + buffer.limit())
                : new byte[0];
    }

    @Override
    public String toString() {
        return "connection " + connectionId + " (user " + user.id() + ", hub " + hubName + ")";
    }
}
