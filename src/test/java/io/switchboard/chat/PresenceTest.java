package io.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.HubClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who is in a workflow (docs/api.md §3 "ChatHub": GetMembers, PresenceChanged) on one replica without
 * Redis, whose own counts are the whole truth: several tabs per person, leaving, closing, a restored
 * session, tenants. The Redis record: RedisPresenceTest; across replicas, and a replica killed:
 * PresenceAcrossReplicasIT.
 */
@QuarkusTest
class PresenceTest extends ChatHubTesting {

    @SuppressWarnings("unchecked")
    static List<String> members(HubClient client, String workflow) {
        List<Map<String, Object>> members = client.invoke(List.class, "GetMembers", workflow);
        return members.stream().map(member -> member.get("userId") + "=" + member.get("displayName")).toList();
    }

    static void assertPresence(Map<String, Object> event, String workflow, String userId, boolean online) {
        assertEquals(workflow, event.get("workflowId"));
        assertEquals(userId, event.get("userId"));
        assertEquals("User " + userId, event.get("displayName"));
        assertEquals(online, event.get("online"));
    }

    /** The first person in a fresh workflow, who is told of their own arrival. */
    private HubClient firstIn(String workflow, String userId, String tenant) {
        HubClient tab = connect(userId, tenant);
        tab.invoke(Map.class, "JoinWorkflow", workflow);
        assertPresence(tab.next("PresenceChanged"), workflow, userId, true);
        assertEquals(List.of(userId + "=User " + userId), members(tab, workflow));
        return tab;
    }

    @Test
    void aPersonWithSeveralTabsIsListedOnceAndAnnouncedOnlyByTheFirstAndTheLast() {
        String tenant = unique("tenant");
        String workflow = unique("wf");
        String alice = unique("alice");
        String bob = unique("bob");
        try (HubClient bobTab = firstIn(workflow, bob, tenant)) {

            HubClient aliceFirst = connect(alice, tenant);
            HubClient aliceSecond = connect(alice, tenant);
            aliceFirst.invoke(Map.class, "JoinWorkflow", workflow);
            assertPresence(bobTab.next("PresenceChanged"), workflow, alice, true);
            aliceSecond.invoke(Map.class, "JoinWorkflow", workflow);
            bobTab.assertNo("PresenceChanged", QUIET);
            List<String> both = List.of(alice + "=User " + alice, bob + "=User " + bob);
            assertEquals(both, members(bobTab, workflow), "each person once, by display name");
            assertEquals(both, members(aliceSecond, workflow));

            aliceFirst.close();
            bobTab.assertNo("PresenceChanged", QUIET);
            assertEquals(both, members(bobTab, workflow), "one tab of Alice's is still here");

            aliceSecond.invokeVoid("LeaveWorkflow", workflow);
            assertPresence(bobTab.next("PresenceChanged"), workflow, alice, false);
            assertEquals(List.of(bob + "=User " + bob), members(bobTab, workflow));
            aliceSecond.close();
            bobTab.assertNo("PresenceChanged", QUIET);
        }
    }

    @Test
    void closingTheLastConnectionAnnouncesThePersonGoneAndAReloadBringsThemBack() {
        String tenant = unique("tenant");
        String workflow = unique("wf");
        String alice = unique("alice");
        String bob = unique("bob");
        try (HubClient bobTab = firstIn(workflow, bob, tenant)) {
            try (HubClient aliceTab = connect(alice, tenant)) {
                aliceTab.invoke(Map.class, "JoinWorkflow", workflow);
                assertPresence(bobTab.next("PresenceChanged"), workflow, alice, true);
            }
            assertPresence(bobTab.next("PresenceChanged"), workflow, alice, false);
            assertEquals(List.of(bob + "=User " + bob), members(bobTab, workflow));

            // A reload: the new connection is put back into the workflow (restored), and present there.
            try (HubClient reloaded = connect(alice, tenant)) {
                reloaded.next("SessionRestored");
                assertPresence(bobTab.next("PresenceChanged"), workflow, alice, true);
                assertEquals(List.of(alice + "=User " + alice, bob + "=User " + bob), members(bobTab, workflow));
            }
        }
    }

    @Test
    void anotherTenantsWorkflowOfTheSameIdIsAnotherRoom() {
        String workflow = unique("wf");
        String alice = unique("alice");
        try (HubClient aliceTab = connect(alice, unique("tenant"));
             HubClient stranger = connect(unique("eve"), unique("tenant"))) {
            aliceTab.invoke(Map.class, "JoinWorkflow", workflow);
            stranger.invoke(Map.class, "JoinWorkflow", workflow);
            assertEquals(List.of(alice + "=User " + alice), members(aliceTab, workflow));
            aliceTab.next("PresenceChanged");
            aliceTab.assertNo("PresenceChanged", QUIET);
        }
    }

    @Test
    void aWorkflowIdIsChecked() {
        try (HubClient client = connect(unique("alice"), unique("tenant"))) {
            com.microsoft.signalr.HubException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    com.microsoft.signalr.HubException.class, () -> client.invoke(List.class, "GetMembers", ""));
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("A workflow id must be 1 to 200"),
                    refused.getMessage());
        }
    }
}
