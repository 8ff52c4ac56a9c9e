package io.switchboard.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.signalr.HubException;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestAgents;
import io.switchboard.testing.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ChatHub end to end with the official Java SignalR client over WebSockets. */
@QuarkusTest
class ChatHubTest extends ChatHubTesting {

    @Test
    void sendMessageIsAcknowledgedAndDeliveredToTheWorkflow() {
        String alice = unique("alice");
        String workflow = unique("wf");
        try (HubClient client = connect(alice, "tenant-a")) {
            Map<?, ?> joined = client.invoke(Map.class, "JoinWorkflow", workflow);
            assertEquals(workflow, joined.get("workflowId"));
            client.next("UserJoined");

            Map<?, ?> ack = client.invoke(Map.class, "SendMessage", "  hello there  ");
            String messageId = (String) ack.get("messageId");
            assertEquals(messageId, UUID.fromString(messageId).toString(), "a lowercase GUID");
            assertEquals(workflow, ack.get("workflowId"));
            Instant timestamp = Instant.parse((String) ack.get("timestamp"));
            assertTrue(Duration.between(timestamp, Instant.now()).abs().toSeconds() < 60);

            Map<String, Object> received = client.next("ReceiveMessage");
            assertEquals(messageId, received.get("messageId"));
            assertEquals(workflow, received.get("workflowId"));
            assertEquals(alice, received.get("userId"));
            assertEquals("User " + alice, received.get("displayName"));
            assertEquals("hello there", received.get("content"), "stored trimmed");
            assertEquals(ack.get("timestamp"), received.get("timestamp"));
        }
    }

    @Test
    void twoUsersInOneWorkflowExchangeMessages() {
        String alice = unique("alice");
        String bob = unique("bob");
        String workflow = unique("wf");
        try (HubClient a = connect(alice, "tenant-a"); HubClient b = connect(bob, "tenant-a")) {
            a.invoke(Map.class, "JoinWorkflow", workflow);
            a.next("UserJoined");
            b.invoke(Map.class, "JoinWorkflow", workflow);
            Map<String, Object> bobJoined = a.next("UserJoined");
            assertEquals(Map.of("workflowId", workflow, "userId", bob, "displayName", "User " + bob), bobJoined);

            a.invoke(Map.class, "SendMessage", "hi bob");
            Map<String, Object> atBob = b.next("ReceiveMessage");
            assertEquals("hi bob", atBob.get("content"));
            assertEquals(alice, atBob.get("userId"));

            b.invoke(Map.class, "SendMessage", "hi alice");
            assertEquals("hi bob", a.next("ReceiveMessage").get("content"), "own message first");
            assertEquals("hi alice", a.next("ReceiveMessage").get("content"));
        }
    }

    @Test
    void leavingAWorkflowStopsDelivery() {
        String workflow = unique("wf");
        String bob = unique("bob");
        try (HubClient a = connect(unique("alice"), "tenant-a"); HubClient b = connect(bob, "tenant-a")) {
            a.invoke(Map.class, "JoinWorkflow", workflow);
            b.invoke(Map.class, "JoinWorkflow", workflow);
            a.next("UserJoined");
            a.next("UserJoined");

            b.invokeVoid("LeaveWorkflow", workflow);
            Map<String, Object> left = a.next("UserLeft");
            assertEquals(workflow, left.get("workflowId"));
            assertEquals(bob, left.get("userId"));

            a.invoke(Map.class, "SendMessage", "anyone?");
            a.next("ReceiveMessage");
            b.assertNo("ReceiveMessage", QUIET);
        }
    }

