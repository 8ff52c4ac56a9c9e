package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A message that arrives a byte at a time (one WebSocket message or POST per byte) costs in proportion
 * to its size, not to its size squared: the server neither copies nor re-scans what it already has.
 */
class ByteAtATimeInputTest {

    private static final char RS = '\u001e';

    private final Hub hub = new Hub() {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String path() {
            return "/hubs/echo";
        }


        @Override
        public void describe(HubMethods methods) {
            methods.on("Echo", String.class, (caller, text) -> text.length());
        }
    };

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aThirtyKilobyteMessageSentByteByByteIsReadInLinearTime() {
        HubConnectionHandler handler = TestConnections.handler(hub, Runnable::run);
        RecordingTransport transport = new RecordingTransport();
        HubConnectionContext connection = handler.open("c1", new HubPrincipal("u1", null, null), transport);
        handler.onData(connection, ("{\"protocol\":\"json\",\"version\":1}" + RS).getBytes(StandardCharsets.UTF_8));
        assertEquals("{}" + RS, transport.poll(Duration.ofSeconds(5)));

        String text = "x".repeat(30_000);
        byte[] message = ("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\"" + text + "\"]}" + RS)
                .getBytes(StandardCharsets.UTF_8);
        long before = allocatedByThisThread();
        for (byte b : message) {
            handler.onData(connection, new byte[] {b});
        }
        long allocated = allocatedByThisThread() - before;

        assertEquals("{\"type\":3,\"invocationId\":\"1\",\"result\":30000}" + RS, transport.poll(Duration.ofSeconds(5)));
        // Copying what was buffered on every byte would allocate about n^2 / 2 = 450 MB here.
        assertTrue(allocated < 16L * 1024 * 1024, "reading allocated " + allocated + " bytes");
    }
}
