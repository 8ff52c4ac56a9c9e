package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.signalr.protocol.TransferFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Messages that reach a stateful connection already serialized by another replica (through the
 * backplane) are numbered and replayed like local ones: the client counts every invocation.
 */
class StatefulReconnectOfRemoteMessagesTest {

    private static final Duration WAIT = Duration.ofSeconds(1);

    private static SerializedHubMessage fromAnotherReplica(String text) {
        String frame = "{\"type\":1,\"target\":\"Hello\",\"arguments\":[\"" + text + "\"]}\u001e";
        return SerializedHubMessage.preEncoded(Map.of("json",
                new EncodedFrame(frame.getBytes(StandardCharsets.UTF_8), TransferFormat.TEXT)), 0);
    }

    @Test
    void aMessageFromAnotherReplicaIsBufferedWhileDetachedAndReplayedOnReattach() {
        RecordingTransport first = new RecordingTransport();
        HubConnectionContext connection = new HubConnectionContext("c1", "test",
                new HubPrincipal("u1", null, null), first, Runnable::run, true);
        connection.completeHandshake(TestConnections.JSON, new ReplayBuffer(new ReplayBuffer.Limits(1 << 20, 100)));

        connection.write(fromAnotherReplica("before"));
        assertTrue(first.poll(WAIT).contains("before"));
        assertTrue(connection.detach(first));
        connection.write(fromAnotherReplica("while away"));

        RecordingTransport second = new RecordingTransport();
        assertTrue(connection.reattach(second));
        assertEquals("{\"type\":9,\"sequenceId\":1}\u001e", second.poll(WAIT), "nothing was acknowledged yet");
        assertTrue(second.poll(WAIT).contains("before"));
        assertTrue(second.poll(WAIT).contains("while away"));
    }
}
