package io.switchboard.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.testing.HubClient;
import io.switchboard.testing.MutedLogger;
import io.switchboard.testing.Replica;
import io.switchboard.testing.ReplicaCluster;
import io.switchboard.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Presence over two replicas sharing Redis (docs/api.md §3 "ChatHub": GetMembers, PresenceChanged):
 * people on either replica see each other, a person with tabs on both is announced once and stays
 * while one tab is left, and when a replica is killed ({@code kill -9}, no goodbye) its people leave
 * every answer and are announced gone within 30 s, except those still connected elsewhere.
 */
class PresenceAcrossReplicasIT {

    /** The contract's bound for a dead replica's people. */
    private static final Duration DEAD_REPLICA = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(1);

    @SuppressWarnings("unchecked")
    private static List<String> members(HubClient client, String workflow) {
        List<Map<String, Object>> members = client.invoke(List.class, "GetMembers", workflow);
        return members.stream().map(member -> (String) member.get("displayName")).toList();
    }

    private static HubClient person(Replica replica, String userId, String tenant) {
        return HubClient.connect(replica.base(), "/hubs/chat", TestTokens.user(userId, tenant));
    }

    private static void assertPresence(Map<String, Object> event, String userId, boolean online) {
        assertEquals(userId, event.get("userId"), event.toString());
        assertEquals("User " + userId, event.get("displayName"));
        assertEquals(online, event.get("online"), event.toString());
    }

    @Test
    void peopleOnBothReplicasSeeEachOtherAndAKilledReplicasPeopleGoWithinThirtySeconds() throws Exception {
        try (ReplicaCluster cluster = ReplicaCluster.start("presence", 2)) {
            seeEachOtherThenLoseTheKilledReplicasPeople(cluster.replica(1), cluster.replica(2));
        }
    }

    private static void seeEachOtherThenLoseTheKilledReplicasPeople(Replica doomed, Replica survivor) throws Exception {
        String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        String workflow = "wf-" + UUID.randomUUID();
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 6);
        String bob = "bob-" + UUID.randomUUID().toString().substring(0, 6);
        String carol = "carol-" + UUID.randomUUID().toString().substring(0, 6);

        try (HubClient bobTab = person(survivor, bob, tenant);
             HubClient aliceOnSurvivor = person(survivor, alice, tenant)) {
            bobTab.invoke(Map.class, "JoinWorkflow", workflow);
            assertPresence(bobTab.next("PresenceChanged"), bob, true);

            HubClient aliceOnDoomed = person(doomed, alice, tenant);
            HubClient carolTab = person(doomed, carol, tenant);
            aliceOnDoomed.invoke(Map.class, "JoinWorkflow", workflow);
            assertPresence(bobTab.next("PresenceChanged"), alice, true);
            aliceOnSurvivor.invoke(Map.class, "JoinWorkflow", workflow);
            carolTab.invoke(Map.class, "JoinWorkflow", workflow);
            assertPresence(bobTab.next("PresenceChanged"), carol, true);
            assertNull(bobTab.poll("PresenceChanged", QUIET), "Alice's second tab, on the other replica, announced nothing");
            assertPresence(carolTab.next("PresenceChanged"), carol, true);

            List<String> everyone = List.of("User " + alice, "User " + bob, "User " + carol);
            assertEquals(everyone, members(bobTab, workflow), "each person once, whichever replica holds them");
            assertEquals(everyone, members(carolTab, workflow));

            Instant killed = Instant.now();
            // The clients of the killed replica report their cut sockets at ERROR: that is the point here.
            try (MutedLogger socket = MutedLogger.mute(MutedLogger.JAVA_CLIENT_WEBSOCKET);
                 MutedLogger connection = MutedLogger.mute(MutedLogger.JAVA_CLIENT)) {
                doomed.kill();
                Thread.sleep(2_000); // the clients have seen their sockets go
                aliceOnDoomed.close();
                carolTab.close();
            }
            Map<String, Object> gone = bobTab.poll("PresenceChanged", DEAD_REPLICA);
            assertTrue(gone != null, "Carol announced gone within " + DEAD_REPLICA);
            assertPresence(gone, carol, false);
            List<String> left = List.of("User " + alice, "User " + bob);
            assertEquals(left, members(bobTab, workflow), "Alice is still here in her other tab");
            assertTrue(Duration.between(killed, Instant.now()).compareTo(DEAD_REPLICA) < 0);
            assertNull(bobTab.poll("PresenceChanged", QUIET), "nothing about Alice");

            aliceOnSurvivor.invokeVoid("LeaveWorkflow", workflow);
            assertPresence(bobTab.next("PresenceChanged"), alice, false);
            assertEquals(List.of("User " + bob), members(bobTab, workflow));
        }
    }
}
