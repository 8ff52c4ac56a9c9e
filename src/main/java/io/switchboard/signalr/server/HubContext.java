package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.InvocationMessage;
import java.util.concurrent.CompletionStage;

/**
 * Sends to the clients of one hub and manages its groups, from a hub method or from anywhere else
 * in the application (ASP.NET Core's IHubContext).
 */
public final class HubContext {

    private final String hubName;
    private final HubLifetimeManager lifetimeManager;

    HubContext(String hubName, HubLifetimeManager lifetimeManager) {
        this.hubName = hubName;
        this.lifetimeManager = lifetimeManager;
    }

    public String hubName() {
        return hubName;
    }

    public CompletionStage<Void> sendToAll(String method, Object... arguments) {
        return lifetimeManager.sendAll(InvocationMessage.push(method, arguments));
    }

    public CompletionStage<Void> sendToConnection(String connectionId, String method, Object... arguments) {
        return lifetimeManager.sendConnection(connectionId, InvocationMessage.push(method, arguments));
    }

    public CompletionStage<Void> sendToGroup(String group, String method, Object... arguments) {
        return lifetimeManager.sendGroup(group, InvocationMessage.push(method, arguments));
    }

    public CompletionStage<Void> sendToUser(String userKey, String method, Object... arguments) {
        return lifetimeManager.sendUser(userKey, InvocationMessage.push(method, arguments));
    }

    public CompletionStage<Void> addToGroup(String connectionId, String group) {
        return lifetimeManager.addToGroup(connectionId, group);
    }

    public CompletionStage<Void> removeFromGroup(String connectionId, String group) {
        return lifetimeManager.removeFromGroup(connectionId, group);
    }

    /** The groups with members on this replica. */
    public java.util.Set<String> localGroups() {
        return lifetimeManager.localGroups();
    }

    /** Sends to a group's members on this replica only (see {@link HubLifetimeManager#sendLocalGroup}). */
    public void sendToLocalGroup(String group, String method, Object... arguments) {
        lifetimeManager.sendLocalGroup(group, InvocationMessage.push(method, arguments));
    }

    /** Closes every connection of the user on every replica, telling the client why. */
    public CompletionStage<Void> closeUserConnections(String userKey, String reason) {
        return lifetimeManager.closeUserConnections(userKey, CloseMessage.error(reason));
    }
}
