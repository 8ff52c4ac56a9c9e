package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.signalr.protocol.BinaryMessageFormat;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.signalr.testhub.EngineTestHubs;
import io.switchboard.testing.RawHubSocket;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * The messagepack protocol over a bare WebSocket on the engine's test hub: the JSON handshake, then binary frames
 * both ways, results as maps with camelCase keys, strict binding and the per-message size limit.
 */
@QuarkusTest
@TestProfile(EngineTestHubs.class)
class MessagePackWebSocketTest {

    @TestHTTPResource("/")
    URI base;

    private RawHubSocket connected() {
        RawHubSocket socket = RawHubSocket.open(base, EchoHub.PATH,
                TestTokens.user("mp-" + UUID.randomUUID(), "tenant-msgpack"));
        socket.send("{\"protocol\":\"messagepack\",\"version\":1}" + RawHubSocket.RS);
        assertEquals("{}" + RawHubSocket.RS, new String(socket.nextBinary(), StandardCharsets.UTF_8),
                "the handshake answer is JSON, in a binary frame like every frame of this connection");
        return socket;
    }

    private static byte[] invocation(String id, String target, Object... arguments) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packArrayHeader(6).packInt(1).packMapHeader(0).packString(id).packString(target)
                    .packArrayHeader(arguments.length);
            for (Object argument : arguments) {
                if (argument instanceof Integer number) {
                    packer.packInt(number);
                } else {
                    packer.packString((String) argument);
                }
            }
            packer.packArrayHeader(0);
            return BinaryMessageFormat.frame(packer.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages of one binary frame, each a MessagePack array, skipping Pings. */
    private static List<Value> messages(byte[] frame) {
        List<Value> messages = new ArrayList<>();
        int position = 0;
        while (position < frame.length) {
            int length = 0;
            int shift = 0;
            byte b;
            do {
                b = frame[position++];
                length |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(frame, position, length)) {
                Value message = unpacker.unpackValue();
                if (message.asArrayValue().get(0).asIntegerValue().asInt() != 6) {
                    messages.add(message);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            position += length;
        }
        return messages;
    }

    private static Value next(RawHubSocket socket) {
        while (true) {
            List<Value> messages = messages(socket.nextBinary());
            if (!messages.isEmpty()) {
                assertEquals(1, messages.size(), "one message per frame");
                return messages.get(0);
            }
        }
    }

    private static Map<Value, Value> map(Value value) {
        return value.asMapValue().map();
    }

    private static String text(Map<Value, Value> map, String key) {
        return map.get(ValueFactory.newString(key)).asStringValue().asString();
    }

    @Test
    void invocationsAreAnsweredInBinaryFramesWithCamelCaseMapsAndIsoTimes() {
        String group = "group-" + UUID.randomUUID();
        try (RawHubSocket socket = connected()) {
            socket.sendBinary(invocation("1", "Join", group));
            Value joined = next(socket);
            assertEquals("Joined", joined.asArrayValue().get(3).asStringValue().asString());
            Value completion = next(socket);
            assertEquals("[3,{},\"1\",3,\"" + group + "\"]", completion.toJson());

            socket.sendBinary(invocation("2", "Send", "hello in msgpack"));
            Map<Value, Value> received = map(next(socket).asArrayValue().get(4).asArrayValue().get(0));
            Map<Value, Value> answer = map(next(socket).asArrayValue().get(4));
            assertEquals("hello in msgpack", text(received, "text"));
            assertEquals(group, text(answer, "group"));
            assertEquals(text(answer, "sentAt"), text(received, "sentAt"));
            Instant.parse(text(answer, "sentAt"));
            assertEquals(Set.of("text", "group", "fromUser", "sentAt"),
                    answer.keySet().stream().map(key -> key.asStringValue().asString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void aWronglyTypedArgumentIsAnErrorCompletionAndTheConnectionStaysUsable() {
        try (RawHubSocket socket = connected()) {
            socket.sendBinary(invocation("1", "Echo", 42));
            assertEquals("[3,{},\"1\",1,\"Argument 1 of 'Echo' has the wrong type.\"]", next(socket).toJson());
            socket.sendBinary(invocation("2", "Nope"));
            assertEquals("[3,{},\"2\",1,\"Unknown hub method 'Nope'.\"]", next(socket).toJson());
        }
    }

    @Test
    void aMessageOver32KiBClosesTheConnectionWithACloseError() {
        try (RawHubSocket socket = connected()) {
            socket.sendBinary(invocation("1", "Echo", "x".repeat(33 * 1024)));
            Value close = next(socket);
            assertEquals(7, close.asArrayValue().get(0).asIntegerValue().asInt());
            assertTrue(close.asArrayValue().get(1).asStringValue().asString()
                    .contains("exceeds the maximum size of 32768 bytes"), close.toJson());
            socket.awaitClosed();
        }
    }

    @Test
    void aFrameClaimingTwoBillionHeadersClosesOnlyThatConnectionWithACloseError() {
        try (RawHubSocket hostile = connected(); RawHubSocket bystander = connected()) {
            hostile.sendBinary(java.util.HexFormat.of().parseHex("1495" + "01df7fffffffa161a162c0a453656e6491a178"));
            Value close = next(hostile);
            assertEquals(7, close.asArrayValue().get(0).asIntegerValue().asInt());
            assertTrue(close.asArrayValue().get(1).asStringValue().asString().contains("more items than it holds"),
                    close.toJson());
            hostile.awaitClosed();

            bystander.sendBinary(invocation("1", "Echo", 42));
            assertEquals("[3,{},\"1\",1,\"Argument 1 of 'Echo' has the wrong type.\"]", next(bystander).toJson());
        }
    }
}
