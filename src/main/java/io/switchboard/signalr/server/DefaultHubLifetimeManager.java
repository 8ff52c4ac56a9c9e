package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.InvocationMessage;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The lifetime manager of a single replica: every connection and group lives in this process. */
public final class DefaultHubLifetimeManager implements HubLifetimeManager {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final LocalConnections connections = new LocalConnections();
    private final MessageCounter pushed;

    public DefaultHubLifetimeManager(MessageCounter pushed) {
        this.pushed = pushed;
    }

    @Override
    public void onConnected(HubConnectionContext connection) {
        connections.add(connection);
    }

    @Override
    public void onDisconnected(HubConnectionContext connection) {
        connections.remove(connection);
    }

    @Override
    public CompletionStage<Void> sendAll(InvocationMessage message) {
        writeTo(connections.all(), message);
        return DONE;
    }

    @Override
    public CompletionStage<Void> sendConnection(String connectionId, InvocationMessage message) {
        HubConnectionContext connection = connections.get(connectionId);
        if (connection != null) {
            writeTo(List.of(connection), message);
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> sendGroup(String group, InvocationMessage message) {
        writeTo(connections.group(group), message);
        return DONE;
    }

    @Override
    public CompletionStage<Void> sendUser(String userKey, InvocationMessage message) {
        writeTo(connections.user(userKey), message);
        return DONE;
    }

    @Override
    public CompletionStage<Void> addToGroup(String connectionId, String group) {
        HubConnectionContext connection = connections.get(connectionId);
        if (connection != null) {
            connections.addToGroup(connection, group);
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> removeFromGroup(String connectionId, String group) {
        HubConnectionContext connection = connections.get(connectionId);
        if (connection != null) {
            connections.removeFromGroup(connection, group);
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> closeUserConnections(String userKey, CloseMessage reason) {
        for (HubConnectionContext connection : List.copyOf(connections.user(userKey))) {
            connection.close(reason);
        }
        return DONE;
    }

    @Override
    public Set<String> localGroups() {
        return connections.groupNames();
    }

    @Override
    public void sendLocalGroup(String group, InvocationMessage message) {
        writeTo(connections.group(group), message);
    }

    private void writeTo(Collection<HubConnectionContext> targets, InvocationMessage message) {
        if (targets.isEmpty()) {
            return;
        }
        SerializedHubMessage serialized = new SerializedHubMessage(message);
        try (WriteBatch ignored = WriteBatch.open()) {
            for (HubConnectionContext connection : targets) {
                connection.write(serialized);
            }
        }
        pushed.pushed(serialized, targets.size());
    }
}