    @Test
    void tenantsUsingTheSameWorkflowIdNeverSeeEachOther() {
        String workflow = unique("shared");
        try (HubClient a = connect(unique("alice"), "tenant-a"); HubClient eve = connect(unique("eve"), "tenant-b")) {
            a.invoke(Map.class, "JoinWorkflow", workflow);
            eve.invoke(Map.class, "JoinWorkflow", workflow);
            eve.next("UserJoined");
            a.next("UserJoined");
            a.assertNo("UserJoined", QUIET);

            a.invoke(Map.class, "SendMessage", "tenant a only");
            a.next("ReceiveMessage");
            eve.assertNo("ReceiveMessage", QUIET);
            assertTrue(eve.invoke(List.class, "GetHistory", workflow, null, 50).isEmpty());
        }
    }

    @Test
    void aNewConnectionGetsTheSessionBackAndIsInItsWorkflows() {
        String alice = unique("alice");
        String first = unique("wf1");
        String second = unique("wf2");
        String lastMessageId;
        try (HubClient a = connect(alice, "tenant-a")) {
            a.invoke(Map.class, "JoinWorkflow", first);
            a.invoke(Map.class, "JoinWorkflow", second);
            lastMessageId = (String) a.invoke(Map.class, "SendMessage", "before the drop").get("messageId");
        }
        try (HubClient again = connect(alice, "tenant-a"); HubClient bob = connect(unique("bob"), "tenant-a")) {
            Map<String, Object> restored = again.next("SessionRestored");
            assertEquals(second, restored.get("activeWorkflowId"));
            List<?> workflows = (List<?>) restored.get("workflows");
            assertEquals(2, workflows.size());
            Map<?, ?> firstRestored = (Map<?, ?>) workflows.get(0);
            Map<?, ?> secondRestored = (Map<?, ?>) workflows.get(1);
            assertEquals(first, firstRestored.get("workflowId"));
            assertNull(firstRestored.get("lastMessageId"));
            assertEquals(second, secondRestored.get("workflowId"));
            assertEquals(lastMessageId, secondRestored.get("lastMessageId"));

            bob.invoke(Map.class, "JoinWorkflow", first);
            bob.invoke(Map.class, "SendMessage", "welcome back");
            assertEquals("welcome back", again.next("ReceiveMessage").get("content"));

            Map<?, ?> ack = again.invoke(Map.class, "SendMessage", "still in the active one");
            assertEquals(second, ack.get("workflowId"));
        }
    }

    @Test
    void aUserWhoLeftEverythingGetsNoSessionRestored() {
        String alice = unique("alice");
        String workflow = unique("wf");
        try (HubClient a = connect(alice, "tenant-a")) {
            a.invoke(Map.class, "JoinWorkflow", workflow);
            a.invokeVoid("LeaveWorkflow", workflow);
        }
        try (HubClient again = connect(alice, "tenant-a")) {
            again.assertNo("SessionRestored", QUIET);
        }
    }

    @Test
    void withoutAWorkflowAMessageGoesToAllOfTheCallersConnectionsOnly() {
        String alice = unique("alice");
        try (HubClient tab1 = connect(alice, "tenant-a"); HubClient tab2 = connect(alice, "tenant-a");
             HubClient bob = connect(unique("bob"), "tenant-a")) {
            Map<?, ?> ack = tab1.invoke(Map.class, "SendMessage", "note to self");
            assertNull(ack.get("workflowId"));
            assertEquals("note to self", tab1.next("ReceiveMessage").get("content"));
            Map<String, Object> other = tab2.next("ReceiveMessage");
            assertEquals("note to self", other.get("content"));
            assertNull(other.get("workflowId"));
            bob.assertNo("ReceiveMessage", QUIET);
        }
    }

    @Test
    void emptyOrOverlongMessagesAreRefusedAndNothingIsStored() {
        String workflow = unique("wf");
        try (HubClient a = connect(unique("alice"), "tenant-a")) {
            a.invoke(Map.class, "JoinWorkflow", workflow);
            HubException blank = assertThrows(HubException.class, () -> a.invoke(Map.class, "SendMessage", "   \n "));
            assertEquals("A message must be 1 to 4000 characters long.", blank.getMessage());
            assertThrows(HubException.class, () -> a.invoke(Map.class, "SendMessage", "x".repeat(4001)));
            assertNotNull(a.invoke(Map.class, "SendMessage", "y".repeat(4000)));
            List<?> history = a.invoke(List.class, "GetHistory", workflow, null, 50);
            assertEquals(1, history.size(), "only the valid message is stored");
        }
    }

