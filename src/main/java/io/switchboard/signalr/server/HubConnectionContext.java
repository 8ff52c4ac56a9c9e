package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.AckMessage;
import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.HubMessage;
import io.switchboard.signalr.protocol.HubProtocol;
import io.switchboard.signalr.protocol.SequenceMessage;
import io.switchboard.signalr.protocol.TransferFormat;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Everything the server knows about one connection: identity, chosen protocol, groups, items, and
 * the single write path to its transport (as ASP.NET Core's HubConnectionContext).
 *
 * <p>With stateful reconnect the transport may change: it is dropped ({@link #detach}) when the
 * network fails and replaced ({@link #reattach}) when the client comes back, while the connection,
 * its groups and items live on. Every write goes through one lock, so sequence numbers, the replay
 * buffer and the order of frames on the wire always agree.
 */
public final class HubConnectionContext {

    private static final int INBOUND_KEPT_CAPACITY = 8192;

    private final String connectionId;
    private final String hubName;
    private final HubPrincipal user;
    private final String transportName;
    private final boolean statefulReconnectAllowed;
    private final InvocationQueue invocations;
    private final long openedAtNanos = System.nanoTime();
    private final Map<String, Object> items = new ConcurrentHashMap<>();
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    // Lock order: inboundLock, then writeLock, then the ReplayBuffer's own monitor.
    private final Object inboundLock = new Object();
    private final Object writeLock = new Object();
    private volatile HubProtocol protocol;
    private volatile ReplayBuffer replay;
    private volatile Transport transport;
    private volatile long detachedAtNanos;
    private volatile long lastSentNanos = openedAtNanos;
    private volatile long lastReceivedNanos = openedAtNanos;

    // Bytes received but not yet parsed, inbound[0..inboundLength); guarded by inboundLock.
    private byte[] inbound = new byte[0];
    private int inboundLength;
    // The server stopped reading this connection because its invocation queue is full; guarded by inboundLock.
    private volatile boolean readingPaused;

    /** A connection whose invocations are not bounded (tests of the write path). */
    HubConnectionContext(String connectionId, String hubName, HubPrincipal user, Transport transport, Executor workerPool,
                         boolean statefulReconnectAllowed) {
        this(connectionId, hubName, user, transport, workerPool, Integer.MAX_VALUE, statefulReconnectAllowed,
                connection -> { });
    }

    /**
     * @param invocationCapacity hub invocations that may wait or run at once (docs/api.md, "Limits")
     * @param onInvocationRoom   told when an invocation finished after the queue was full, so reading may go on
     */
    HubConnectionContext(String connectionId, String hubName, HubPrincipal user, Transport transport, Executor workerPool,
                         int invocationCapacity, boolean statefulReconnectAllowed,
                         Consumer<HubConnectionContext> onInvocationRoom) {
        this.connectionId = connectionId;
        this.hubName = hubName;
        this.user = user;
        this.transport = transport;
        this.transportName = transport.name();
        this.invocations = new InvocationQueue(workerPool, invocationCapacity, () -> onInvocationRoom.accept(this));
        this.statefulReconnectAllowed = statefulReconnectAllowed;
    }

    public String connectionId() {
        return connectionId;
    }

    public String hubName() {
        return hubName;
    }

    public HubPrincipal user() {
        return user;
    }

    public String transportName() {
        return transportName;
    }

    boolean hasInherentKeepAlive() {
        Transport current = transport;
        return current != null && current.hasInherentKeepAlive();
    }

    /** Whether the transport in use can carry frames of {@code format}. */
    boolean transportCarries(TransferFormat format) {
        Transport current = transport;
        return current == null || current.carries(format);
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

    /**
     * @param replayBuffer non-null when the handshake turned stateful reconnect on (negotiated, and
     *                     hub protocol version 2 or later)
     */
    void completeHandshake(HubProtocol chosen, ReplayBuffer replayBuffer) {
        this.replay = replayBuffer;
        this.protocol = chosen;
    }

    /** Negotiate granted {@code useStatefulReconnect} and the transport can be replaced. */
    boolean statefulReconnectAllowed() {
        return statefulReconnectAllowed;
    }

    /** Stateful reconnect is on: the connection survives its transport dropping. */
    boolean isStateful() {
        return replay != null;
    }

    InvocationQueue invocations() {
        return invocations;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Sends one message to this connection; ignored once the connection is closed. */
    public void write(HubMessage message) {
        write(new SerializedHubMessage(message));
    }

    /**
     * Sends an already serialized message; the frame is shared with every other receiver. On a
     * stateful connection an invocation message is also kept for replay, and sent only while a
     * transport is attached; when the replay buffer is full the connection is closed instead.
     */
    public void write(SerializedHubMessage message) {
        HubProtocol current = protocol;
        if (current == null || closed.get()) {
            return;
        }
        EncodedFrame frame = message.frameFor(current);
        ReplayBuffer buffer = replay;
        if (buffer == null || !message.isSequenced()) {
            writeFrame(frame);
            return;
        }
        boolean kept;
        synchronized (writeLock) {
            kept = buffer.add(frame);
            if (kept) {
                send(frame);
            }
        }
        if (!kept) {
            close(CloseMessage.error(
                    "Connection closed with an error. Too many messages were sent without being acknowledged."));
        }
    }

    void writeFrame(EncodedFrame frame) {
        synchronized (writeLock) {
            send(frame);
        }
    }

    // Called with writeLock held.
    private void send(EncodedFrame frame) {
        Transport current = transport;
        if (current == null || closed.get()) {
            return;
        }
        lastSentNanos = System.nanoTime();
        current.send(frame);
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
            Transport current;
            // Read under the write lock: a reattach in progress either sees 'closed' or has already
            // put its transport in place, which is then the one closed here.
            synchronized (writeLock) {
                current = transport;
            }
            if (current != null) {
                current.close();
            }
        }
    }

    // ---------------------------------------------------------------- stateful reconnect

    /** Whether {@code candidate} is the transport this connection uses now. */
    boolean isAttachedTo(Transport candidate) {
        return transport == candidate;
    }

    /** A stateful connection whose transport dropped and which waits for the client to come back. */
    boolean isDetached() {
        return transport == null;
    }

    long nanosSinceDetached(long now) {
        return now - detachedAtNanos;
    }

    /**
     * The transport dropped without a close handshake: keep the connection, buffering what is sent
     * meanwhile. False (nothing changed) unless the connection is stateful, open, and still on
     * {@code lost}.
     */
    boolean detach(Transport lost) {
        synchronized (writeLock) {
            if (replay == null || closed.get() || transport != lost) {
                return false;
            }
            transport = null;
            detachedAtNanos = System.nanoTime();
            return true;
        }
    }

    /**
     * The client is back on {@code replacement}: send Sequence, then every unacknowledged message in
     * order, and ignore what the client sends until its own Sequence (HubProtocol.md, "Sequence
     * messages and reconnect"). A previous transport the server had not yet seen drop is closed.
     * False when the connection cannot continue (not stateful, or already closed).
     */
    boolean reattach(Transport replacement) {
        Transport previous;
        synchronized (inboundLock) {
            synchronized (writeLock) {
                ReplayBuffer buffer = replay;
                if (buffer == null || closed.get()) {
                    return false;
                }
                previous = transport;
                transport = replacement;
                inboundLength = 0;
                if (readingPaused) {
                    replacement.pauseReading();
                }
                buffer.expectSequence();
                send(new SerializedHubMessage(new SequenceMessage(buffer.resendFrom())).frameFor(protocol));
                for (EncodedFrame frame : buffer.unacknowledgedFrames()) {
                    send(frame);
                }
            }
        }
        markReceived();
        if (previous != null) {
            previous.close();
        }
        return true;
    }

    /**
     * Applies stateful-reconnect bookkeeping to a received message: Ack and Sequence are consumed
     * here, duplicates and anything before an awaited Sequence are dropped. True when the message
     * is to be dispatched.
     *
     * @throws io.switchboard.signalr.protocol.HubProtocolException for a Sequence ahead of what was received
     */
    boolean acceptInbound(HubMessage message) {
        ReplayBuffer buffer = replay;
        if (buffer == null) {
            return true;
        }
        if (!buffer.shouldProcess(message)) {
            return false;
        }
        if (message instanceof AckMessage ack) {
            buffer.acknowledge(ack.sequenceId());
            return false;
        }
        if (message instanceof SequenceMessage sequence) {
            buffer.resetSequence(sequence.sequenceId());
            return false;
        }
        return true;
    }

    /** Sends an Ack when messages arrived since the last one (ASP.NET Core acks once a second too). */
    void acknowledgeReceived() {
        ReplayBuffer buffer = replay;
        if (buffer == null) {
            return;
        }
        synchronized (writeLock) {
            if (transport == null || closed.get()) {
                return;
            }
            OptionalLong due = buffer.acknowledgementDue();
            if (due.isPresent()) {
                send(new SerializedHubMessage(new AckMessage(due.getAsLong())).frameFor(protocol));
            }
        }
    }

    /** How many sent messages wait for the client's Ack (0 without stateful reconnect). */
    int unacknowledgedCount() {
        ReplayBuffer buffer = replay;
        return buffer == null ? 0 : buffer.size();
    }

    // ---------------------------------------------------------------- timing and inbound bytes

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

    /** Inbound bytes are handled one transport read at a time, and never during a reattach. */
    Object inboundLock() {
        return inboundLock;
    }

    /** Appends inbound bytes behind any unparsed ones (amortized: the buffer grows by doubling). */
    void appendInbound(byte[] data) {
        if (inbound.length - inboundLength < data.length) {
            inbound = Arrays.copyOf(inbound, Math.max(inbound.length * 2, inboundLength + data.length));
        }
        System.arraycopy(data, 0, inbound, inboundLength, data.length);
        inboundLength += data.length;
    }

    /** Everything received and not yet parsed. */
    ByteBuffer unparsedInbound() {
        return ByteBuffer.wrap(inbound, 0, inboundLength);
    }

    int unparsedInboundSize() {
        return inboundLength;
    }

    /** Keeps what the parser left unread (from the buffer's position) for the next read. */
    void retainUnparsed(ByteBuffer buffer) {
        int left = buffer.remaining();
        if (left > 0 && buffer.position() > 0) {
            System.arraycopy(inbound, buffer.position(), inbound, 0, left);
        }
        inboundLength = left;
        if (left == 0 && inbound.length > INBOUND_KEPT_CAPACITY) {
            inbound = new byte[0]; // a large message passed: do not hold its buffer for the connection's life
        }
    }

    /** The invocation queue is full: stop reading the client until it drains (called under inboundLock). */
    void pauseReading() {
        if (!readingPaused) {
            readingPaused = true;
            Transport current = transport;
            if (current != null) {
                current.pauseReading();
            }
        }
    }

    /** Reading goes on (called under inboundLock). */
    void resumeReading() {
        if (readingPaused) {
            readingPaused = false;
            Transport current = transport;
            if (current != null) {
                current.resumeReading();
            }
        }
    }

    /** The server is not reading this client (its own doing, so the client timeout does not apply). */
    boolean isReadingPaused() {
        return readingPaused;
    }

    @Override
    public String toString() {
        return "connection " + connectionId + " (user " + user.userId() + ", hub " + hubName + ")";
    }
}
