package io.switchboard.signalr.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The handshake exchanged before any hub message: always JSON text terminated by 0x1E, whatever hub
 * protocol is chosen (HubProtocol.md, "Overview").
 */
public final class HandshakeProtocol {

    private static final byte[] SUCCESS = "{}\u001e".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper mapper;

    public HandshakeProtocol(ObjectMapper mapper) {
        // Read with the same depth limit as hub messages.
        this.mapper = StrictBinding.strictCopyOf(mapper);
    }

    /**
     * Reads the handshake request at the buffer's position, advancing past it; empty while the
     * separator has not arrived yet.
     *
     * @throws HubProtocolException when the request is not a valid handshake
     */
    public Optional<HandshakeRequest> parseRequest(ByteBuffer input, int maxSize) {
        int end = TextMessageFormat.indexOfSeparator(input);
        if (end < 0) {
            if (input.remaining() > maxSize) {
                throw new MessageTooLargeException(maxSize);
            }
            return Optional.empty();
        }
        int start = input.position();
        if (end - start > maxSize) {
            throw new MessageTooLargeException(maxSize);
        }
        input.position(end + 1);
        JsonNode node;
        try {
            node = mapper.readTree(input.array(), input.arrayOffset() + start, end - start);
        } catch (IOException e) {
            throw new HubProtocolException("The handshake request is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new HubProtocolException("The handshake request must be a JSON object.");
        }
        JsonNode protocol = node.get("protocol");
        JsonNode version = node.get("version");
        if (protocol == null || !protocol.isTextual()) {
            throw new HubProtocolException("The handshake request is missing the 'protocol' property.");
        }
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber()) {
            throw new HubProtocolException("The handshake request is missing the 'version' property.");
        }
        return Optional.of(new HandshakeRequest(protocol.asText(), version.asInt()));
    }

    public byte[] writeSuccess() {
        return SUCCESS.clone();
    }

    public byte[] writeError(String error) {
        try {
            byte[] json = mapper.writeValueAsBytes(java.util.Map.of("error", error));
            byte[] framed = java.util.Arrays.copyOf(json, json.length + 1);
            framed[json.length] = TextMessageFormat.RECORD_SEPARATOR;
            return framed;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
