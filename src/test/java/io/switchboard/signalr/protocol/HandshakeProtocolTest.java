package io.switchboard.signalr.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handshake (HubProtocol.md, "Overview"): JSON text terminated by 0x1E, before any hub message. */
class HandshakeProtocolTest {

    private static final byte RS = 0x1e;
    private static final int MAX = 32 * 1024;

    private final ObjectMapper mapper = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    private final HandshakeProtocol handshake = new HandshakeProtocol(mapper);

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private Optional<HandshakeRequest> parse(String text) {
        return handshake.parseRequest(bytes(text), MAX);
    }

    private HubProtocolException parseFails(String text) {
        return assertThrows(HubProtocolException.class, () -> parse(text));
    }

    private static ByteBuffer concat(ByteBuffer unread, byte[] more) {
        byte[] joined = new byte[unread.remaining() + more.length];
        unread.duplicate().get(joined, 0, unread.remaining());
        System.arraycopy(more, 0, joined, unread.remaining(), more.length);
        return ByteBuffer.wrap(joined);
    }

    /** The JSON text of a written frame, after checking it has exactly one 0x1E, at the end. */
    private static String jsonOf(byte[] frame) {
        assertEquals(RS, frame[frame.length - 1], "a handshake response ends with the record separator");
        for (int i = 0; i < frame.length - 1; i++) {
            assertTrue(frame[i] != RS, "0x1E appears only as the terminator, but is at index " + i);
        }
        return new String(frame, 0, frame.length - 1, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- requests

    @Test
    void validRequestIsParsedAndConsumed() {
        ByteBuffer input = bytes("{\"protocol\":\"json\",\"version\":1}\u001e");

        assertEquals(Optional.of(new HandshakeRequest("json", 1)), handshake.parseRequest(input, MAX));
        assertFalse(input.hasRemaining());
    }

    @Test
    void propertyOrderWhitespaceAndExtraPropertiesDoNotMatter() {
        assertEquals(Optional.of(new HandshakeRequest("messagepack", 2)),
                parse(" {\n \"version\" : 2 , \"extra\": {\"a\":[1]}, \"protocol\" : \"messagepack\" } \u001e"));
    }

    @Test
    void handshakeAndFirstInvocationInOneBufferLeaveTheInvocationForTheHubProtocol() {
        String handshakeText = "{\"protocol\":\"json\",\"version\":1}\u001e";
        ByteBuffer input = bytes(handshakeText
                + "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[\"hi\"]}\u001e{\"type\":6}\u001e");

        Optional<HandshakeRequest> request = handshake.parseRequest(input, MAX);

        assertEquals(Optional.of(new HandshakeRequest("json", 1)), request);
        assertEquals(handshakeText.length(), input.position(), "stops right after the handshake's separator");

        InvocationBinder binder = target -> Optional.of(List.of(String.class));
        List<HubMessage> messages = new JsonHubProtocol(mapper).parseMessages(input, binder, MAX);
        assertEquals(List.of(new InvocationMessage("1", "Send", List.of("hi"), Map.of()), PingMessage.INSTANCE),
                messages);
        assertFalse(input.hasRemaining());
    }

    @Test
    void incompleteRequestIsEmptyAndLeavesTheBufferUntouched() {
        ByteBuffer input = bytes("{\"protocol\":\"json\",\"ver");

        assertEquals(Optional.empty(), handshake.parseRequest(input, MAX));
        assertEquals(0, input.position());
    }

    @Test
    void completeJsonWithoutSeparatorIsStillIncomplete() {
        ByteBuffer input = bytes("{\"protocol\":\"json\",\"version\":1}");

        assertEquals(Optional.empty(), handshake.parseRequest(input, MAX));
        assertEquals(0, input.position());
    }

    @Test
    void emptyInputIsIncomplete() {
        assertEquals(Optional.empty(), handshake.parseRequest(ByteBuffer.allocate(0), MAX));
    }

    @Test
    void requestSplitAcrossTwoReadsIsParsedOnceComplete() {
        byte[] whole = "{\"protocol\":\"json\",\"version\":1}\u001e".getBytes(StandardCharsets.UTF_8);
        ByteBuffer first = ByteBuffer.wrap(Arrays.copyOf(whole, 12));
        assertEquals(Optional.empty(), handshake.parseRequest(first, MAX));

        ByteBuffer second = concat(first, Arrays.copyOfRange(whole, 12, whole.length));

        assertEquals(Optional.of(new HandshakeRequest("json", 1)), handshake.parseRequest(second, MAX));
        assertFalse(second.hasRemaining());
    }

    @Test
    void requestIsReadFromTheBufferPositionOfASlicedBuffer() {
        byte[] backing = "xxxx{\"protocol\":\"json\",\"version\":1}\u001eyy".getBytes(StandardCharsets.UTF_8);
        ByteBuffer slice = ByteBuffer.wrap(backing, 4, backing.length - 4).slice();

        assertEquals(Optional.of(new HandshakeRequest("json", 1)), handshake.parseRequest(slice, MAX));
        assertEquals(2, slice.remaining());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"hello\u001e", "{\"protocol\":\"json\",\u001e", "{protocol:\"json\",version:1}\u001e"})
    void requestThatIsNotJsonIsRejected(String text) {
        assertEquals("The handshake request is not valid JSON.", parseFails(text).getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"[]\u001e", "[{\"protocol\":\"json\",\"version\":1}]\u001e", "\"json\"\u001e", "1\u001e",
            "null\u001e", "\u001e"})
    void requestThatIsNotAJsonObjectIsRejected(String text) {
        HubProtocolException e = parseFails(text);
        assertFalse(e instanceof MessageTooLargeException);
        assertTrue(e.getMessage().equals("The handshake request must be a JSON object.")
                || e.getMessage().equals("The handshake request is not valid JSON."), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"version\":1}\u001e",
            "{\"protocol\":null,\"version\":1}\u001e",
            "{\"protocol\":1,\"version\":1}\u001e",
            "{\"protocol\":[\"json\"],\"version\":1}\u001e",
            "{}\u001e",
    })
    void requestWithoutStringProtocolIsRejected(String text) {
        assertEquals("The handshake request is missing the 'protocol' property.", parseFails(text).getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"protocol\":\"json\"}\u001e",
            "{\"protocol\":\"json\",\"version\":null}\u001e",
            "{\"protocol\":\"json\",\"version\":\"1\"}\u001e",
            "{\"protocol\":\"json\",\"version\":1.5}\u001e",
            "{\"protocol\":\"json\",\"version\":1.0}\u001e",
            "{\"protocol\":\"json\",\"version\":true}\u001e",
            "{\"protocol\":\"json\",\"version\":3000000000}\u001e",
    })
    void requestWithoutIntegerVersionIsRejected(String text) {
        assertEquals("The handshake request is missing the 'version' property.", parseFails(text).getMessage());
    }

    @Test
    void unknownProtocolNameIsParsedForTheResolverToRefuse() {
        assertEquals(Optional.of(new HandshakeRequest("xml", 7)), parse("{\"protocol\":\"xml\",\"version\":7}\u001e"));
    }

    // ---------------------------------------------------------------- size limit

    @Test
    void incompleteRequestLargerThanTheLimitIsRejected() {
        ByteBuffer input = bytes("{\"protocol\":\"json\",\"padding\":\"" + "x".repeat(100));

        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> handshake.parseRequest(input, 64));
        assertEquals("The message exceeds the maximum size of 64 bytes.", e.getMessage());
    }

