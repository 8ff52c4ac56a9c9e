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
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code json} hub protocol against HubProtocol.md ("JSON Encoding"): every message type read and
 * written, 0x1E framing across reads, strict argument binding, and the receive size limit.
 */
class JsonHubProtocolTest {

    private static final byte RS = 0x1e;
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

    private static final Type LIST_OF_INTEGER = new TypeReference<List<Integer>>() { }.getType();

    /** A hub with a handful of typed methods, as HubMethods would describe them. */
    private static final Map<String, List<Type>> METHODS = Map.of(
            "Send", List.of(String.class),
            "Add", List.of(Integer.class, Integer.class),
            "Post", List.of(ChatLine.class),
            "Ping", List.of(),
            "Sum", List.of(LIST_OF_INTEGER),
            "At", List.of(Instant.class));

    private static final InvocationBinder BINDER = target -> Optional.ofNullable(METHODS.get(target));

    private final ObjectMapper mapper = quarkusLikeMapper();
    private final JsonHubProtocol protocol = new JsonHubProtocol(mapper);

    // ---------------------------------------------------------------- helpers

    /** Each JSON text UTF-8 encoded and terminated by 0x1E, concatenated in one buffer. */
    private static ByteBuffer frames(String... jsons) {
        StringBuilder text = new StringBuilder();
        for (String json : jsons) {
            text.append(json).append('\u001e');
        }
        return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuffer raw(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<HubMessage> parse(String... jsons) {
        return protocol.parseMessages(frames(jsons), BINDER, NO_LIMIT);
    }

    private HubMessage parseSingle(String json) {
        ByteBuffer input = frames(json);
        List<HubMessage> messages = protocol.parseMessages(input, BINDER, NO_LIMIT);
        assertEquals(1, messages.size(), () -> "messages parsed from " + json + ": " + messages);
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

    /** The JSON text of a written frame, after checking it has exactly one 0x1E, at the end. */
    private String written(HubMessage message) {
        byte[] frame = protocol.write(message);
        assertTrue(frame.length > 0);
        assertEquals(RS, frame[frame.length - 1], "a frame ends with the record separator");
        for (int i = 0; i < frame.length - 1; i++) {
            assertTrue(frame[i] != RS, "0x1E appears only as the terminator, but is at index " + i);
        }
        return new String(frame, 0, frame.length - 1, StandardCharsets.UTF_8);
    }

    private HubProtocolException parseFails(String... jsons) {
        return assertThrows(HubProtocolException.class, () -> parse(jsons));
    }

    private InvocationBindingFailureMessage bindingFailure(String json) {
        return assertInstanceOf(InvocationBindingFailureMessage.class, parseSingle(json));
    }

    private static ByteBuffer concat(ByteBuffer unread, byte[] more) {
        byte[] joined = new byte[unread.remaining() + more.length];
        unread.duplicate().get(joined, 0, unread.remaining());
        System.arraycopy(more, 0, joined, unread.remaining(), more.length);
        return ByteBuffer.wrap(joined);
    }

    // ---------------------------------------------------------------- identity

    @Test
    void identifiesItselfAsTextJsonProtocolVersion2() {
        assertEquals("json", protocol.name());
        assertEquals(2, protocol.version());
        assertEquals(TransferFormat.TEXT, protocol.transferFormat());
    }

    // ---------------------------------------------------------------- Invocation

    @Nested
    class Invocation {

        @Test
        void invocationWithIdBindsStringArgument() {
            HubMessage message = parseSingle("{\"type\":1,\"invocationId\":\"123\",\"target\":\"Send\",\"arguments\":[\"hello\"]}");

            assertEquals(new InvocationMessage("123", "Send", List.of("hello"), Map.of()), message);
        }

        @Test
        void invocationWithoutIdIsFireAndForget() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"hello\"]}"));

            assertNull(message.invocationId());
            assertEquals("Send", message.target());
            assertEquals(List.of("hello"), message.arguments());
        }

        @Test
        void invocationWithNullInvocationIdIsFireAndForget() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"invocationId\":null,\"target\":\"Send\",\"arguments\":[\"x\"]}"));

            assertNull(message.invocationId());
        }

        @Test
        void invocationHeadersAreParsed() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class, parseSingle(
                    "{\"type\":1,\"headers\":{\"Foo\":\"Bar\",\"trace\":\"abc\"},\"invocationId\":\"1\","
                            + "\"target\":\"Send\",\"arguments\":[\"x\"]}"));

            assertEquals(Map.of("Foo", "Bar", "trace", "abc"), message.headers());
        }

        @Test
        void invocationWithoutHeadersHasEmptyHeaders() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"x\"]}"));

            assertEquals(Map.of(), message.headers());
        }

        @Test
        void integerArgumentsBindToInteger() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Add\",\"arguments\":[2,-40]}"));

            assertEquals(List.of(2, -40), message.arguments());
            assertInstanceOf(Integer.class, message.arguments().get(0));
        }

        @Test
        void nullArgumentBindsToNullForReferenceTypes() {
            InvocationMessage add = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"target\":\"Add\",\"arguments\":[null,3]}"));
            InvocationMessage send = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"target\":\"Send\",\"arguments\":[null]}"));
            InvocationMessage post = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"target\":\"Post\",\"arguments\":[null]}"));

            assertEquals(Arrays.asList(null, 3), add.arguments());
            assertEquals(Arrays.asList((Object) null), send.arguments());
            assertEquals(Arrays.asList((Object) null), post.arguments());
        }

        @Test
        void objectArgumentBindsToRecord() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class, parseSingle(
                    "{\"type\":1,\"invocationId\":\"9\",\"target\":\"Post\",\"arguments\":[{\"user\":\"ann\",\"text\":\"hi\"}]}"));

            assertEquals(List.of(new ChatLine("ann", "hi")), message.arguments());
        }

        @Test
        void genericParameterTypeIsBoundWithItsElementType() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"target\":\"Sum\",\"arguments\":[[1,2,3]]}"));

            assertEquals(List.of(List.of(1, 2, 3)), message.arguments());
            assertInstanceOf(Integer.class, ((List<?>) message.arguments().get(0)).get(0));
        }

        @Test
        void isoTimestampArgumentBindsToInstant() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"target\":\"At\",\"arguments\":[\"2024-01-02T03:04:05Z\"]}"));

            assertEquals(List.of(Instant.parse("2024-01-02T03:04:05Z")), message.arguments());
        }

        @Test
        void invocationOfMethodWithoutParametersHasNoArguments() {
            InvocationMessage message = assertInstanceOf(InvocationMessage.class,
                    parseSingle("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Ping\",\"arguments\":[]}"));

            assertEquals(List.of(), message.arguments());
        }

        @Test
        void writtenPushOmitsInvocationIdAndHeaders() {
            assertEquals("{\"type\":1,\"target\":\"Receive\",\"arguments\":[\"ann\",42,true]}",
                    written(InvocationMessage.push("Receive", "ann", 42, true)));
        }

        @Test
        void writtenInvocationWithIdAndHeadersHasThemAll() {
            InvocationMessage message = new InvocationMessage("7", "Notify", List.of(), Map.of("k", "v"));

            assertEquals("{\"type\":1,\"invocationId\":\"7\",\"target\":\"Notify\",\"arguments\":[],\"headers\":{\"k\":\"v\"}}",
                    written(message));
        }

        @Test
        void writtenArgumentsUseRecordPropertiesIsoDatesAndNull() {
            InvocationMessage message = InvocationMessage.push("Receive",
                    new ChatLine("ann", "hi"), Instant.parse("2024-01-02T03:04:05Z"), null);

            assertEquals("{\"type\":1,\"target\":\"Receive\",\"arguments\":"
                            + "[{\"user\":\"ann\",\"text\":\"hi\"},\"2024-01-02T03:04:05Z\",null]}",
                    written(message));
        }

        @Test
        void invocationWithIdHeadersAndTypedArgumentsSurvivesWriteAndParse() {
            InvocationMessage add = new InvocationMessage("42", "Add", List.of(1, 2), Map.of("a", "b", "c", "d"));
            InvocationMessage post = new InvocationMessage(null, "Post", List.of(new ChatLine("bob", "yo")), Map.of());
            InvocationMessage nulls = new InvocationMessage("x", "Add", Arrays.asList(null, null), null);

            assertEquals(add, roundTrip(add));
            assertEquals(post, roundTrip(post));
            assertEquals(nulls, roundTrip(nulls));
        }
    }

    // ---------------------------------------------------------------- StreamItem

    @Nested
    class StreamItem {

        @Test
        void streamItemIsParsedWithItsInvocationIdAndTheItemIgnored() {
            assertEquals(new StreamItemMessage("s1"),
                    parseSingle("{\"type\":2,\"invocationId\":\"s1\",\"item\":{\"any\":[1,2]}}"));
        }

        @Test
        void streamItemSurvivesWriteAndParse() {
            assertEquals(new StreamItemMessage("s1"), roundTrip(new StreamItemMessage("s1")));
        }

        @Test
        void streamItemWithoutInvocationIdIsAProtocolError() {
            HubProtocolException e = parseFails("{\"type\":2,\"item\":1}");
            assertEquals("A message is missing the 'invocationId' property.", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- Completion

    @Nested
    class Completion {

        @Test
        void writtenCompletionWithResultHasTheResult() {
            assertEquals("{\"type\":3,\"invocationId\":\"1\",\"result\":42}",
                    written(CompletionMessage.withResult("1", 42)));
        }

        @Test
        void writtenCompletionWithNullResultHasExplicitNullResult() {
            assertEquals("{\"type\":3,\"invocationId\":\"1\",\"result\":null}",
                    written(CompletionMessage.withResult("1", null)));
        }

        @Test
        void writtenCompletionOfVoidMethodHasNoResultProperty() {
            assertEquals("{\"type\":3,\"invocationId\":\"1\"}", written(CompletionMessage.empty("1")));
        }

        @Test
        void writtenCompletionWithErrorHasErrorAndNoResult() {
            assertEquals("{\"type\":3,\"invocationId\":\"1\",\"error\":\"It didn't work!\"}",
                    written(CompletionMessage.withError("1", "It didn't work!")));
        }

        @Test
        void writtenCompletionSerializesRecordResult() {
            assertEquals("{\"type\":3,\"invocationId\":\"2\",\"result\":{\"user\":\"ann\",\"text\":\"hi\"}}",
                    written(CompletionMessage.withResult("2", new ChatLine("ann", "hi"))));
        }

        @Test
        void parsedCompletionWithResultKeepsTheResultAsJsonTree() {
            CompletionMessage message = assertInstanceOf(CompletionMessage.class,
                    parseSingle("{\"type\":3,\"invocationId\":\"1\",\"result\":42}"));

            assertEquals("1", message.invocationId());
            assertTrue(message.hasResult());
            assertNull(message.error());
            assertEquals(IntNode.valueOf(42), message.result());
        }

        @Test
        void parsedCompletionWithNullResultHasANullResult() {
            CompletionMessage message = assertInstanceOf(CompletionMessage.class,
                    parseSingle("{\"type\":3,\"invocationId\":\"1\",\"result\":null}"));

            assertTrue(message.hasResult());
            assertTrue(((JsonNode) message.result()).isNull());
        }

        @Test
        void parsedCompletionWithoutResultHasNoResult() {
            assertEquals(CompletionMessage.empty("1"), parseSingle("{\"type\":3,\"invocationId\":\"1\"}"));
        }

        @Test
        void parsedCompletionWithErrorHasTheError() {
            assertEquals(CompletionMessage.withError("1", "boom"),
                    parseSingle("{\"type\":3,\"invocationId\":\"1\",\"error\":\"boom\"}"));
        }

        @Test
        void completionSurvivesWriteAndParseInEachForm() {
            assertEquals(CompletionMessage.withResult("1", TextNode.valueOf("ok")),
                    roundTrip(CompletionMessage.withResult("1", "ok")));
            assertEquals(CompletionMessage.withResult("2", NullNode.getInstance()),
                    roundTrip(CompletionMessage.withResult("2", null)));
            assertEquals(CompletionMessage.empty("3"), roundTrip(CompletionMessage.empty("3")));
            assertEquals(CompletionMessage.withError("4", "bad"), roundTrip(CompletionMessage.withError("4", "bad")));
        }

        @Test
        void completionWithoutInvocationIdIsAProtocolError() {
            HubProtocolException e = parseFails("{\"type\":3,\"result\":1}");
            assertEquals("A message is missing the 'invocationId' property.", e.getMessage());
        }

        @Test
        void completionWithNonStringErrorIsAProtocolError() {
            HubProtocolException e = parseFails("{\"type\":3,\"invocationId\":\"1\",\"error\":5}");
            assertEquals("The 'error' property must be a string.", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- StreamInvocation, CancelInvocation

    @Nested
    class StreamInvocationAndCancel {

        @Test
        void streamInvocationIsParsedWithoutBindingItsArguments() {
            assertEquals(new StreamInvocationMessage("3", "Counter"),
                    parseSingle("{\"type\":4,\"invocationId\":\"3\",\"target\":\"Counter\",\"arguments\":[10,{\"x\":1}]}"));
        }

        @Test
        void writtenStreamInvocationHasEmptyArguments() {
            assertEquals("{\"type\":4,\"invocationId\":\"3\",\"target\":\"Counter\",\"arguments\":[]}",
                    written(new StreamInvocationMessage("3", "Counter")));
        }

        @Test
        void streamInvocationSurvivesWriteAndParse() {
            assertEquals(new StreamInvocationMessage("3", "Counter"), roundTrip(new StreamInvocationMessage("3", "Counter")));
        }

        @Test
        void streamInvocationWithoutTargetIsAProtocolError() {
            HubProtocolException e = parseFails("{\"type\":4,\"invocationId\":\"3\",\"arguments\":[]}");
            assertEquals("A message is missing the 'target' property.", e.getMessage());
        }

        @Test
        void cancelInvocationIsWrittenAndParsed() {
            assertEquals("{\"type\":5,\"invocationId\":\"123\"}", written(new CancelInvocationMessage("123")));
            assertEquals(new CancelInvocationMessage("123"), parseSingle("{\"type\":5,\"invocationId\":\"123\"}"));
            assertEquals(new CancelInvocationMessage("a"), roundTrip(new CancelInvocationMessage("a")));
        }

        @Test
        void cancelInvocationWithNumericInvocationIdIsAProtocolError() {
            HubProtocolException e = parseFails("{\"type\":5,\"invocationId\":123}");
            assertEquals("A message is missing the 'invocationId' property.", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- Ping, Close

    @Nested
    class PingAndClose {

        @Test
        void pingIsWrittenAsTypeSixFollowedByRecordSeparator() {
            byte[] expected = "{\"type\":6}\u001e".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, protocol.write(PingMessage.INSTANCE));
        }

        @Test
        void pingIsParsed() {
            assertSame(PingMessage.INSTANCE, parseSingle("{\"type\":6}"));
            assertEquals(PingMessage.INSTANCE, roundTrip(PingMessage.INSTANCE));
        }

        @Test
        void normalCloseIsWrittenWithoutErrorOrAllowReconnect() {
            assertEquals("{\"type\":7}", written(CloseMessage.NORMAL));
        }

        @Test
        void closeWithErrorIsWrittenWithErrorOnly() {
            assertEquals("{\"type\":7,\"error\":\"Connection closed with an error.\"}",
                    written(CloseMessage.error("Connection closed with an error.")));
        }

        @Test
        void allowReconnectIsWrittenOnlyWhenTrue() {
            assertEquals("{\"type\":7,\"error\":\"restarting\",\"allowReconnect\":true}",
                    written(new CloseMessage("restarting", true)));
            assertEquals("{\"type\":7,\"allowReconnect\":true}", written(new CloseMessage(null, true)));
            assertEquals("{\"type\":7,\"error\":\"x\"}", written(new CloseMessage("x", false)));
        }

        @Test
        void closeIsParsedWithAndWithoutErrorAndAllowReconnect() {
            assertEquals(CloseMessage.NORMAL, parseSingle("{\"type\":7}"));
            assertEquals(CloseMessage.NORMAL, parseSingle("{\"type\":7,\"error\":null}"));
            assertEquals(new CloseMessage("bye", false), parseSingle("{\"type\":7,\"error\":\"bye\"}"));
            assertEquals(new CloseMessage("bye", true),
                    parseSingle("{\"type\":7,\"error\":\"bye\",\"allowReconnect\":true}"));
            assertEquals(new CloseMessage(null, false), parseSingle("{\"type\":7,\"allowReconnect\":false}"));
        }

        @Test
        void closeSurvivesWriteAndParseInEachForm() {
            for (CloseMessage close : List.of(CloseMessage.NORMAL, CloseMessage.error("e"),
                    new CloseMessage("e", true), new CloseMessage(null, true))) {
                assertEquals(close, roundTrip(close));
            }
        }
    }

    // ---------------------------------------------------------------- Ack, Sequence

    @Nested
    class AckAndSequence {

        @Test
        void ackIsWrittenAndParsed() {
            assertEquals("{\"type\":8,\"sequenceId\":1394}", written(new AckMessage(1394)));
            assertEquals(new AckMessage(1394), parseSingle("{\"type\":8,\"sequenceId\":1394}"));
        }

        @Test
        void sequenceIsWrittenAndParsed() {
            assertEquals("{\"type\":9,\"sequenceId\":1}", written(new SequenceMessage(1)));
            assertEquals(new SequenceMessage(1), parseSingle("{\"type\":9,\"sequenceId\":1}"));
        }

        @Test
        void sequenceIdsBeyondIntRangeSurviveWriteAndParse() {
            long big = 1L << 40;
            assertEquals(new AckMessage(big), roundTrip(new AckMessage(big)));
            assertEquals(new SequenceMessage(big), roundTrip(new SequenceMessage(big)));
        }

        @Test
        void ackOrSequenceWithoutIntegralSequenceIdIsAProtocolError() {
            assertEquals("A message is missing the 'sequenceId' property.", parseFails("{\"type\":8}").getMessage());
            assertEquals("A message is missing the 'sequenceId' property.",
                    parseFails("{\"type\":9,\"sequenceId\":\"1\"}").getMessage());
            assertEquals("A message is missing the 'sequenceId' property.",
                    parseFails("{\"type\":8,\"sequenceId\":1.5}").getMessage());
        }
    }

    @Test
    void bindingFailureIsNeverWritten() {
        assertThrows(IllegalArgumentException.class,
                () -> protocol.write(new InvocationBindingFailureMessage("1", "Send", "reason")));
    }

    // ---------------------------------------------------------------- framing

    @Nested
    class Framing {

        @Test
        void severalMessagesInOneBufferAreParsedInOrder() {
            ByteBuffer input = frames("{\"type\":6}",
                    "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[\"a\"]}",
                    "{\"type\":5,\"invocationId\":\"1\"}");

            List<HubMessage> messages = protocol.parseMessages(input, BINDER, NO_LIMIT);

            assertEquals(List.of(PingMessage.INSTANCE,
                    new InvocationMessage("1", "Send", List.of("a"), Map.of()),
                    new CancelInvocationMessage("1")), messages);
            assertEquals(input.limit(), input.position());
        }

        @Test
        void invocationSplitAcrossTwoReadsIsParsedOnceComplete() {
            byte[] ping = "{\"type\":6}\u001e".getBytes(StandardCharsets.UTF_8);
            byte[] invocation = "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[\"split\"]}\u001e"
                    .getBytes(StandardCharsets.UTF_8);
            int cut = 20;
            ByteBuffer first = ByteBuffer.allocate(ping.length + cut);
            first.put(ping).put(invocation, 0, cut).flip();

            List<HubMessage> firstMessages = protocol.parseMessages(first, BINDER, NO_LIMIT);

            assertEquals(List.of(PingMessage.INSTANCE), firstMessages);
            assertEquals(ping.length, first.position(), "left at the start of the incomplete message");
            assertEquals(cut, first.remaining());

            ByteBuffer second = concat(first, Arrays.copyOfRange(invocation, cut, invocation.length));
            List<HubMessage> secondMessages = protocol.parseMessages(second, BINDER, NO_LIMIT);

            assertEquals(List.of(new InvocationMessage("1", "Send", List.of("split"), Map.of())), secondMessages);
            assertFalse(second.hasRemaining());
        }

        @Test
        void messageMissingOnlyItsSeparatorIsNotParsedYet() {
            ByteBuffer input = raw("{\"type\":6}");

            assertEquals(List.of(), protocol.parseMessages(input, BINDER, NO_LIMIT));
            assertEquals(0, input.position());

            ByteBuffer completed = concat(input, new byte[] {RS});
            assertEquals(List.of(PingMessage.INSTANCE), protocol.parseMessages(completed, BINDER, NO_LIMIT));
        }

        @Test
        void emptyBufferYieldsNoMessages() {
            ByteBuffer input = ByteBuffer.allocate(0);
            assertEquals(List.of(), protocol.parseMessages(input, BINDER, NO_LIMIT));
            assertEquals(0, input.position());
        }

        @Test
        void parsingStartsAtTheBufferPositionOfASlicedBuffer() {
            byte[] bytes = ("garbage!" + "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"s\"]}\u001e{\"type\":6}\u001e" + "tail")
                    .getBytes(StandardCharsets.UTF_8);
            int start = "garbage!".length();
            int length = bytes.length - start - "tail".length();
            ByteBuffer slice = ByteBuffer.wrap(bytes, start, length).slice();
            assertEquals(start, slice.arrayOffset());

            List<HubMessage> messages = protocol.parseMessages(slice, BINDER, NO_LIMIT);

            assertEquals(List.of(InvocationMessage.push("Send", "s"), PingMessage.INSTANCE), messages);
            assertFalse(slice.hasRemaining());
        }

        @Test
        void propertyOrderDoesNotMatter() {
            assertEquals(new InvocationMessage("1", "Add", List.of(1, 2), Map.of("h", "v")), parseSingle(
                    "{\"arguments\":[1,2],\"headers\":{\"h\":\"v\"},\"target\":\"Add\",\"invocationId\":\"1\",\"type\":1}"));
            assertEquals(CompletionMessage.withError("1", "e"),
                    parseSingle("{\"error\":\"e\",\"invocationId\":\"1\",\"type\":3}"));
            assertEquals(new CloseMessage("e", true),
                    parseSingle("{\"allowReconnect\":true,\"error\":\"e\",\"type\":7}"));
        }

        @Test
        void whitespaceAroundAndInsideMessagesIsAllowed() {
            assertEquals(InvocationMessage.push("Send", "x"),
                    parseSingle("  {\n\t\"type\" : 1 ,\r\n \"target\" : \"Send\", \"arguments\" : [ \"x\" ] }  "));
        }

        @Test
        void unknownMessageTypeIsSkipped() {
            ByteBuffer input = frames("{\"type\":99,\"anything\":[1,2,3]}", "{\"type\":6}", "{\"type\":0}");

            assertEquals(List.of(PingMessage.INSTANCE), protocol.parseMessages(input, BINDER, NO_LIMIT));
            assertFalse(input.hasRemaining(), "skipped messages are consumed");
        }

        @Test
        void streamIdsAreReadAndMustBeStrings() {
            assertEquals(new InvocationMessage("1", "Send", List.of("x"), Map.of(), List.of("s1", "s2")), parseSingle(
                    "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[\"x\"],\"streamIds\":[\"s1\",\"s2\"]}"));
            assertEquals(new InvocationMessage("1", "Send", List.of("x"), Map.of()), parseSingle(
                    "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[\"x\"],\"streamIds\":null}"));
            assertEquals("The 'streamIds' property must be an array of strings.", parseFails(
                    "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"x\"],\"streamIds\":[1]}").getMessage());
            assertEquals("The 'streamIds' property must be an array of strings.", parseFails(
                    "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"x\"],\"streamIds\":\"s1\"}").getMessage());
        }

        @Test
        void unknownExtraPropertiesAreIgnored() {
            assertEquals(new InvocationMessage("1", "Send", List.of("x"), Map.of()), parseSingle(
                    "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[\"x\"],"
                            + "\"extra\":{\"nested\":[1,{\"a\":null}]},\"streamIdsX\":7}"));
            assertEquals(PingMessage.INSTANCE, parseSingle("{\"type\":6,\"future\":true}"));
            assertEquals(new AckMessage(3), parseSingle("{\"sequenceId\":3,\"other\":\"x\",\"type\":8}"));
        }
    }

    // ---------------------------------------------------------------- malformed input

    @Nested
    class MalformedInput {

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {
                "hello",
                "{\"type\":1,",
                "{type:6}",
        })
        void textThatIsNotJsonIsAProtocolError(String text) {
            HubProtocolException e = parseFails(text);
            assertEquals("A message could not be parsed as JSON.", e.getMessage());
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"[1,2]", "[{\"type\":6}]", "\"type\"", "6", "null", "true", ""})
        void jsonThatIsNotAnObjectIsAProtocolError(String json) {
            HubProtocolException e = parseFails(json);
            assertFalse(e instanceof MessageTooLargeException);
            assertTrue(e.getMessage().equals("A message must be a JSON object.")
                    || e.getMessage().equals("A message could not be parsed as JSON."), e.getMessage());
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {
                "{}",
                "{\"target\":\"Send\",\"arguments\":[\"x\"]}",
                "{\"type\":\"1\",\"target\":\"Send\",\"arguments\":[\"x\"]}",
                "{\"type\":null}",
                "{\"type\":1.5}",
        })
        void messageWithoutIntegerTypeIsAProtocolError(String json) {
            HubProtocolException e = parseFails(json);
            assertEquals("A message is missing the 'type' property.", e.getMessage());
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {
                "{\"type\":1,\"invocationId\":\"1\",\"arguments\":[]}",
                "{\"type\":1,\"invocationId\":\"1\",\"target\":null,\"arguments\":[]}",
                "{\"type\":1,\"invocationId\":\"1\",\"target\":5,\"arguments\":[]}",
        })
        void invocationWithoutStringTargetIsAProtocolError(String json) {
            HubProtocolException e = parseFails(json);
            assertEquals("A message is missing the 'target' property.", e.getMessage());
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {
                "{\"type\":1,\"target\":\"Send\"}",
                "{\"type\":1,\"target\":\"Send\",\"arguments\":\"x\"}",
                "{\"type\":1,\"target\":\"Send\",\"arguments\":{\"0\":\"x\"}}",
                "{\"type\":1,\"target\":\"Send\",\"arguments\":null}",
        })
        void invocationWhoseArgumentsAreNotAnArrayIsAProtocolError(String json) {
            HubProtocolException e = parseFails(json);
            assertEquals("An invocation is missing the 'arguments' array.", e.getMessage());
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {
                "{\"type\":1,\"invocationId\":1,\"target\":\"Send\",\"arguments\":[\"x\"]}",
                "{\"type\":1,\"invocationId\":{},\"target\":\"Send\",\"arguments\":[\"x\"]}",
                "{\"type\":1,\"invocationId\":true,\"target\":\"Nope\",\"arguments\":[]}",
        })
        void invocationIdThatIsNotAStringIsAProtocolError(String json) {
            HubProtocolException e = parseFails(json);
            assertEquals("The 'invocationId' property must be a string.", e.getMessage());
        }

        @Test
        void malformedMessageAfterValidOnesStillFailsTheWholeRead() {
            assertThrows(HubProtocolException.class, () -> parse("{\"type\":6}", "not json"));
        }
    }

    // ---------------------------------------------------------------- binding failures

    @Nested
    class BindingFailures {

        @Test
        void unknownMethodBecomesBindingFailure() {
            InvocationBindingFailureMessage failure =
                    bindingFailure("{\"type\":1,\"invocationId\":\"5\",\"target\":\"Nope\",\"arguments\":[1]}");

            assertEquals(new InvocationBindingFailureMessage("5", "Nope", "Unknown hub method 'Nope'."), failure);
            assertEquals(MessageType.INVOCATION, failure.type());
        }

        @Test
        void bindingFailureOfFireAndForgetInvocationHasNoInvocationId() {
            InvocationBindingFailureMessage failure =
                    bindingFailure("{\"type\":1,\"target\":\"Nope\",\"arguments\":[]}");

            assertNull(failure.invocationId());
            assertEquals("Nope", failure.target());
        }

        @Test
        void tooFewArgumentsBecomeBindingFailure() {
            assertEquals(new InvocationBindingFailureMessage("1", "Add", "'Add' takes 2 argument(s) but was given 1."),
                    bindingFailure("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Add\",\"arguments\":[1]}"));
        }

        @Test
        void tooManyArgumentsBecomeBindingFailure() {
            assertEquals(new InvocationBindingFailureMessage("1", "Send", "'Send' takes 1 argument(s) but was given 3."),
                    bindingFailure("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[\"a\",\"b\",\"c\"]}"));
            assertEquals(new InvocationBindingFailureMessage(null, "Ping", "'Ping' takes 0 argument(s) but was given 1."),
                    bindingFailure("{\"type\":1,\"target\":\"Ping\",\"arguments\":[null]}"));
        }

        @Test
        void objectWhereStringIsDeclaredBecomesBindingFailure() {
            assertEquals(new InvocationBindingFailureMessage("1", "Send", "Argument 1 of 'Send' has the wrong type."),
                    bindingFailure("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[{\"text\":\"x\"}]}"));
        }

        @Test
        void arrayWhereStringIsDeclaredBecomesBindingFailure() {
            assertEquals("Argument 1 of 'Send' has the wrong type.",
                    bindingFailure("{\"type\":1,\"target\":\"Send\",\"arguments\":[[\"x\"]]}").reason());
        }

        @Test
        void numericStringWhereIntegerIsDeclaredBecomesBindingFailure() {
            assertEquals(new InvocationBindingFailureMessage("1", "Add", "Argument 2 of 'Add' has the wrong type."),
                    bindingFailure("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Add\",\"arguments\":[1,\"5\"]}"));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"5", "5.5", "true", "false", "-1e3"})
        void numberOrBooleanWhereStringIsDeclaredBecomesBindingFailure(String argument) {
            assertEquals("Argument 1 of 'Send' has the wrong type.",
                    bindingFailure("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[" + argument + "]}")
                            .reason());
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"true", "{}", "[1]", "\"\"", "1.5", "3000000000"})
        void nonIntegerWhereIntegerIsDeclaredBecomesBindingFailure(String argument) {
            assertEquals("Argument 1 of 'Add' has the wrong type.",
                    bindingFailure("{\"type\":1,\"target\":\"Add\",\"arguments\":[" + argument + ",1]}").reason());
        }

        @Test
        void recordWithWronglyTypedPropertyBecomesBindingFailure() {
            assertEquals("Argument 1 of 'Post' has the wrong type.",
                    bindingFailure("{\"type\":1,\"target\":\"Post\",\"arguments\":[{\"user\":\"ann\",\"text\":{\"a\":1}}]}")
                            .reason());
            assertEquals("Argument 1 of 'Post' has the wrong type.",
                    bindingFailure("{\"type\":1,\"target\":\"Post\",\"arguments\":[\"ann: hi\"]}").reason());
        }

        @Test
        void listElementOfWrongTypeBecomesBindingFailure() {
            assertEquals("Argument 1 of 'Sum' has the wrong type.",
                    bindingFailure("{\"type\":1,\"target\":\"Sum\",\"arguments\":[[1,\"2\"]]}").reason());
        }

        @Test
        void bindingFailureDoesNotStopTheMessagesAfterIt() {
            List<HubMessage> messages = parse(
                    "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Add\",\"arguments\":[\"1\",2]}",
                    "{\"type\":1,\"invocationId\":\"2\",\"target\":\"Add\",\"arguments\":[1,2]}",
                    "{\"type\":6}");

            assertEquals(3, messages.size());
            assertInstanceOf(InvocationBindingFailureMessage.class, messages.get(0));
            assertEquals(new InvocationMessage("2", "Add", List.of(1, 2), Map.of()), messages.get(1));
            assertEquals(PingMessage.INSTANCE, messages.get(2));
        }

        @Test
        void strictBindingDoesNotChangeTheSharedApplicationMapper() throws Exception {
            ObjectMapper shared = quarkusLikeMapper();
            new JsonHubProtocol(shared);

            assertEquals(5, shared.readValue("\"5\"", Integer.class), "the shared mapper still coerces strings");
            assertEquals("5", shared.readValue("5", String.class), "the shared mapper still coerces numbers");
            assertEquals(1, shared.readValue("1.5", Integer.class), "the shared mapper still truncates floats");
        }
    }

    // ---------------------------------------------------------------- size limit

    @Nested
    class SizeLimit {

        private static final String PING = "{\"type\":6}"; // 10 bytes

        @Test
        void completeMessageLargerThanTheLimitIsRejected() {
            ByteBuffer input = frames("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + "x".repeat(100) + "\"]}");

            MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                    () -> protocol.parseMessages(input, BINDER, 64));
            assertEquals("The message exceeds the maximum size of 64 bytes.", e.getMessage());
        }

        @Test
        void messageExactlyAtTheLimitIsAccepted() {
            ByteBuffer input = frames(PING);

            assertEquals(List.of(PingMessage.INSTANCE), protocol.parseMessages(input, BINDER, PING.length()));
        }

        @Test
        void messageOneByteOverTheLimitIsRejected() {
            ByteBuffer input = frames(PING);

            assertThrows(MessageTooLargeException.class, () -> protocol.parseMessages(input, BINDER, PING.length() - 1));
        }

        @Test
        void incompleteMessageAlreadyLargerThanTheLimitIsRejected() {
            ByteBuffer input = raw("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + "x".repeat(100));

            assertThrows(MessageTooLargeException.class, () -> protocol.parseMessages(input, BINDER, 64));
        }

        @Test
        void incompleteMessageAfterCompleteOnesIsRejectedWhenOverTheLimit() {
            ByteBuffer input = concat(frames(PING, PING), raw("{\"type\":1,\"target\":\"" + "x".repeat(64)).array());

            assertThrows(MessageTooLargeException.class, () -> protocol.parseMessages(input, BINDER, 64));
        }

        @Test
        void incompleteMessageExactlyAtTheLimitIsKeptForTheNextRead() {
            ByteBuffer input = raw(PING);

            assertEquals(List.of(), protocol.parseMessages(input, BINDER, PING.length()));
            assertEquals(0, input.position());
        }

        @Test
        void limitAppliesToEachMessageNotToTheWholeBuffer() {
            ByteBuffer input = frames(PING, PING, PING, PING);

            assertEquals(4, protocol.parseMessages(input, BINDER, PING.length()).size());
        }

        @Test
        void limitCountsUtf8BytesNotCharacters() {
            String json = "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + "é".repeat(20) + "\"]}";
            int chars = json.length();
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            assertEquals(chars + 20, bytes);

            assertThrows(MessageTooLargeException.class, () -> protocol.parseMessages(frames(json), BINDER, chars));
            assertEquals(1, protocol.parseMessages(frames(json), BINDER, bytes).size());
        }
    }

    // ---------------------------------------------------------------- text content

    @Nested
    class TextContent {

        private static final String MULTI_BYTE = "héllo wörld — 日本語 🎉 ‰ ÿ";

        @Test
        void multiByteUtf8ContentSurvivesWriteAndParse() {
            InvocationMessage message = new InvocationMessage("ü-1", "Send", List.of(MULTI_BYTE), Map.of("ключ", "値"));

            assertEquals(message, roundTrip(message));
            assertEquals(CompletionMessage.withError("1", MULTI_BYTE), roundTrip(CompletionMessage.withError("1", MULTI_BYTE)));
            assertEquals(new CloseMessage(MULTI_BYTE, true), roundTrip(new CloseMessage(MULTI_BYTE, true)));
        }

        @Test
        void multiByteUtf8IsWrittenAsUtf8() {
            // Characters outside the BMP (the emoji) are written as valid JSON surrogate escapes
            // by Jackson, so the byte-exact check uses BMP text only.
            String bmpOnly = "héllo wörld — 日本語 ‰ ÿ";
            byte[] frame = protocol.write(InvocationMessage.push("Receive", bmpOnly));

            String expected = "{\"type\":1,\"target\":\"Receive\",\"arguments\":[\"" + bmpOnly + "\"]}\u001e";
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), frame);
        }

        @Test
        void multiByteCharacterSplitAcrossReadsIsDecodedOnceComplete() {
            byte[] frame = ("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + MULTI_BYTE + "\"]}\u001e")
                    .getBytes(StandardCharsets.UTF_8);
            // one byte into the three-byte encoding of '日'
            int cut = "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"héllo wörld — ".getBytes(StandardCharsets.UTF_8).length + 1;
            ByteBuffer first = ByteBuffer.wrap(Arrays.copyOf(frame, cut));

            assertEquals(List.of(), protocol.parseMessages(first, BINDER, NO_LIMIT));

            ByteBuffer second = concat(first, Arrays.copyOfRange(frame, cut, frame.length));
            assertEquals(List.of(InvocationMessage.push("Send", MULTI_BYTE)), protocol.parseMessages(second, BINDER, NO_LIMIT));
        }

        @Test
        void recordSeparatorAndControlCharactersInsideStringsAreEscaped() {
            String tricky = "a\u001eb\"c\\d\ne\u0000";
            InvocationMessage message = InvocationMessage.push("Send", tricky);

            String json = written(message);

            assertTrue(json.contains("\\u001E") || json.contains("\\u001e"), json);
            assertEquals(message, roundTrip(message));
            assertEquals(CompletionMessage.withError("1", tricky), roundTrip(CompletionMessage.withError("1", tricky)));
        }

        @Test
        void escapedRecordSeparatorInAStringIsNotAFrameBoundary() {
            List<HubMessage> messages = parse("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"x\\u001ey\"]}");

            assertEquals(List.of(InvocationMessage.push("Send", "x\u001ey")), messages);
        }
    }

    @Test
    void parsingManyMessagesInARowKeepsEveryOne() {
        List<String> jsons = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            jsons.add("{\"type\":1,\"invocationId\":\"" + i + "\",\"target\":\"Add\",\"arguments\":[" + i + "," + -i + "]}");
        }
        List<HubMessage> messages = parse(jsons.toArray(String[]::new));

        assertEquals(500, messages.size());
        assertEquals(new InvocationMessage("499", "Add", List.of(499, -499), Map.of()), messages.get(499));
    }
}
