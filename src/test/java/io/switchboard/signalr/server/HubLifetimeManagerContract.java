package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.InvocationMessage;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every lifetime manager must do, run against each implementation. Two managers stand for two
 * servers (for the in-process manager both are the same one), as in ASP.NET Core's
 * ScaleoutHubLifetimeManagerTests.
 */
public abstract class HubLifetimeManagerContract {

    protected static final Duration WAIT = Duration.ofSeconds(3);
    protected static final Duration QUIET = Duration.ofMillis(300);

    protected abstract HubLifetimeManager firstServer();

    protected abstract HubLifetimeManager secondServer();

    /** Lets subscriptions made by the previous calls take effect (a backplane subscribes asynchronously). */
    protected void settle() {
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static InvocationMessage hello(String text) {
        return InvocationMessage.push("Hello", text);
    }

    private static void assertReceived(RecordingTransport transport, String text) {
        String frame = transport.poll(WAIT);
        assertEquals("{\"type\":1,\"target\":\"Hello\",\"arguments\":[\"" + text + "\"]}\u001e", frame);
    }

    private static void assertNothing(RecordingTransport transport) {
        assertNull(transport.poll(QUIET));
    }

    @Test
    void sendAllReachesEveryConnectionOnEveryServer() {
        RecordingTransport a = new RecordingTransport();
        RecordingTransport b = new RecordingTransport();
        firstServer().onConnected(TestConnections.connected(id(), "u1", a));
        secondServer().onConnected(TestConnections.connected(id(), "u2", b));
        settle();
        firstServer().sendAll(hello("all")).toCompletableFuture().join();
        assertReceived(a, "all");
        assertReceived(b, "all");
    }

    @Test
    void sendConnectionReachesOnlyThatConnectionWhereverItIs() {
        RecordingTransport target = new RecordingTransport();
        RecordingTransport other = new RecordingTransport();
        HubConnectionContext targetConnection = TestConnections.connected(id(), "u1", target);
        secondServer().onConnected(targetConnection);
        secondServer().onConnected(TestConnections.connected(id(), "u1", other));
        settle();
        firstServer().sendConnection(targetConnection.connectionId(), hello("you")).toCompletableFuture().join();
        assertReceived(target, "you");
        assertNothing(other);
    }

    @Test
    void sendGroupReachesMembersOnEveryServerAndNobodyElse() {
        String group = "g-" + id();
        RecordingTransport member1 = new RecordingTransport();
        RecordingTransport member2 = new RecordingTransport();
        RecordingTransport outsider = new RecordingTransport();
        HubConnectionContext c1 = TestConnections.connected(id(), "u1", member1);
        HubConnectionContext c2 = TestConnections.connected(id(), "u2", member2);
        firstServer().onConnected(c1);
        secondServer().onConnected(c2);
        secondServer().onConnected(TestConnections.connected(id(), "u3", outsider));
        firstServer().addToGroup(c1.connectionId(), group).toCompletableFuture().join();
        secondServer().addToGroup(c2.connectionId(), group).toCompletableFuture().join();
        settle();
        firstServer().sendGroup(group, hello("members")).toCompletableFuture().join();
        assertReceived(member1, "members");
        assertReceived(member2, "members");
        assertNothing(outsider);
    }

    @Test
    void removeFromGroupStopsDelivery() {
        String group = "g-" + id();
        RecordingTransport transport = new RecordingTransport();
        HubConnectionContext connection = TestConnections.connected(id(), "u1", transport);
        secondServer().onConnected(connection);
        secondServer().addToGroup(connection.connectionId(), group).toCompletableFuture().join();
        secondServer().removeFromGroup(connection.connectionId(), group).toCompletableFuture().join();
        settle();
        firstServer().sendGroup(group, hello("gone")).toCompletableFuture().join();
        assertNothing(transport);
    }

    @Test
    void aDisconnectedConnectionLeavesItsGroupsAndGetsNothing() {
        String group = "g-" + id();
        RecordingTransport leaving = new RecordingTransport();
        RecordingTransport staying = new RecordingTransport();
        HubConnectionContext gone = TestConnections.connected(id(), "u1", leaving);
        HubConnectionContext kept = TestConnections.connected(id(), "u2", staying);
        secondServer().onConnected(gone);
        secondServer().onConnected(kept);
        secondServer().addToGroup(gone.connectionId(), group).toCompletableFuture().join();
        secondServer().addToGroup(kept.connectionId(), group).toCompletableFuture().join();
        secondServer().onDisconnected(gone);
        assertTrue(gone.groups().isEmpty());
        settle();
        firstServer().sendGroup(group, hello("still here")).toCompletableFuture().join();
        assertReceived(staying, "still here");
        assertNothing(leaving);
    }

    @Test
    void sendUserReachesEveryConnectionOfTheUserOnEveryServer() {
        String user = "user-" + id();
        RecordingTransport tab1 = new RecordingTransport();
        RecordingTransport tab2 = new RecordingTransport();
        RecordingTransport someoneElse = new RecordingTransport();
        HubConnectionContext first = TestConnections.connected(id(), user, tab1);
        firstServer().onConnected(first);
        secondServer().onConnected(TestConnections.connected(id(), user, tab2));
        secondServer().onConnected(TestConnections.connected(id(), "other-" + id(), someoneElse));
        settle();
        firstServer().sendUser(first.user().userId(), hello("both tabs")).toCompletableFuture().join();
        assertReceived(tab1, "both tabs");
        assertReceived(tab2, "both tabs");
        assertNothing(someoneElse);
    }

    @Test
    void addingAConnectionOfAnotherServerToAGroupWorks() {
        String group = "g-" + id();
        RecordingTransport transport = new RecordingTransport();
        HubConnectionContext remote = TestConnections.connected(id(), "u1", transport);
        secondServer().onConnected(remote);
        settle();
        firstServer().addToGroup(remote.connectionId(), group).toCompletableFuture().join();
        settle();
        firstServer().sendGroup(group, hello("added remotely")).toCompletableFuture().join();
        assertReceived(transport, "added remotely");
    }

    @Test
    void closingAUsersConnectionsClosesThemOnEveryServer() {
        String user = "user-" + id();
        RecordingTransport here = new RecordingTransport();
        RecordingTransport there = new RecordingTransport();
        RecordingTransport bystander = new RecordingTransport();
        HubConnectionContext first = TestConnections.connected(id(), user, here);
        firstServer().onConnected(first);
        secondServer().onConnected(TestConnections.connected(id(), user, there));
        secondServer().onConnected(TestConnections.connected(id(), "other-" + id(), bystander));
        settle();
        firstServer().closeUserConnections(first.user().userId(), CloseMessage.error("Revoked."))
                .toCompletableFuture().join();
        assertEquals("{\"type\":7,\"error\":\"Revoked.\"}\u001e", here.poll(WAIT));
        assertEquals("{\"type\":7,\"error\":\"Revoked.\"}\u001e", there.poll(WAIT));
        // The Close frame is written just before the transport closes, possibly on another thread.
        assertTrue(here.awaitClosed(WAIT));
        assertTrue(there.awaitClosed(WAIT));
        assertTrue(!bystander.isClosed());
    }
}
