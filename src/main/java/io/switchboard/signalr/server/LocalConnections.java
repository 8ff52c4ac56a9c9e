package io.switchboard.signalr.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connections of one hub on this replica, indexed by id, group and user. Both lifetime managers
 * keep membership here; the changes report when a group or user gains its first or loses its last
 * local connection, which is when a backplane subscribes or unsubscribes.
 */
public final class LocalConnections {

    /** What a disconnect emptied: the user's last connection, and groups left with no member here. */
    public record Removal(boolean lastOfUser, List<String> emptiedGroups) {
    }

    private final ConcurrentMap<String, HubConnectionContext> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<HubConnectionContext>> byGroup = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<HubConnectionContext>> byUser = new ConcurrentHashMap<>();

    /** Returns true when this is the user's first connection here. */
    public boolean add(HubConnectionContext connection) {
        byId.put(connection.connectionId(), connection);
        return addTo(byUser, connection.user().userId(), connection);
    }

    public Removal remove(HubConnectionContext connection) {
        byId.remove(connection.connectionId());
        boolean lastOfUser = removeFrom(byUser, connection.user().userId(), connection);
        List<String> emptied = new ArrayList<>();
        for (String group : connection.groups()) {
            if (removeFrom(byGroup, group, connection)) {
                emptied.add(group);
            }
        }
        connection.groups().clear();
        return new Removal(lastOfUser, emptied);
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

    public Set<String> groupNames() {
        return Set.copyOf(byGroup.keySet());
    }

    /**
     * Returns true when the connection is the group's first member here. A connection removed
     * meanwhile (a join racing its disconnect) is taken out again and never stays in the group.
     */
    public boolean addToGroup(HubConnectionContext connection, String group) {
        connection.groups().add(group);
        boolean first = addTo(byGroup, group, connection);
        if (byId.get(connection.connectionId()) != connection) {
            connection.groups().remove(group);
            removeFrom(byGroup, group, connection);
            return false;
        }
        return first;
    }

    /** Returns true when the group has no member here any more. */
    public boolean removeFromGroup(HubConnectionContext connection, String group) {
        connection.groups().remove(group);
        return removeFrom(byGroup, group, connection);
    }

    // compute() keeps add and remove atomic per key, so an add never lands in a set being dropped.
    private static boolean addTo(ConcurrentMap<String, Set<HubConnectionContext>> index, String key,
                                 HubConnectionContext connection) {
        AtomicBoolean first = new AtomicBoolean();
        index.compute(key, (k, members) -> {
            Set<HubConnectionContext> result = members;
            if (result == null) {
                result = ConcurrentHashMap.newKeySet();
                first.set(true);
            }
            result.add(connection);
            return result;
        });
        return first.get();
    }

    private static boolean removeFrom(ConcurrentMap<String, Set<HubConnectionContext>> index, String key,
                                      HubConnectionContext connection) {
        AtomicBoolean emptied = new AtomicBoolean();
        index.computeIfPresent(key, (k, members) -> {
            members.remove(connection);
            emptied.set(members.isEmpty());
            return members.isEmpty() ? null : members;
        });
        return emptied.get();
    }
}
