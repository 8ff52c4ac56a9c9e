package io.switchboard.signalr.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * The {@code messagepack} hub protocol against HubProtocol.md ("MessagePack (MsgPack) encoding"): the
 * spec's own example payloads, every message type read and written, VarInt framing across reads,
 * strict argument binding, and the receive size limit.
 */
class MessagePackHubProtocolTest {

    private static final int NO_LIMIT = Integer.MAX_VALUE;

    /** As Quarkus builds its ObjectMapper: modules found on the classpath, ISO-8601 dates. */
    private static ObjectMapper quarkusLikeMapper() {
        return JsonMapper.builder()
                .findAndAddModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    public record ChatLine(String user, String text) {
    }

    public record Stamped(UUID id, Instant at, JsonNode extra) {
    }

    private static final Type LIST_OF_INTEGER = new TypeReference<List<Integer>>() { }.getType();

    /** A hub with a handful of typed methods, as HubMethods would describe them. */
    private static final Map<String, List<Type>> METHODS = Map.of(
            "method", List.of(Integer.class),
            "Send", List.of(String.class),
            "Add", List.of(Integer.class, Integer.class),
            "Post", List.of(ChatLine.class),
            "Sum", List.of(LIST_OF_INTEGER),
            "At", List.of(Instant.class),
            "Flag", List.of(Boolean.class));

    private static final InvocationBinder BINDER = target -> Optional.ofNullable(METHODS.get(target));

    private final ObjectMapper json = quarkusLikeMapper();
    private final MessagePackHubProtocol protocol = new MessagePackHubProtocol(json);

    // ---------------------------------------------------------------- helpers

    /** Bytes written as in HubProtocol.md: "0x96 0x01 ..." or "96 01 ...". */
    private static byte[] hex(String bytes) {
        return HexFormat.of().parseHex(bytes.replace("0x", "").replace(" ", ""));
    }

    /** Each body behind its VarInt length prefix, concatenated. */
    private static byte[] framed(byte[]... bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] body : bodies) {
            out.writeBytes(BinaryMessageFormat.frame(body));
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface Packing {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    /** One message body built with msgpack-core, independent of the codec under test. */
    private static byte[] body(Packing packing) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packing.pack(packer);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Invocation body with one pre-encoded value per argument. */
    private static byte[] invocation(String invocationId, String target, byte[]... arguments) {
        return body(p -> {
            p.packArrayHeader(6).packInt(1).packMapHeader(0);
            if (invocationId == null) {
                p.packNil();
            } else {
                p.packString(invocationId);
            }
            p.packString(target).packArrayHeader(arguments.length);
            for (byte[] argument : arguments) {
                p.writePayload(argument);
            }
            p.packArrayHeader(0);
        });
    }

    private static byte[] value(Packing packing) {
        return body(packing);
    }

    private List<HubMessage> parse(byte[] bytes) {
        return protocol.parseMessages(ByteBuffer.wrap(bytes), BINDER, NO_LIMIT);
    }

    private HubMessage parseSingle(byte[] messageBody) {
        ByteBuffer input = ByteBuffer.wrap(framed(messageBody));
        List<HubMessage> messages = protocol.parseMessages(input, BINDER, NO_LIMIT);
        assertEquals(1, messages.size(), () -> "messages parsed: " + messages);
        assertFalse(input.hasRemaining(), "the whole frame is consumed");
        return messages.get(0);
    }

    private HubMessage roundTrip(HubMessage message) {
        ByteBuffer input = ByteBuffer.wrap(protocol.write(message));
        List<HubMessage> messages = protocol.parseMessages(input, BINDER, NO_LIMIT);
        assertEquals(1, messages.size());
        assertFalse(input.hasRemaining());
        return messages.get(0);
    }

    /** The body of a written frame as msgpack-core's JSON-like rendering, after checking the prefix. */
    private String written(HubMessage message) {
        byte[] frame = protocol.write(message);
        ByteBuffer input = ByteBuffer.wrap(frame);
        BinaryMessageFormat.Frame prefix = BinaryMessageFormat.readFrame(input);
        assertEquals(frame.length, prefix.bodyStart() + prefix.bodyLength(), "the prefix gives the body's exact length");
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(frame, prefix.bodyStart(), prefix.bodyLength())) {
            String rendered = unpacker.unpackValue().toJson();
            assertFalse(unpacker.hasNext(), "one value per message");
            return rendered;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private HubProtocolException parseFails(byte[] messageBody) {
        return assertThrows(HubProtocolException.class, () -> parse(framed(messageBody)));
    }

    private InvocationBindingFailureMessage bindingFailure(byte[] messageBody) {
        return assertInstanceOf(InvocationBindingFailureMessage.class, parseSingle(messageBody));
    }

    // ---------------------------------------------------------------- identity

    @Test
    void identifiesItselfAsBinaryMessagePackProtocolVersion2() {
        assertEquals("messagepack", protocol.name());
        assertEquals(2, protocol.version());
        assertEquals(TransferFormat.BINARY, protocol.transferFormat());
    }

    // ---------------------------------------------------------------- framing

    @Nested
    class Framing {

        @Test
        void lengthPrefixIsTheSpecsVarInt() {
            assertArrayEquals(hex("35"), Arrays.copyOf(BinaryMessageFormat.frame(new byte[0x35]), 1));
            assertArrayEquals(hex("80 29"), Arrays.copyOf(BinaryMessageFormat.frame(new byte[5248]), 2));
            assertArrayEquals(hex("0B 68 65 6C 6C 6F 0A 77 6F 72 6C 64"),
                    BinaryMessageFormat.frame("hello\nworld".getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void messagesLargerThanThePackersFirstBufferAreWrittenWhole() {
            // Just past the first 512-byte buffer, and many buffers long.
            for (int length : new int[] {600, 32 * 1024}) {
                String text = "x".repeat(length);
                byte[] frame = protocol.write(InvocationMessage.push("Send", text));

                InvocationMessage parsed = assertInstanceOf(InvocationMessage.class,
                        protocol.parseMessages(ByteBuffer.wrap(frame), BINDER, NO_LIMIT).get(0));
                assertEquals(List.of(text), parsed.arguments());
            }
        }

        @Test
        void aMessageOver127BytesHasATwoBytePrefixAndSurvivesParsing() {
            String longText = "x".repeat(300);
            byte[] frame = protocol.write(InvocationMessage.push("Send", longText));
            assertTrue((frame[0] & 0x80) != 0 && (frame[1] & 0x80) == 0, "a two byte prefix");

            InvocationMessage parsed = assertInstanceOf(InvocationMessage.class,
                    protocol.parseMessages(ByteBuffer.wrap(frame), BINDER, NO_LIMIT).get(0));
            assertEquals(List.of(longText), parsed.arguments());
        }

        @Test
        void severalMessagesInOneBufferAreAllParsedInOrder() {
            byte[] both = framed(hex("91 06"), invocation("1", "Send", value(p -> p.packString("a"))),
                    hex("92 08 cc 24"));

            List<HubMessage> messages = parse(both);

            assertEquals(List.of(PingMessage.INSTANCE, new InvocationMessage("1", "Send", List.of("a"), Map.of()),
                    new AckMessage(36)), messages);
        }

        @Test
        void aMessageSplitAcrossReadsIsParsedOnceComplete() {
            byte[] whole = framed(invocation("7", "Add", value(p -> p.packInt(1)), value(p -> p.packInt(2))));
            ByteBuffer unread = ByteBuffer.allocate(0);
            for (int i = 0; i < whole.length - 1; i++) {
                unread = concat(unread, new byte[] {whole[i]});
                assertEquals(List.of(), protocol.parseMessages(unread, BINDER, NO_LIMIT), "nothing before byte " + (i + 1));
                assertEquals(0, unread.position(), "an incomplete message is left unread");
            }
            unread = concat(unread, new byte[] {whole[whole.length - 1]});

            assertEquals(List.of(new InvocationMessage("7", "Add", List.of(1, 2), Map.of())),
                    protocol.parseMessages(unread, BINDER, NO_LIMIT));
            assertFalse(unread.hasRemaining());
        }

        @Test
        void aCompleteMessageIsReturnedAndAPartialOneAfterItIsLeftUnread() {
            byte[] ping = framed(hex("91 06"));
            byte[] ack = framed(hex("92 08 cc 24"));
            ByteBuffer input = ByteBuffer.wrap(concat(ByteBuffer.wrap(ping), Arrays.copyOf(ack, 2)).array());

            assertEquals(List.of(PingMessage.INSTANCE), protocol.parseMessages(input, BINDER, NO_LIMIT));
            assertEquals(ping.length, input.position());
            assertEquals(2, input.remaining());
        }

        @Test
        void anIncompleteLengthPrefixWaitsForMoreBytes() {
            ByteBuffer input = ByteBuffer.wrap(hex("80 80"));

            assertEquals(List.of(), protocol.parseMessages(input, BINDER, NO_LIMIT));
            assertEquals(0, input.position());
        }

        @Test
        void aLengthPrefixLongerThanFiveBytesIsAProtocolError() {
            assertThrows(HubProtocolException.class, () -> parse(hex("80 80 80 80 80 01")));
            assertThrows(HubProtocolException.class, () -> parse(hex("ff ff ff ff 0f")), "over 2 GB");
        }

        @Test
        void anEmptyMessageIsAProtocolError() {
            assertThrows(HubProtocolException.class, () -> parse(hex("00")));
        }

        @Test
        void aMessageOverTheLimitIsRefusedAsSoonAsItsPrefixArrives() {
            byte[] frame = framed(invocation("1", "Send", value(p -> p.packString("x".repeat(100)))));
            int bodyLength = frame.length - 1;

            assertThrows(MessageTooLargeException.class,
                    () -> protocol.parseMessages(ByteBuffer.wrap(Arrays.copyOf(frame, 1)), BINDER, bodyLength - 1));
            assertEquals(1, protocol.parseMessages(ByteBuffer.wrap(frame), BINDER, bodyLength).size(),
                    "exactly the limit is accepted");
        }

        @Test
        void theLimitAppliesPerMessageNotPerRead() {
            byte[] one = invocation("1", "Send", value(p -> p.packString("x".repeat(50))));
            byte[] three = framed(one, one, one);

            assertEquals(3, protocol.parseMessages(ByteBuffer.wrap(three), BINDER, one.length).size());
        }

        private static ByteBuffer concat(ByteBuffer unread, byte[] more) {
            byte[] joined = new byte[unread.remaining() + more.length];
            unread.duplicate().get(joined, 0, unread.remaining());
            System.arraycopy(more, 0, joined, unread.remaining(), more.length);
            return ByteBuffer.wrap(joined);
        }
    }

    // ---------------------------------------------------------------- Invocation

    @Nested
    class Invocation {

        @Test
        void theSpecsInvocationExampleIsParsed() {
            assertEquals(new InvocationMessage("xyz", "method", List.of(42), Map.of()),
                    parseSingle(hex("0x96 0x01 0x80 0xa3 0x78 0x79 0x7a 0xa6 0x6d 0x65 0x74 0x68 0x6f 0x64 0x91 0x2a 0x90")));
        }

        @Test
        void streamIdsAreTheSixthItem() {
            // [1, {}, "xyz", "method", [42], ["s"]] and the same with nil in place of the ids.
            assertEquals(new InvocationMessage("xyz", "method", List.of(42), Map.of(), List.of("s")),
                    parseSingle(hex("0x96 0x01 0x80 0xa3 0x78 0x79 0x7a 0xa6 0x6d 0x65 0x74 0x68 0x6f 0x64 0x91 0x2a 0x91 0xa1 0x73")));
            assertEquals(new InvocationMessage("xyz", "method", List.of(42), Map.of()),
                    parseSingle(hex("0x96 0x01 0x80 0xa3 0x78 0x79 0x7a 0xa6 0x6d 0x65 0x74 0x68 0x6f 0x64 0x91 0x2a 0xc0")));
            assertEquals("The 'streamIds' item must be a string.", parseFails(
                    hex("0x96 0x01 0x80 0xa3 0x78 0x79 0x7a 0xa6 0x6d 0x65 0x74 0x68 0x6f 0x64 0x91 0x2a 0x91 0x01")).getMessage());
        }

        @Test
        void theSpecsNonBlockingExampleHasNoInvocationId() {
            assertEquals(new InvocationMessage(null, "method", List.of(42), Map.of()),
                    parseSingle(hex("0x96 0x01 0x80 0xc0 0xa6 0x6d 0x65 0x74 0x68 0x6f 0x64 0x91 0x2a 0x90")));
        }

        @Test
        void theSpecsHeadersExampleIsParsed() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class, parseSingle(hex(
                    "0x96 0x01 0x82 0xa1 0x78 0xa1 0x79 0xa1 0x7a 0xa1 0x7a 0xa3 0x78 0x79 0x7a 0xa6 0x6d 0x65 0x74 0x68"
                            + " 0x6f 0x64 0x91 0x2a 0x90")));

            assertEquals(Map.of("x", "y", "z", "z"), message.headers());
            assertEquals(List.of(42), message.arguments());
        }

        @Test
        void anInvocationWithoutTheStreamIdsItemIsAccepted() {
            // @microsoft/signalr-protocol-msgpack leaves streamIds out when there are none.
            byte[] fiveItems = body(p -> p.packArrayHeader(5).packInt(1).packMapHeader(0).packString("1")
                    .packString("Send").packArrayHeader(1).packString("hi"));

            assertEquals(new InvocationMessage("1", "Send", List.of("hi"), Map.of()), parseSingle(fiveItems));
        }

        @Test
        void anEmptyInvocationIdMeansFireAndForget() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle(invocation("", "Send", value(p -> p.packString("x")))));

            assertNull(message.invocationId());
        }

        @Test
        void aMapArgumentBindsToARecord() {
            byte[] line = value(p -> p.packMapHeader(2).packString("user").packString("ann")
                    .packString("text").packString("hi"));

            assertEquals(List.of(new ChatLine("ann", "hi")),
                    assertInstanceOf(InvocationMessage.class, parseSingle(invocation("1", "Post", line))).arguments());
        }

        @Test
        void anArrayArgumentBindsWithItsElementType() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle(invocation("1", "Sum", value(p -> p.packArrayHeader(3).packInt(1).packInt(2).packInt(3)))));

            assertEquals(List.of(List.of(1, 2, 3)), message.arguments());
            assertInstanceOf(Integer.class, ((List<?>) message.arguments().get(0)).get(0));
        }

        @Test
        void anIsoStringBindsToInstant() {
            assertEquals(List.of(Instant.parse("2024-01-02T03:04:05Z")), assertInstanceOf(InvocationMessage.class,
                    parseSingle(invocation("1", "At", value(p -> p.packString("2024-01-02T03:04:05Z"))))).arguments());
        }

        @Test
        void nilBindsToNullForReferenceTypes() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle(invocation("1", "Add", value(p -> p.packNil()), value(p -> p.packInt(3)))));

