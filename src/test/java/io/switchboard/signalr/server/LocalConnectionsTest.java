package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalConnectionsTest {

    @Test
    void aGroupJoinThatLosesTheRaceWithTheDisconnectLeavesNothingBehind() {
        LocalConnections connections = new LocalConnections();
        HubConnectionContext connection = TestConnections.connected("c1", "u1", new RecordingTransport());
        connections.add(connection);
        connections.remove(connection);

        // The hub method looked the connection up just before the disconnect removed it.
        assertFalse(connections.addToGroup(connection, "g"));
        assertTrue(connections.group("g").isEmpty());
        assertTrue(connections.groupNames().isEmpty());
        assertTrue(connection.groups().isEmpty());
    }
}