    @Test
    void completeRequestLargerThanTheLimitIsRejected() {
        ByteBuffer input = bytes("{\"protocol\":\"json\",\"version\":1,\"padding\":\"" + "x".repeat(100) + "\"}\u001e");

        assertThrows(MessageTooLargeException.class, () -> handshake.parseRequest(input, 64));
    }

    @Test
    void limitDoesNotDependOnHowTheRequestIsSplitIntoReads() {
        String text = "{\"protocol\":\"json\",\"version\":1,\"padding\":\"" + "x".repeat(100) + "\"}\u001e";
        int limit = 64;

        // in two reads the first one is already over the limit ...
        ByteBuffer firstRead = bytes(text.substring(0, limit + 1));
        assertThrows(MessageTooLargeException.class, () -> handshake.parseRequest(firstRead, limit));
        // ... so arriving in one read must not let the same request through
        assertThrows(MessageTooLargeException.class, () -> handshake.parseRequest(bytes(text), limit));
    }

    @Test
    void requestExactlyAtTheLimitIsAccepted() {
        String json = "{\"protocol\":\"json\",\"version\":1}";

        assertEquals(Optional.of(new HandshakeRequest("json", 1)),
                handshake.parseRequest(bytes(json + "\u001e"), json.length()));
        assertThrows(MessageTooLargeException.class,
                () -> handshake.parseRequest(bytes(json + "\u001e"), json.length() - 1));
    }

    @Test
    void limitAppliesToTheHandshakeNotToTheHubMessagesAfterIt() {
        String json = "{\"protocol\":\"json\",\"version\":1}";
        ByteBuffer input = bytes(json + "\u001e" + "{\"type\":6}\u001e".repeat(20));

        assertEquals(Optional.of(new HandshakeRequest("json", 1)), handshake.parseRequest(input, json.length()));
    }

    // ---------------------------------------------------------------- responses

    @Test
    void successResponseIsAnEmptyObjectFollowedByRecordSeparator() {
        assertArrayEquals(new byte[] {'{', '}', RS}, handshake.writeSuccess());
    }

    @Test
    void successResponseCannotBeCorruptedByACaller() {
        byte[] first = handshake.writeSuccess();
        first[0] = 'X';

        byte[] second = handshake.writeSuccess();
        assertNotSame(first, second);
        assertArrayEquals(new byte[] {'{', '}', RS}, second);
    }

    @Test
    void errorResponseCarriesTheErrorFollowedByRecordSeparator() {
        byte[] frame = handshake.writeError("Requested protocol 'xml' is not available.");

        assertEquals("{\"error\":\"Requested protocol 'xml' is not available.\"}", jsonOf(frame));
    }

    @Test
    void errorResponseEscapesQuotesAndBackslashes() {
        byte[] frame = handshake.writeError("bad \"quote\" and \\ backslash");

        assertEquals("{\"error\":\"bad \\\"quote\\\" and \\\\ backslash\"}", jsonOf(frame));
    }

    @Test
    void errorResponseEscapesControlCharactersIncludingTheSeparator() throws Exception {
        String error = "line1\nline2\u001eend\u0000";

        JsonNode parsed = mapper.readTree(jsonOf(handshake.writeError(error)));

        assertEquals(error, parsed.get("error").asText());
    }

    @Test
    void errorResponseKeepsMultiByteText() throws Exception {
        String error = "Protokoll „json“ nicht verfügbar — 日本語";
        byte[] frame = handshake.writeError(error);
        assertArrayEquals(("{\"error\":\"" + error + "\"}\u001e").getBytes(StandardCharsets.UTF_8), frame);

        String withEmoji = error + " 🎉";
        assertEquals(withEmoji, mapper.readTree(jsonOf(handshake.writeError(withEmoji))).get("error").asText());
    }
}