            assertEquals(Arrays.asList(null, 3), message.arguments());
        }

        @Test
        void integersOfEveryWidthBindToInteger() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class, parseSingle(invocation("1", "Add",
                    hex("cc 80"), hex("d1 ff 00"))));

            assertEquals(List.of(128, -256), message.arguments());
        }

        @Test
        void writtenPushHasNilIdEmptyHeadersAndEmptyStreamIds() {
            assertEquals("[1,{},null,\"Receive\",[\"ann\",42,true],[]]",
                    written(InvocationMessage.push("Receive", "ann", 42, true)));
        }

        @Test
        void writtenArgumentsAreMapsWithCamelCaseKeysAndTimesAndIdsAreStrings() {
            UUID id = UUID.fromString("0b7e8a8e-2f0b-4a39-9a51-5d1c8e0e2d11");
            Stamped stamped = new Stamped(id, Instant.parse("2024-01-02T03:04:05.120Z"),
                    json.createObjectNode().put("rows", 1));

            assertEquals("[1,{},null,\"Receive\",[{\"id\":\"0b7e8a8e-2f0b-4a39-9a51-5d1c8e0e2d11\","
                            + "\"at\":\"2024-01-02T03:04:05.120Z\",\"extra\":{\"rows\":1}},null],[]]",
                    written(InvocationMessage.push("Receive", stamped, null)));
        }

        @Test
        void writtenInvocationWithIdAndHeadersHasThemAll() {
            assertEquals("[1,{\"k\":\"v\"},\"7\",\"Notify\",[],[]]",
                    written(new InvocationMessage("7", "Notify", List.of(), Map.of("k", "v"))));
        }

        @Test
        void invocationSurvivesWriteAndParse() {
            InvocationMessage add = new InvocationMessage("42", "Add", List.of(1, 2), Map.of("a", "b"));
            InvocationMessage post = new InvocationMessage(null, "Post", List.of(new ChatLine("bob", "yo")), Map.of());

            assertEquals(add, roundTrip(add));
            assertEquals(post, roundTrip(post));
        }
    }

    // ---------------------------------------------------------------- binding failures

    @Nested
    class BindingFailures {

        @Test
        void anUnknownMethodIsABindingFailureNotAnException() {
            InvocationBindingFailureMessage failure = bindingFailure(invocation("1", "Nope", value(p -> p.packInt(1))));

            assertEquals(new InvocationBindingFailureMessage("1", "Nope", "Unknown hub method 'Nope'."), failure);
        }

        @Test
        void theWrongNumberOfArgumentsIsABindingFailure() {
            assertEquals("'Add' takes 2 argument(s) but was given 1.",
                    bindingFailure(invocation("1", "Add", value(p -> p.packInt(1)))).reason());
        }

        @Test
        void aStringIsNotAnInteger() {
            assertEquals("Argument 2 of 'Add' has the wrong type.",
                    bindingFailure(invocation("1", "Add", value(p -> p.packInt(1)), value(p -> p.packString("5")))).reason());
        }

        @Test
        void aNumberIsNotAString() {
            assertEquals("Argument 1 of 'Send' has the wrong type.",
                    bindingFailure(invocation("1", "Send", value(p -> p.packInt(5)))).reason());
        }

        @Test
        void aFloatIsNotTruncatedToAnInteger() {
            bindingFailure(invocation("1", "Add", value(p -> p.packDouble(1.5)), value(p -> p.packInt(1))));
        }

        @Test
        void aMapIsNotAStringAndAStringIsNotABoolean() {
            bindingFailure(invocation("1", "Send", value(p -> p.packMapHeader(0))));
            bindingFailure(invocation("1", "Flag", value(p -> p.packString("true"))));
        }

        @Test
        void binaryDataAndExtensionValuesAreNotStrings() {
            bindingFailure(invocation("1", "Send", value(p -> p.packBinaryHeader(2).writePayload(new byte[] {1, 2}))));
            bindingFailure(invocation("1", "Send", value(p -> p.packExtensionTypeHeader((byte) 1, 1).writePayload(new byte[] {7}))));
            bindingFailure(invocation("1", "Post", value(p -> p.packMapHeader(2).packString("user")
                    .packBinaryHeader(1).writePayload(new byte[] {1}).packString("text").packString("hi"))));
        }

        @Test
        void aBindingFailureKeepsItsInvocationIdAndTheNextMessageIsStillParsed() {
            List<HubMessage> messages = parse(framed(invocation("9", "Add", value(p -> p.packString("x")),
                    value(p -> p.packInt(1))), hex("91 06")));

            assertEquals("9", assertInstanceOf(InvocationBindingFailureMessage.class, messages.get(0)).invocationId());
            assertSame(PingMessage.INSTANCE, messages.get(1));
        }
    }

    // ---------------------------------------------------------------- protocol errors

    @Nested
    class ProtocolErrors {

        @Test
        void aBodyThatIsNotAnArrayIsAProtocolError() {
            assertEquals("The 'message' item must be an array.", parseFails(hex("a3 78 79 7a")).getMessage());
        }

        @Test
        void aTypeThatIsNotAnIntegerIsAProtocolError() {
            assertEquals("The 'type' item must be an integer.", parseFails(hex("91 a1 31")).getMessage());
        }

        @Test
        void aTargetThatIsNotAStringIsAProtocolError() {
            parseFails(body(p -> p.packArrayHeader(6).packInt(1).packMapHeader(0).packString("1").packInt(5)
                    .packArrayHeader(0).packArrayHeader(0)));
        }

        @Test
        void headersThatAreNotAMapAreAProtocolError() {
            parseFails(body(p -> p.packArrayHeader(6).packInt(1).packArrayHeader(0).packString("1").packString("Send")
                    .packArrayHeader(0).packArrayHeader(0)));
        }

        @Test
        void argumentsThatAreNotAnArrayAreAProtocolError() {
            parseFails(body(p -> p.packArrayHeader(6).packInt(1).packMapHeader(0).packString("1").packString("Send")
                    .packString("hi").packArrayHeader(0)));
        }

        @Test
        void anInvocationWithTooFewItemsIsAProtocolError() {
            parseFails(body(p -> p.packArrayHeader(3).packInt(1).packMapHeader(0).packString("1")));
        }

        @Test
        void aBodyShorterThanItsArrayHeaderSaysIsAProtocolError() {
            // Says six items, carries five: the argument array is missing.
            parseFails(hex("96 01 80 a1 31 a4 53 65 6e 64"));
        }

        @Test
        void bytesThatAreNotMessagePackAreAProtocolError() {
            parseFails(hex("c1"));
        }
    }

    // ---------------------------------------------------------------- Completion

    @Nested
    class Completion {

        @Test
        void theSpecsErrorResultExampleIsParsed() {
            assertEquals(CompletionMessage.withError("xyz", "Error"),
                    parseSingle(hex("0x95 0x03 0x80 0xa3 0x78 0x79 0x7a 0x01 0xa5 0x45 0x72 0x72 0x6f 0x72")));
        }

        @Test
        void theSpecsVoidResultExampleIsParsed() {
            assertEquals(CompletionMessage.empty("xyz"), parseSingle(hex("0x94 0x03 0x80 0xa3 0x78 0x79 0x7a 0x02")));
        }

        @Test
        void theSpecsNonVoidResultExampleKeepsTheResultAsATree() {
            assertEquals(CompletionMessage.withResult("xyz", IntNode.valueOf(42)),
                    parseSingle(hex("0x95 0x03 0x80 0xa3 0x78 0x79 0x7a 0x03 0x2a")));
        }

        @Test
        void anUnknownResultKindIsAProtocolError() {
            parseFails(hex("95 03 80 a3 78 79 7a 07 2a"));
        }

        @Test
        void writtenVoidCompletionIsTheSpecsBytes() {
            assertArrayEquals(framed(hex("0x94 0x03 0x80 0xa3 0x78 0x79 0x7a 0x02")),
                    protocol.write(CompletionMessage.empty("xyz")));
        }

        @Test
        void writtenErrorCompletionIsTheSpecsBytes() {
            assertArrayEquals(framed(hex("0x95 0x03 0x80 0xa3 0x78 0x79 0x7a 0x01 0xa5 0x45 0x72 0x72 0x6f 0x72")),
                    protocol.write(CompletionMessage.withError("xyz", "Error")));
        }

        @Test
        void writtenResultIsARecordMapOrAnExplicitNil() {
            assertEquals("[3,{},\"2\",3,{\"user\":\"ann\",\"text\":\"hi\"}]",
                    written(CompletionMessage.withResult("2", new ChatLine("ann", "hi"))));
            assertEquals("[3,{},\"3\",3,null]", written(CompletionMessage.withResult("3", null)));
        }

        @Test
        void completionSurvivesWriteAndParseInEachForm() {
            assertEquals(CompletionMessage.withResult("1", TextNode.valueOf("ok")),
                    roundTrip(CompletionMessage.withResult("1", "ok")));
            assertEquals(CompletionMessage.empty("3"), roundTrip(CompletionMessage.empty("3")));
            assertEquals(CompletionMessage.withError("4", "bad"), roundTrip(CompletionMessage.withError("4", "bad")));
        }
    }

    // ---------------------------------------------------------------- the other message types

    @Nested
    class OtherMessages {

        @Test
        void pingIsAlwaysExactly0x91_0x06() {
            assertArrayEquals(hex("02 91 06"), protocol.write(PingMessage.INSTANCE));
            assertSame(PingMessage.INSTANCE, parseSingle(hex("91 06")));
        }

        @Test
        void theSpecsCloseExamplesAreParsed() {
            assertEquals(new CloseMessage("xyz", false), parseSingle(hex("0x92 0x07 0xa3 0x78 0x79 0x7a")));
            assertEquals(new CloseMessage("xyz", true), parseSingle(hex("0x93 0x07 0xa3 0x78 0x79 0x7a 0xc3")));
            assertEquals(CloseMessage.NORMAL, parseSingle(hex("92 07 c0")));
        }

        @Test
        void writtenCloseHasErrorOrNilAndAllowReconnect() {
            assertEquals("[7,\"Connection closed with an error.\",false]",
                    written(CloseMessage.error("Connection closed with an error.")));
            assertEquals("[7,null,true]", written(new CloseMessage(null, true)));
        }

        @Test
        void theSpecsAckAndSequenceExamplesAreParsed() {
            assertEquals(new AckMessage(36), parseSingle(hex("0x92 0x08 0xcc 0x24")));
            assertEquals(new SequenceMessage(19), parseSingle(hex("0x92 0x09 0xcc 0x13")));
        }

        @Test
        void ackAndSequenceCarryLongIds() {
            assertEquals("[8,5000000000]", written(new AckMessage(5_000_000_000L)));
            assertEquals(new SequenceMessage(5_000_000_000L), roundTrip(new SequenceMessage(5_000_000_000L)));
        }

        @Test
        void theSpecsCancelInvocationExampleIsParsedAndWritten() {
            assertEquals(new CancelInvocationMessage("xyz"), parseSingle(hex("0x93 0x05 0x80 0xa3 0x78 0x79 0x7a")));
            assertArrayEquals(framed(hex("0x93 0x05 0x80 0xa3 0x78 0x79 0x7a")),
                    protocol.write(new CancelInvocationMessage("xyz")));
        }

        @Test
        void theSpecsStreamItemAndStreamInvocationExamplesAreParsed() {
            assertEquals(new StreamItemMessage("xyz"), parseSingle(hex("0x94 0x02 0x80 0xa3 0x78 0x79 0x7a 0x2a")));
            assertEquals(new StreamInvocationMessage("xyz", "method"), parseSingle(hex(
                    "0x96 0x04 0x80 0xa3 0x78 0x79 0x7a 0xa6 0x6d 0x65 0x74 0x68 0x6f 0x64 0x91 0x2a 0x90")));
            assertEquals(new StreamInvocationMessage("s", "Count"), roundTrip(new StreamInvocationMessage("s", "Count")));
            assertEquals(new StreamItemMessage("s"), roundTrip(new StreamItemMessage("s")));
        }

        @Test
        void anUnknownMessageTypeIsSkippedAndTheNextOneParsed() {
            assertEquals(List.of(PingMessage.INSTANCE), parse(framed(hex("92 0a c0"), hex("91 06"))));
        }

        @Test
        void aBindingFailureIsNeverWritten() {
            assertThrows(IllegalArgumentException.class,
                    () -> protocol.write(new InvocationBindingFailureMessage("1", "X", "no")));
        }
    }
}
