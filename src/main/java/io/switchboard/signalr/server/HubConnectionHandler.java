package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.HandshakeProtocol;
import io.switchboard.signalr.protocol.HandshakeRequest;
import io.switchboard.signalr.protocol.HubMessage;
import io.switchboard.signalr.protocol.HubProtocol;
import io.switchboard.signalr.protocol.HubProtocolException;
import io.switchboard.signalr.protocol.MessageTooLargeException;
import io.switchboard.signalr.protocol.PingMessage;
import io.switchboard.signalr.protocol.TransferFormat;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The life of every connection of one hub, whatever its transport: handshake, connected, read loop
 * with the size limit, dispatch, keep-alive and timeouts, disconnect (ASP.NET Core's
 * HubConnectionHandler). Transports call {@link #open}, {@link #onData} and {@link #onTransportClosed}.
 */
public final class HubConnectionHandler {

    private static final Logger LOG = Logger.getLogger(HubConnectionHandler.class);
    private static final SerializedHubMessage PING = new SerializedHubMessage(PingMessage.INSTANCE);
    private static final byte TEXT_SEPARATOR = 0x1e;
    private static final String HANDSHAKE_CANCELED = "Handshake was canceled.";

    private final Hub hub;
    private final HubLifetimeManager lifetimeManager;
    private final HubDispatcher dispatcher;
    private final HandshakeProtocol handshake;
    private final HubProtocolResolver protocols;
    private final SignalRConfig config;
    private final Executor workerPool;
    private final ConnectionMetrics metrics;
    private final ReplayBuffer.Limits replayLimits;
    private final int invocationQueueCapacity;
    private final ConnectionSlots slots;
    private final ConcurrentMap<String, HubConnectionContext> open = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    HubConnectionHandler(Hub hub, HubLifetimeManager lifetimeManager, HubDispatcher dispatcher,
                         HandshakeProtocol handshake, HubProtocolResolver protocols, SignalRConfig config,
                         Executor workerPool, int invocationQueueCapacity,
                         ConnectionSlots slots, ConnectionMetrics metrics) {
        this.slots = slots;
        this.invocationQueueCapacity = invocationQueueCapacity;
        this.hub = hub;
        this.lifetimeManager = lifetimeManager;
        this.dispatcher = dispatcher;
        this.handshake = handshake;
        this.protocols = protocols;
        this.config = config;
        this.workerPool = workerPool;
        this.metrics = metrics;
        this.replayLimits = new ReplayBuffer.Limits(config.statefulReconnect().bufferSize(),
                config.statefulReconnect().bufferMessages());
    }

    public Hub hub() {
        return hub;
    }

    /** A transport is attached: the handshake clock starts. */
    public HubConnectionContext open(String connectionId, HubPrincipal user, Transport transport) {
        return open(connectionId, user, transport, false);
    }

    /**
     * A transport is attached: the handshake clock starts.
     *
     * @param statefulReconnect negotiate granted {@code useStatefulReconnect} and the transport can
     *                          later be replaced through {@link #reattach}; a handshake of version 2
     *                          or later then turns stateful reconnect on
     */
    public HubConnectionContext open(String connectionId, HubPrincipal user, Transport transport, boolean statefulReconnect) {
        HubConnectionContext connection = new HubConnectionContext(connectionId, hub.name(), user, transport,
                workerPool, invocationQueueCapacity, statefulReconnect, this::onInvocationRoom);
        open.put(connectionId, connection);
        return connection;
    }

    /** Bytes from the client, in order; called on the transport's inbound thread. */
    public void onData(HubConnectionContext connection, byte[] data) {
        onData(connection, null, data);
    }

    /**
     * Bytes from the client that arrived on {@code from}; ignored when the connection has moved to
     * another transport meanwhile (a stateful reconnect replaced it).
     */
    public void onData(HubConnectionContext connection, Transport from, byte[] data) {
        synchronized (connection.inboundLock()) {
            if (connection.isClosed() || (from != null && !connection.isAttachedTo(from))) {
                return;
            }
            connection.markReceived();
            if (isLonePing(connection, data)) {
                return; // a client's keep-alive: receiving it was all it asked for
            }
            connection.appendInbound(data);
            int maxSize = config.maximumReceiveMessageSize();
            // A text message ends at a separator: without one in the new bytes nothing new is complete,
            // so a message sent a byte at a time is not parsed again and again (only its size is checked).
            if (!connection.isReadingPaused() && isText(connection) && indexOf(data, TEXT_SEPARATOR) < 0) {
                if (connection.unparsedInboundSize() > maxSize) {
                    closeWithError(connection, new MessageTooLargeException(maxSize));
                }
                return;
            }
            readInbound(connection);
        }
    }

    /**
     * The transport refused a frame or message too large for it to hold (its bound is above the hub's
     * message limit): the client hears what it would for any message over the limit.
     */
    public void onOversizedMessage(HubConnectionContext connection, Transport from) {
        synchronized (connection.inboundLock()) {
            if (!connection.isClosed() && connection.isAttachedTo(from)) {
                closeWithError(connection, new MessageTooLargeException(config.maximumReceiveMessageSize()));
            }
        }
    }

    /**
     * Parses and dispatches what was received, as far as the connection's invocation queue has room;
     * when it has none the server stops reading the client until an invocation finishes
     * (back-pressure). Called with the inbound lock held.
     */
    private void readInbound(HubConnectionContext connection) {
        int maxSize = config.maximumReceiveMessageSize();
        ByteBuffer input = connection.unparsedInbound();
        try {
            if (!connection.handshakeCompleted() && !handshake(connection, input, maxSize)) {
                return;
            }
            boolean mayHoldMore = true;
            while (mayHoldMore && input.hasRemaining()) {
                int room = connection.invocations().room();
                if (room == 0) {
                    connection.retainUnparsed(input);
                    connection.pauseReading();
                    return;
                }
                List<HubMessage> messages = connection.protocol().parseMessages(input, dispatcher.binder(), maxSize, room);
                for (HubMessage message : messages) {
                    if (connection.acceptInbound(message)) {
                        dispatcher.dispatch(connection, message);
                    }
                }
                mayHoldMore = messages.size() == room;
            }
            connection.retainUnparsed(input);
            connection.resumeReading();
        } catch (HubProtocolException e) {
            closeWithError(connection, e);
        }
    }

    /** An invocation finished on a connection whose queue was full: read on. */
    private void onInvocationRoom(HubConnectionContext connection) {
        synchronized (connection.inboundLock()) {
            if (!connection.isClosed()) {
                readInbound(connection);
            }
        }
    }

    private static void closeWithError(HubConnectionContext connection, HubProtocolException e) {
        LOG.debugf("Closing %s: %s", connection, e.getMessage());
        connection.close(CloseMessage.error("Connection closed with an error. " + e.getMessage()));
    }

    /**
     * A frame that is exactly one Ping, with nothing before it waiting to be parsed. Clients send one
     * every 15 s on every idle connection; recognising the bytes spares parsing them.
     */
    private static boolean isLonePing(HubConnectionContext connection, byte[] data) {
        HubProtocol protocol = connection.protocol();
        return protocol != null && !connection.isReadingPaused() && connection.unparsedInboundSize() == 0
                && Arrays.equals(data, PING.frameFor(protocol).bytes());
    }

    private static boolean isText(HubConnectionContext connection) {
        // Before the handshake completes the client sends the handshake request, which is JSON text.
        return connection.protocol() == null || connection.protocol().transferFormat() == TransferFormat.TEXT;
    }

    private static int indexOf(byte[] data, byte value) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Returns true once the handshake is done and the rest of the input may be hub messages. */
    private boolean handshake(HubConnectionContext connection, ByteBuffer input, int maxSize) {
        Optional<HandshakeRequest> request;
        try {
            request = handshake.parseRequest(input, maxSize);
        } catch (HubProtocolException e) {
            failHandshake(connection, e.getMessage());
            return false;
        }
        if (request.isEmpty()) {
            connection.retainUnparsed(input);
            return false;
        }
        HubProtocolResolver.Resolution resolution = protocols.resolve(request.get());
        if (resolution.protocol() == null) {
            failHandshake(connection, resolution.error());
            return false;
        }
        HubProtocol protocol = resolution.protocol();
        if (!connection.transportCarries(protocol.transferFormat())) {
            // ASP.NET Core's words, so a client can tell why (messagepack over Server-Sent Events).
            failHandshake(connection, "Cannot use the '" + protocol.name() + "' protocol on the current transport. "
                    + "The transport does not support '" + protocol.transferFormat().displayName() + "' transfer format.");
            return false;
        }
        // As ASP.NET Core: stateful reconnect needs both the negotiated feature and protocol version 2.
        boolean stateful = connection.statefulReconnectAllowed() && request.get().version() >= 2;
        connection.completeHandshake(resolution.protocol(), stateful ? new ReplayBuffer(replayLimits) : null);
        // The answer is JSON text, framed as the chosen protocol's frames are (binary for messagepack),
        // as ASP.NET Core sets the transfer format before answering.
        connection.writeFrame(new EncodedFrame(handshake.writeSuccess(), resolution.protocol().transferFormat()));
        connected(connection);
        return true;
    }

    private void failHandshake(HubConnectionContext connection, String error) {
        LOG.debugf("Handshake of %s failed: %s", connection, error);
        metrics.handshake(hub.name(), ConnectionMetrics.Handshake.FAILED);
        connection.writeFrame(new EncodedFrame(handshake.writeError(error), TransferFormat.TEXT));
        connection.abort();
    }

    private void connected(HubConnectionContext connection) {
        lifetimeManager.onConnected(connection);
        metrics.handshake(hub.name(), ConnectionMetrics.Handshake.OK);
        metrics.connected(hub.name(), connection.transportName());
        // One line per connection at DEBUG; INFO gets a summary a minute (ConnectionLogSummary).
        LOG.debugf("Connection %s of user %s connected to hub %s over %s", connection.connectionId(),
                connection.user().userId(), hub.name(), connection.transportName());
        HubCallerContext caller = dispatcher.callerOf(connection);
        connection.invocations().execute(() -> {
            try {
                dispatcher.onConnected(caller);
            } catch (HubUnavailableException e) {
                // The client may come back (automatic reconnect) and get a complete OnConnected then.
                LOG.debugf("OnConnected of hub %s failed for %s, temporarily: %s", hub.name(), connection, e.getCause());
                connection.close(new CloseMessage(e.getMessage(), true));
            } catch (Exception e) {
                LOG.errorf(e, "OnConnected of hub %s failed for %s", hub.name(), connection);
                connection.close(CloseMessage.error("Connection closed with an error."));
            }
        });
    }

    /** The transport is gone (closed by either side); runs the disconnect once. */
    public void onTransportClosed(HubConnectionContext connection) {
        disconnect(connection);
    }

    /**
     * {@code closed}, one transport of the connection, is gone. A stateful connection whose current
     * transport dropped without the client saying goodbye is kept for {@code reattach-window}: the
     * hub sees no disconnect, groups are kept and messages are buffered. Otherwise the connection ends.
     *
     * @param clientSaidGoodbye the client closed the transport on purpose (a WebSocket close frame)
     */
    public void onTransportClosed(HubConnectionContext connection, Transport closed, boolean clientSaidGoodbye) {
        if (!connection.isAttachedTo(closed)) {
            return; // replaced by a reattach, or already detached: the connection lives on
        }
        if (!clientSaidGoodbye && connection.detach(closed)) {
            LOG.debugf("Connection %s of user %s lost its transport; kept %d ms for a stateful reconnect",
                    connection.connectionId(), connection.user().userId(),
                    config.statefulReconnect().reattachWindow().toMillis());
            return;
        }
        disconnect(connection);
    }

    /** Whether {@code connectionId} is a connection of this hub that has not ended. */
    public boolean isOpen(String connectionId) {
        return open.containsKey(connectionId);
    }

    /** Whether {@code connectionId} is a stateful connection of this user that a new transport may continue. */
    public boolean canReattach(String connectionId, String userKey) {
        HubConnectionContext connection = open.get(connectionId);
        return connection != null && connection.isStateful() && !connection.isClosed()
                && connection.user().userId().equals(userKey);
    }

    /**
     * Continues a stateful connection on a new transport: the client gets Sequence and every message
     * it has not acknowledged. Empty when the connection has ended (or is not this user's).
     */
    public Optional<HubConnectionContext> reattach(String connectionId, String userKey, Transport transport) {
        HubConnectionContext connection = open.get(connectionId);
        if (connection == null || !connection.user().userId().equals(userKey) || !connection.reattach(transport)) {
            return Optional.empty();
        }
        LOG.debugf("Connection %s of user %s reattached to hub %s over %s, replaying %d message(s)",
                connection.connectionId(), connection.user().userId(), hub.name(), transport.name(),
                connection.unacknowledgedCount());
        return Optional.of(connection);
    }

    /** Ends the connection for good, once: groups are left and the hub's OnDisconnected runs. */
    private void disconnect(HubConnectionContext connection) {
        if (open.remove(connection.connectionId()) == null) {
            return;
        }
        slots.release(connection.user().userId(), connection.connectionId());
        connection.abort();
        connection.invocations().dropWaiting();
        if (!connection.handshakeCompleted()) {
            return;
        }
        lifetimeManager.onDisconnected(connection);
        metrics.disconnected(hub.name(), connection.transportName());
        LOG.debugf("Connection %s of user %s disconnected from hub %s", connection.connectionId(),
                connection.user().userId(), hub.name());
        HubCallerContext caller = dispatcher.callerOf(connection);
        connection.invocations().execute(() -> {
            try {
                dispatcher.onDisconnected(caller);
            } catch (Exception e) {
                if (stopping) {
                    // The database may already be gone while the server stops; nothing to repair.
                    LOG.debugf("OnDisconnected of hub %s during shutdown failed for %s: %s", hub.name(), connection, e);
                } else if (e instanceof HubUnavailableException) {
                    // The database is away for the moment: only the "last seen" time of a session is lost.
                    LOG.warnf("OnDisconnected of hub %s failed for %s: %s", hub.name(), connection, e.getCause());
                } else {
                    LOG.errorf(e, "OnDisconnected of hub %s failed for %s", hub.name(), connection);
                }
            }
        });
    }

    /**
     * Keep-alive pings, client timeout, handshake timeout, stateful-reconnect Acks and the end of
     * connections whose client did not come back in time; called periodically.
     */
    void housekeeping(long now) {
        long keepAlive = config.keepAliveInterval().toNanos();
        long clientTimeout = config.clientTimeout().toNanos();
        long handshakeTimeout = config.handshakeTimeout().toNanos();
        long reattachWindow = config.statefulReconnect().reattachWindow().toNanos();
        Instant wallClock = Instant.now();
        for (HubConnectionContext connection : open.values()) {
            if (connection.user().expiredAt(wallClock)) {
                // The client may come back at once with a fresh credential.
                connection.close(new CloseMessage("The credential has expired; reconnect with a new one.", true));
                continue;
            }
            if (!connection.handshakeCompleted()) {
                if (connection.nanosSinceOpened(now) > handshakeTimeout) {
                    LOG.debugf("Closing %s: no handshake within %s", connection, config.handshakeTimeout());
                    if (!connection.isClosed()) {
                        metrics.handshake(hub.name(), ConnectionMetrics.Handshake.TIMEOUT);
                        // ASP.NET Core's answer: the client hears why before the transport closes.
                        connection.writeFrame(new EncodedFrame(handshake.writeError(HANDSHAKE_CANCELED), TransferFormat.TEXT));
                    }
                    connection.abort();
                }
            } else if (connection.isDetached()) {
                // No transport will report the end of a detached connection: it is decided here.
                if (connection.isClosed() || connection.nanosSinceDetached(now) > reattachWindow) {
                    LOG.debugf("Ending %s: the client did not reconnect within %s", connection,
                            config.statefulReconnect().reattachWindow());
                    disconnect(connection);
                }
            } else if (!connection.hasInherentKeepAlive() && !connection.isReadingPaused()
                    && connection.nanosSinceLastReceived(now) > clientTimeout) {
                // allowReconnect as in ASP.NET Core (a client that went quiet may well come back);
                // the sentence is ours, so the client's log says why.
                connection.close(new CloseMessage(
                        "Server timeout elapsed without receiving a message from the client.", true));
            } else {
                connection.acknowledgeReceived();
                if (connection.nanosSinceLastSent(now) >= keepAlive) {
                    connection.write(PING);
                }
            }
        }
    }

    /** Closes every connection, telling clients they may reconnect (server shutdown). */
    void closeAll(CloseMessage reason) {
        stopping = true;
        for (HubConnectionContext connection : open.values()) {
            connection.close(reason);
        }
    }

    /**
     * Server shutdown: closes every connection once the invocations it already received have
     * answered, so a client gets its completions before the Close.
     */
    void closeAllAfterInvocations(CloseMessage reason) {
        stopping = true;
        for (HubConnectionContext connection : open.values()) {
            connection.invocations().execute(() -> connection.close(reason));
        }
    }

    int openConnections() {
        return open.size();
    }

    /** The connections not ended yet (their transport may be detached, awaiting a stateful reconnect). */
    Collection<HubConnectionContext> connections() {
        return open.values();
    }
}
