package io.switchboard.signalr.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whatever bytes a client sends, the codecs and the handshake either parse them or refuse them with a
 * protocol error (which closes that connection with a Close error): no other exception, no hang, no
 * allocation beyond the frame. Every parsed message can be written back.
 *
 * <p>With plain {@code ./mvnw verify} these replay the committed corpus under
 * {@code src/test/resources/io/switchboard/signalr/protocol/ProtocolFuzzTestInputs/}; fuzzing for real
 * ({@code JAZZER_FUZZ=1}) is described in docs/security.md.
 */
class ProtocolFuzzTest {

    private static final int MAX_MESSAGE_SIZE = 32 * 1024;
    private static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final JsonHubProtocol JSON = new JsonHubProtocol(MAPPER);
    private static final MessagePackHubProtocol MESSAGE_PACK = new MessagePackHubProtocol(MAPPER);
    private static final HandshakeProtocol HANDSHAKE = new HandshakeProtocol(MAPPER);

    /** The shapes of the real hubs' methods. */
    private static final Map<String, List<Type>> METHODS = Map.of(
            "SendMessage", List.of(String.class),
            "GetHistory", List.of(String.class, String.class, Integer.class),
            "SubscribeToPendingChange", List.of(String.class),
            "Anything", List.of(JsonNode.class));
    private static final InvocationBinder BINDER = target -> Optional.ofNullable(METHODS.get(target));

    private static void parseAndWriteBack(HubProtocol protocol, byte[] data) {
        List<HubMessage> messages;
        try {
            messages = protocol.parseMessages(ByteBuffer.wrap(data), BINDER, MAX_MESSAGE_SIZE);
        } catch (HubProtocolException refused) {
            return;
        }
        for (HubMessage message : messages) {
            if (!(message instanceof InvocationBindingFailureMessage)) {
                protocol.write(message);
            }
        }
    }

    @FuzzTest(maxDuration = "15s")
    void jsonMessages(byte[] data) {
        parseAndWriteBack(JSON, data);
    }

    @FuzzTest(maxDuration = "15s")
    void messagePackMessages(byte[] data) {
        parseAndWriteBack(MESSAGE_PACK, data);
    }

    @FuzzTest(maxDuration = "15s")
    void handshakeRequests(byte[] data) {
        try {
            HANDSHAKE.parseRequest(ByteBuffer.wrap(data), MAX_MESSAGE_SIZE);
        } catch (HubProtocolException refused) {
            // a clear refusal is the expected answer to garbage
        }
    }

    // The same targets for ten minutes each: `.ci/fuzz --long` (docs/security.md). Their seed folders
    // link to the short targets' ones.

    @FuzzTest(maxDuration = "10m")
    void jsonMessagesLong(byte[] data) {
        jsonMessages(data);
    }

    @FuzzTest(maxDuration = "10m")
    void messagePackMessagesLong(byte[] data) {
        messagePackMessages(data);
    }

    @FuzzTest(maxDuration = "10m")
    void handshakeRequestsLong(byte[] data) {
        handshakeRequests(data);
    }
}