    @Test
    void getHistoryPagesOldestFirst() {
        String workflow = unique("wf");
        try (HubClient a = connect(unique("alice"), "tenant-a")) {
            a.invoke(Map.class, "JoinWorkflow", workflow);
            String one = (String) a.invoke(Map.class, "SendMessage", "one").get("messageId");
            a.invoke(Map.class, "SendMessage", "two");
            a.invoke(Map.class, "SendMessage", "three");

            List<?> latestTwo = a.invoke(List.class, "GetHistory", workflow, null, 2);
            assertEquals(List.of("two", "three"), contents(latestTwo));
            List<?> afterOne = a.invoke(List.class, "GetHistory", workflow, one, 10);
            assertEquals(List.of("two", "three"), contents(afterOne));

            HubException badLimit = assertThrows(HubException.class,
                    () -> a.invoke(List.class, "GetHistory", workflow, null, 501));
            assertEquals("The limit must be between 1 and 500.", badLimit.getMessage());
            HubException unknown = assertThrows(HubException.class,
                    () -> a.invoke(List.class, "GetHistory", workflow, UUID.randomUUID().toString(), 10));
            assertEquals("Message not found", unknown.getMessage());
        }
    }

    private static List<Object> contents(List<?> messages) {
        return messages.stream().<Object>map(message -> ((Map<?, ?>) message).get("content")).toList();
    }

    @Test
    void aPersonCanBeInAtMost200WorkflowsAndTheRefusedJoinChangesNothing() {
        String alice = unique("alice");
        try (HubClient client = connect(alice, "tenant-cap")) {
            for (int i = 0; i < 200; i++) {
                client.invoke(Map.class, "JoinWorkflow", "wf-" + i);
            }
            HubException refused = assertThrows(HubException.class, () -> client.invoke(Map.class, "JoinWorkflow", "wf-200"));
            assertTrue(refused.getMessage().contains("You can be in at most 200 workflows."), refused.getMessage());
            client.invoke(Map.class, "JoinWorkflow", "wf-7"); // one already joined: still fine

            Map<?, ?> ack = client.invoke(Map.class, "SendMessage", "still in wf-7");
            assertEquals("wf-7", ack.get("workflowId"), "the refused join did not change the active workflow");
        }
        try (HubClient again = connect(alice, "tenant-cap")) {
            Map<String, Object> restored = again.next("SessionRestored");
            assertEquals(200, ((java.util.List<?>) restored.get("workflows")).size());
        }
    }

    @Test
    void aMessageWithTheNulCharacterIsRefusedNotAnUnexpectedError() {
        try (HubClient client = connect(unique("alice"), "tenant-nul")) {
            client.invoke(Map.class, "JoinWorkflow", unique("wf"));
            HubException refused = assertThrows(HubException.class,
                    () -> client.invoke(Map.class, "SendMessage", "nul\u0000here"));
            assertTrue(refused.getMessage().contains("Argument 1 of 'SendMessage'"), refused.getMessage());
        }
    }

    /** A person's hub: an agent's API key is refused on every transport, Long Polling's requests included. */
    @Test
    void anApiKeyIsRefusedOnChatHubsLongPollingWith403() {
        RawHttpConnection connection = RawHttpConnection.negotiate(base, ChatHub.PATH,
                TestTokens.user(unique("alice"), "tenant-lp"));
        String apiKey = TestAgents.apiKey("tenant-lp");
        assertEquals(403, RawHttpConnection.send(connection.request(apiKey).GET()).statusCode());
    }
}
