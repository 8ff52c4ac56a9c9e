package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.InvocationMessage;
import java.util.concurrent.CompletionStage;

/**
 * Knows every connection of one hub and its groups, and delivers messages to them (ASP.NET Core's
 * HubLifetimeManager). One in-process implementation, one spanning replicas through a backplane.
 * Implementations serialize a message once per fan-out, not once per connection.
 */
public interface HubLifetimeManager {

    void onConnected(HubConnectionContext connection);

    void onDisconnected(HubConnectionContext connection);

    CompletionStage<Void> sendAll(InvocationMessage message);

    CompletionStage<Void> sendConnection(String connectionId, InvocationMessage message);

    CompletionStage<Void> sendGroup(String group, InvocationMessage message);

    /** Sends to every connection of the user with this {@link HubPrincipal#userId()}. */
    CompletionStage<Void> sendUser(String userKey, InvocationMessage message);

    CompletionStage<Void> addToGroup(String connectionId, String group);

    CompletionStage<Void> removeFromGroup(String connectionId, String group);

    /**
     * Closes every connection of the user, wherever it is (a revoked credential must not keep its
     * connections). Not part of ASP.NET Core's interface, which leaves this to the application.
     */
    CompletionStage<Void> closeUserConnections(String userKey, CloseMessage reason);

    /** The groups that have at least one connection on this replica. */
    java.util.Set<String> localGroups();

    /**
     * Sends to the members of a group on this replica only: for repairs after a backplane outage,
     * where every replica repairs its own connections.
     */
    void sendLocalGroup(String group, InvocationMessage message);
}
