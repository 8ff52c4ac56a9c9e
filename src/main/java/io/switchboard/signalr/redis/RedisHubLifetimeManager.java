package io.switchboard.signalr.redis;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.HubProtocol;
import io.switchboard.signalr.protocol.InvocationMessage;
import io.switchboard.signalr.server.EncodedFrame;
import io.switchboard.signalr.server.HubConnectionContext;
import io.switchboard.signalr.server.HubLifetimeManager;
import io.switchboard.signalr.server.LocalConnections;
import io.switchboard.signalr.server.MessageCounter;
import io.switchboard.signalr.server.SerializedHubMessage;
import io.switchboard.signalr.server.WriteBatch;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * A lifetime manager spanning replicas through Redis pub/sub (ASP.NET Core's
 * RedisHubLifetimeManager). Group membership stays on the replica that holds the connection; a
 * replica subscribes to a group's channel while it has members. Every send is delivered to local
 * connections at once, then published for the others (which is also why local delivery goes on
 * while Redis is down); a send to a connection held here never touches Redis.
 */
public final class RedisHubLifetimeManager implements HubLifetimeManager {

    private static final Logger LOG = Logger.getLogger(RedisHubLifetimeManager.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final String serverId;
    private final RedisBackplane backplane;
    private final RedisChannels channels;
    private final RedisEnvelope.Codec codec;
    private final Predicate<byte[]> ownEnvelope;
    private final List<HubProtocol> protocols;
    private final MessageCounter pushed;
    private final LocalConnections connections = new LocalConnections();

    public RedisHubLifetimeManager(String serverId, String hubName, String keyPrefix, RedisBackplane backplane,
                                   RedisEnvelope.Codec codec, List<HubProtocol> protocols, MessageCounter pushed) {
        this.serverId = serverId;
        this.backplane = backplane;
        this.channels = new RedisChannels(keyPrefix, hubName);
        this.codec = codec;
        this.ownEnvelope = codec.writtenBy(serverId);
        this.protocols = List.copyOf(protocols);
        this.pushed = pushed;
        backplane.subscribe(channels.all(), payload -> receive(payload, connections::all));
    }

    @Override
    public void onConnected(HubConnectionContext connection) {
        String id = connection.connectionId();
        backplane.subscribe(channels.connection(id), payload -> receiveForConnection(id, payload));
        if (connections.add(connection)) {
            String userKey = connection.user().userId();
            backplane.subscribe(channels.user(userKey), payload -> receive(payload, () -> connections.user(userKey)));
        }
    }

    @Override
    public void onDisconnected(HubConnectionContext connection) {
        backplane.unsubscribe(channels.connection(connection.connectionId()));
        LocalConnections.Removal removal = connections.remove(connection);
        if (removal.lastOfUser()) {
            backplane.unsubscribe(channels.user(connection.user().userId()));
        }
        removal.emptiedGroups().forEach(group -> backplane.unsubscribe(channels.group(group)));
    }

    @Override
    public CompletionStage<Void> sendAll(InvocationMessage message) {
        return deliverAndPublish(connections.all(), channels.all(), message);
    }

    @Override
    public CompletionStage<Void> sendConnection(String connectionId, InvocationMessage message) {
        HubConnectionContext local = connections.get(connectionId);
        if (local != null) {
            write(List.of(local), new SerializedHubMessage(message));
            return DONE;
        }
        return deliverAndPublish(List.of(), channels.connection(connectionId), message);
    }

    @Override
    public CompletionStage<Void> sendGroup(String group, InvocationMessage message) {
        return deliverAndPublish(connections.group(group), channels.group(group), message);
    }

    @Override
    public CompletionStage<Void> sendUser(String userKey, InvocationMessage message) {
        return deliverAndPublish(connections.user(userKey), channels.user(userKey), message);
    }

    @Override
    public CompletionStage<Void> addToGroup(String connectionId, String group) {
        HubConnectionContext local = connections.get(connectionId);
        if (local == null) {
            return backplane.publish(channels.connection(connectionId),
                    codec.write(RedisEnvelope.groupChange(serverId, true, group)));
        }
        return addLocal(local, group);
    }

    @Override
    public CompletionStage<Void> removeFromGroup(String connectionId, String group) {
        HubConnectionContext local = connections.get(connectionId);
        if (local == null) {
            return backplane.publish(channels.connection(connectionId),
                    codec.write(RedisEnvelope.groupChange(serverId, false, group)));
        }
        removeLocal(local, group);
        return DONE;
    }

    @Override
    public CompletionStage<Void> closeUserConnections(String userKey, CloseMessage reason) {
        closeAll(connections.user(userKey), reason.error());
        return backplane.publish(channels.user(userKey), codec.write(RedisEnvelope.close(serverId, reason.error())));
    }

    @Override
    public Set<String> localGroups() {
        return connections.groupNames();
    }

    @Override
    public void sendLocalGroup(String group, InvocationMessage message) {
        write(connections.group(group), new SerializedHubMessage(message));
    }

    private CompletionStage<Void> addLocal(HubConnectionContext connection, String group) {
        if (connections.addToGroup(connection, group)) {
            return backplane.subscribe(channels.group(group), payload -> receive(payload, () -> connections.group(group)));
        }
        return DONE;
    }

    private void removeLocal(HubConnectionContext connection, String group) {
        if (connections.removeFromGroup(connection, group)) {
            backplane.unsubscribe(channels.group(group));
        }
    }

    private CompletionStage<Void> deliverAndPublish(Collection<HubConnectionContext> local, String channel,
                                                    InvocationMessage message) {
        SerializedHubMessage serialized = new SerializedHubMessage(message);
        write(local, serialized);
        Map<String, EncodedFrame> frames = new HashMap<>();
        for (HubProtocol protocol : protocols) {
            frames.put(protocol.name(), serialized.frameFor(protocol));
        }
        return backplane.publish(channel,
                codec.write(RedisEnvelope.send(serverId, frames, serialized.sentAtEpochMicros())));
    }

    private void write(Collection<HubConnectionContext> targets, SerializedHubMessage message) {
        if (targets.isEmpty()) {
            return;
        }
        try (WriteBatch ignored = WriteBatch.open()) {
            for (HubConnectionContext connection : targets) {
                connection.write(message);
            }
        }
        pushed.pushed(message, targets.size());
    }

    private interface Targets {
        Collection<HubConnectionContext> get();
    }

    private void receive(byte[] payload, Targets targets) {
        RedisEnvelope envelope = fromAnotherReplica(payload);
        if (envelope == null) {
            return;
        }
        switch (envelope.kind()) {
            case SEND -> write(targets.get(), SerializedHubMessage.preEncoded(envelope.frames(), envelope.sentAt()));
            case CLOSE -> closeAll(targets.get(), envelope.error());
            default -> LOG.debugf("Ignoring a %s envelope on a broadcast channel", envelope.kind());
        }
    }

    private void receiveForConnection(String connectionId, byte[] payload) {
        RedisEnvelope envelope = fromAnotherReplica(payload);
        HubConnectionContext connection = connections.get(connectionId);
        if (envelope == null || connection == null) {
            return;
        }
        switch (envelope.kind()) {
            case SEND -> write(List.of(connection), SerializedHubMessage.preEncoded(envelope.frames(), envelope.sentAt()));
            case CLOSE -> closeAll(List.of(connection), envelope.error());
            case ADD_GROUP -> addLocal(connection, envelope.group());
            case REMOVE_GROUP -> removeLocal(connection, envelope.group());
        }
    }

    private static void closeAll(Collection<HubConnectionContext> targets, String error) {
        for (HubConnectionContext connection : List.copyOf(targets)) {
            connection.close(CloseMessage.error(error));
        }
    }

    /**
     * The envelope another replica sent, or null: this replica's own (it delivered those already) are
     * recognised by their first bytes without parsing, and a malformed one is logged and dropped.
     */
    private RedisEnvelope fromAnotherReplica(byte[] payload) {
        if (ownEnvelope.test(payload)) {
            return null;
        }
        RedisEnvelope envelope = decode(payload);
        return envelope == null || serverId.equals(envelope.server()) ? null : envelope;
    }

    private RedisEnvelope decode(byte[] payload) {
        try {
            return codec.read(payload);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Ignoring a malformed backplane message: %s", e.getMessage());
            return null;
        }
    }
}
