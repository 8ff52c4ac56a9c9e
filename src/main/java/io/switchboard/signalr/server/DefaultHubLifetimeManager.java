package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.InvocationMessage;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The lifetime manager of a single replica: every connection and group lives in this process. */
public final class DefaultHubLifetimeManager implements HubLifetimeManager {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final ConnectionStore connections = new ConnectionStore();
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
            connection.write(message);
            pushed.pushed(1);
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
        connections.addToGroup(connectionId, group);
        return DONE;
    }

    @Override
    public CompletionStage<Void> removeFromGroup(String connectionId, String group) {
        connections.removeFromGroup(connectionId, group);
        return DONE;
    }

    @Override
    public CompletionStage<Void> closeUserConnections(String userKey, CloseMessage reason) {
        for (HubConnectionContext connection : List.copyOf(connections.user(userKey))) {
            connection.close(reason);
        }
        return DONE;
    }

    private void writeTo(Collection<HubConnectionContext> targets, InvocationMessage message) {
        if (targets.isEmpty()) {
            return;
        }
        SerializedHubMessage serialized = new SerializedHubMessage(message);
        for (HubConnectionContext connection : targets) {
            connection.write(serialized);
        }
        pushed.pushed(targets.size());
    }

    /**
     * The local connections of one hub, indexed by id, group and user. Shared with the backplane
     * implementation, which keeps group membership on the replica holding the connection.
     */
    public static final class ConnectionStore {

        private final ConcurrentMap<String, HubConnectionContext> byId = new ConcurrentHashMap<>();
        private final ConcurrentMap<String, Set<HubConnectionContext>> byGroup = new ConcurrentHashMap<>();
        private final ConcurrentMap<String, Set<HubConnectionContext>> byUser = new ConcurrentHashMap<>();

        public void add(HubConnectionContext connection) {
            byId.put(connection.connectionId(), connection);
            addTo(byUser, connection.user().userKey(), connection);
        }

        public void remove(HubConnectionContext connection) {
            byId.remove(connection.connectionId());
            removeFrom(byUser, connection.user().userKey(), connection);
            for (String group : connection.groups()) {
                removeFrom(byGroup, group, connection);
            }
            connection.groups().clear();
        }

        public HubConnectionContext get(String connectionId) {
            return byId.get(connectionId);
        }

        public Collection<HubConnectionContext> all() {
            return byId.values();
        }

        public Set<HubConnectionContext> group(String group) {
            return byGroup.getOrDefault(group, Set.of());
        }

        public Set<HubConnectionContext> user(String userKey) {
            return byUser.getOrDefault(userKey, Set.of());
        }

        public boolean addToGroup(String connectionId, String group) {
            HubConnectionContext connection = byId.get(connectionId);
            if (connection == null) {
                return false;
            }
            connection.groups().add(group);
            addTo(byGroup, group, connection);
            return true;
        }

        public boolean removeFromGroup(String connectionId, String group) {
            HubConnectionContext connection = byId.get(connectionId);
            if (connection == null) {
                return false;
            }
            connection.groups().remove(group);
            removeFrom(byGroup, group, connection);
            return true;
        }

        // compute() keeps add and remove atomic per key, so an add never lands in a set being dropped.
        private static void addTo(ConcurrentMap<String, Set<HubConnectionContext>> index, String key,
                                  HubConnectionContext connection) {
            index.compute(key, (k, members) -> {
                Set<HubConnectionContext> result = members == null ? ConcurrentHashMap.newKeySet() : members;
                result.add(connection);
                return result;
            });
        }

        private static void removeFrom(ConcurrentMap<String, Set<HubConnectionContext>> index, String key,
                                       HubConnectionContext connection) {
            index.computeIfPresent(key, (k, members) -> {
                members.remove(connection);
                return members.isEmpty() ? null : members;
            });
        }
    }
}
