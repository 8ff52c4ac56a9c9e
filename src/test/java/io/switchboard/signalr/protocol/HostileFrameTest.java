package io.switchboard.signalr.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Frames written to hurt the server: lengths and counts far beyond what the frame holds, and nesting
 * deeper than the limit. Each must fail as a protocol error (the connection is closed with an error)
 * without allocating anything near the claimed size.
 */
class HostileFrameTest {

    private static final int MAX_MESSAGE_SIZE = 32 * 1024;
    private static final long ALLOWED_ALLOCATION = 4L * 1024 * 1024;

    private static final Map<String, List<Type>> METHODS = Map.of(
            "Send", List.of(String.class),
            "Post", List.of(Object.class));
    private static final InvocationBinder BINDER = target -> Optional.ofNullable(METHODS.get(target));

    private final ObjectMapper mapper = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private final MessagePackHubProtocol messagePack = new MessagePackHubProtocol(mapper);
    private final JsonHubProtocol json = new JsonHubProtocol(mapper);

    /** A MessagePack body (hex) behind its VarInt length prefix. */
    private static ByteBuffer framed(String hexBody) {
        return ByteBuffer.wrap(BinaryMessageFormat.frame(HexFormat.of().parseHex(hexBody.replace(" ", ""))));
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Parses and expects a protocol error, having allocated at most a few MiB on the way. */
    private HubProtocolException refused(HubProtocol protocol, ByteBuffer input) {
        long before = allocatedByThisThread();
        HubProtocolException error = assertThrows(HubProtocolException.class,
                () -> protocol.parseMessages(input, BINDER, MAX_MESSAGE_SIZE));
        long allocated = allocatedByThisThread() - before;
        assertTrue(allocated < ALLOWED_ALLOCATION, "parsing allocated " + allocated + " bytes");
        return error;
    }

    @Test
    void headersClaimingTwoBillionEntriesAreRefusedWithoutAllocatingThem() {
        // The security probe's 29 bytes: Invocation whose headers map claims 2^31 - 1 entries.
        ByteBuffer frame = framed("95 01 df7fffffff a161 a162 c0 a453656e64 91a178");
        HubProtocolException error = refused(messagePack, frame);
        assertTrue(error.getMessage().contains("more items than it holds"), error.getMessage());
    }

    @Test
    void argumentsArrayClaimingMoreItemsThanTheFrameIsRefused() {
        refused(messagePack, framed("95 01 80 c0 a453656e64 dd7fffffff a178"));
    }

    @Test
    void stringClaimingTwoGigabytesIsRefused() {
        HubProtocolException error = refused(messagePack, framed("95 01 80 c0 db7fffffff 41424344"));
        assertTrue(error.getMessage().contains("longer than itself"), error.getMessage());
    }

    @Test
    void binaryAndExtensionValuesClaimingTwoGigabytesAreRefused() {
        refused(messagePack, framed("95 01 80 c0 a453656e64 91 c67fffffff 00"));
        refused(messagePack, framed("95 01 80 c0 a453656e64 91 c97fffffff 01 00"));
    }

    @Test
    void arrayHeaderWithNegativeLookingCountIsRefused() {
        refused(messagePack, framed("95 01 80 c0 a453656e64 ddffffffff"));
    }

    @Test
    void messagePackNestedDeeperThanTheLimitIsRefused() {
        StringBuilder nested = new StringBuilder();
        nested.append("91".repeat(200)).append("01");
        HubProtocolException error = refused(messagePack,
                framed("95 01 80 c0 a4506f7374 91" + nested));
        assertTrue(error.getMessage().contains("nested"), error.getMessage());
    }

    @Test
    void messagePackNestedWithinTheLimitIsParsed() {
        String nested = "91".repeat(60) + "01";
        List<HubMessage> messages = messagePack.parseMessages(framed("95 01 80 c0 a4506f7374 91" + nested), BINDER,
                MAX_MESSAGE_SIZE);
        assertEquals(1, messages.size());
        assertTrue(messages.get(0) instanceof InvocationMessage, messages.get(0).toString());
    }

    @Test
    void jsonNestedDeeperThanTheLimitIsRefused() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        String message = "{\"type\":1,\"target\":\"Post\",\"arguments\":[" + deep + "]}\u001e";
        HubProtocolException error = refused(json, ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
        assertTrue(error.getMessage().contains("nested more than 64"), error.getMessage());
    }

    @Test
    void handshakeNestedDeeperThanTheLimitIsRefused() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        String request = "{\"protocol\":\"json\",\"version\":1,\"x\":" + deep + "}\u001e";
        assertThrows(HubProtocolException.class, () -> new HandshakeProtocol(mapper)
                .parseRequest(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)), MAX_MESSAGE_SIZE));
    }
}
