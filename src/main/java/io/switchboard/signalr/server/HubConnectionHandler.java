package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.HandshakeProtocol;
import io.switchboard.signalr.protocol.HandshakeRequest;
import io.switchboard.signalr.protocol.HubMessage;
import io.switchboard.signalr.protocol.HubProtocolException;
import io.switchboard.signalr.protocol.PingMessage;
import io.switchboard.signalr.protocol.TransferFormat;
import java.nio.ByteBuffer;
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

    private final Hub hub;
    private final HubLifetimeManager lifetimeManager;
    private final HubDispatcher dispatcher;
    private final HandshakeProtocol handshake;
    private final HubProtocolResolver protocols;
    private final SignalRConfig config;
    private final Executor workerPool;
    private final ConnectionGauges gauges;
    private final ConcurrentMap<String, HubConnectionContext> open = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    HubConnectionHandler(Hub hub, HubLifetimeManager lifetimeManager, HubDispatcher dispatcher,
                         HandshakeProtocol handshake, HubProtocolResolver protocols, SignalRConfig config,
                         Executor workerPool, ConnectionGauges gauges) {
        this.hub = hub;
        this.lifetimeManager = lifetimeManager;
        this.dispatcher = dispatcher;
        this.handshake = handshake;
        this.protocols = protocols;
        this.config = config;
        this.workerPool = workerPool;
        this.gauges = gauges;
    }

    public Hub hub() {
        return hub;
    }

    /** A transport is attached: the handshake clock starts. */
    public HubConnectionContext open(String connectionId, HubUser user, Transport transport) {
        HubConnectionContext connection = new HubConnectionContext(connectionId, hub.name(), user, transport,
                new SerialExecutor(workerPool));
        open.put(connectionId, connection);
        return connection;
    }

    /** Bytes from the client, in order; called on the transport's inbound thread. */
    public void onData(HubConnectionContext connection, byte[] data) {
        if (connection.isClosed()) {
            return;
        }
        connection.markReceived();
        ByteBuffer input = connection.appendInbound(data);
        int maxSize = config.maximumReceiveMessageSize();
        if (!connection.handshakeCompleted() && !handshake(connection, input, maxSize)) {
            return;
        }
        List<HubMessage> messages;
        try {
            messages = connection.protocol().parseMessages(input, dispatcher.binder(), maxSize);
        } catch (HubProtocolException e) {
            LOG.debugf("Closing %s: %s", connection, e.getMessage());
            connection.close(CloseMessage.error("Connection closed with an error. " + e.getMessage()));
            return;
        }
        connection.retainUnparsed(input);
        for (HubMessage message : messages) {
            dispatcher.dispatch(connection, message);
        }
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
        connection.completeHandshake(resolution.protocol());
        connection.writeFrame(new EncodedFrame(handshake.writeSuccess(), TransferFormat.TEXT));
        connected(connection);
        return true;
    }

    private void failHandshake(HubConnectionContext connection, String error) {
        LOG.debugf("Handshake of %s failed: %s", connection, error);
        connection.writeFrame(new EncodedFrame(handshake.writeError(error), TransferFormat.TEXT));
        connection.abort();
    }

    private void connected(HubConnectionContext connection) {
        lifetimeManager.onConnected(connection);
        gauges.connected(hub.name(), connection.transportName());
        LOG.infof("Connection %s of user %s connected to hub %s over %s", connection.connectionId(),
                connection.user().id(), hub.name(), connection.transportName());
        HubCallerContext caller = dispatcher.callerOf(connection);
        connection.invocations().execute(() -> {
            try {
                hub.onConnected(caller);
            } catch (Exception e) {
                LOG.errorf(e, "OnConnected of hub %s failed for %s", hub.name(), connection);
                connection.close(CloseMessage.error("Connection closed with an error."));
            }
        });
    }

    /** The transport is gone (closed by either side); runs the disconnect once. */
    public void onTransportClosed(HubConnectionContext connection) {
        if (open.remove(connection.connectionId()) == null) {
            return;
        }
        connection.abort();
        if (!connection.handshakeCompleted()) {
            return;
        }
        lifetimeManager.onDisconnected(connection);
        gauges.disconnected(hub.name(), connection.transportName());
        LOG.infof("Connection %s of user %s disconnected from hub %s", connection.connectionId(),
                connection.user().id(), hub.name());
        HubCallerContext caller = dispatcher.callerOf(connection);
        connection.invocations().execute(() -> {
            try {
                hub.onDisconnected(caller);
            } catch (Exception e) {
                if (stopping) {
                    // The database may already be gone while the server stops; nothing to repair.
                    LOG.debugf("OnDisconnected of hub %s during shutdown failed for %s: %s", hub.name(), connection, e);
                } else {
                    LOG.errorf(e, "OnDisconnected of hub %s failed for %s", hub.name(), connection);
                }
            }
        });
    }

    /** Keep-alive pings, client timeout and handshake timeout; called periodically. */
    void housekeeping(long now) {
        long keepAlive = config.keepAliveInterval().toNanos();
        long clientTimeout = config.clientTimeout().toNanos();
        long handshakeTimeout = config.handshakeTimeout().toNanos();
        for (HubConnectionContext connection : open.values()) {
            if (!connection.handshakeCompleted()) {
                if (connection.nanosSinceOpened(now) > handshakeTimeout) {
                    LOG.debugf("Closing %s: no handshake within %s", connection, config.handshakeTimeout());
                    connection.abort();
                }
            } else if (connection.nanosSinceLastReceived(now) > clientTimeout) {
                connection.close(CloseMessage.error(
                        "Server timeout elapsed without receiving a message from the client."));
            } else if (connection.nanosSinceLastSent(now) >= keepAlive) {
                connection.write(PING);
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

    int openConnections() {
        return open.size();
    }
}
