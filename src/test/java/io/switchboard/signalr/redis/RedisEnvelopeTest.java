package io.switchboard.signalr.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisEnvelopeTest {

    private final RedisEnvelope.Codec codec = new RedisEnvelope.Codec(JsonMapper.builder().build());

    @Test
    void aSendCarriesWhenItWasSentForThePushLatencyOnOtherReplicas() {
        byte[] frame = "{\"type\":1}\u001e".getBytes(StandardCharsets.UTF_8);
        RedisEnvelope read = codec.read(codec.write(RedisEnvelope.send("server-a",
                Map.of("json", new EncodedFrame(frame, TransferFormat.TEXT)), 1_700_000_000_123_456L)));

        assertEquals(1_700_000_000_123_456L, read.sentAt());
        assertArrayEquals(frame, read.frames().get("json").bytes());
    }

    @Test
    void anEnvelopeFromAReplicaThatDoesNotSayWhenReadsAsUnknown() {
        String older = "{\"server\":\"server-b\",\"kind\":\"send\",\"frames\":{}}";

        assertEquals(0, codec.read(older.getBytes(StandardCharsets.UTF_8)).sentAt());
    }

    @Test
    void aServerRecognisesEveryKindOfItsOwnEnvelopesByTheirFirstBytes() {
        var ownedByA = codec.writtenBy("server-a");
        for (RedisEnvelope envelope : java.util.List.of(
                RedisEnvelope.send("server-a", Map.of("json", new EncodedFrame(new byte[] {1}, TransferFormat.TEXT)), 5),
                RedisEnvelope.close("server-a", "bye"),
                RedisEnvelope.groupChange("server-a", true, "workflow-1"))) {
            byte[] written = codec.write(envelope);
            assertTrue(ownedByA.test(written), envelope.kind() + " not recognised");
            assertFalse(codec.writtenBy("server-b").test(written));
            assertFalse(codec.writtenBy("server-").test(written), "a prefix of the id is another server");
        }
        assertFalse(ownedByA.test(codec.write(RedisEnvelope.close("server-ab", "bye"))));
        assertFalse(ownedByA.test("{\"server\":\"server-a\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anIdThatJsonEscapesIsRecognisedAsWritten() {
        String id = "pod \"7\" \u00e9";

        assertTrue(codec.writtenBy(id).test(codec.write(RedisEnvelope.close(id, "bye"))));
    }

    /** The wire format is what other replicas (of this version and the one before) read. */
    @Test
    void theWireFormatIsUnchanged() {
        RedisEnvelope.Codec codec = new RedisEnvelope.Codec(JsonMapper.builder().build());
        Map<String, EncodedFrame> frames = new LinkedHashMap<>();
        frames.put("json", new EncodedFrame(
                "{\"type\":1}\u001e".getBytes(StandardCharsets.UTF_8),
                TransferFormat.TEXT));
        frames.put("messagepack", new EncodedFrame(new byte[] {1, (byte) 0xff, 0},
                TransferFormat.BINARY));
        String written = new String(codec.write(RedisEnvelope.send("server-\"1", frames, 123)),
                StandardCharsets.UTF_8);
        assertEquals("{\"server\":\"server-\\\"1\",\"kind\":\"send\",\"frames\":{"
                + "\"json\":{\"format\":\"TEXT\",\"data\":\"" + Base64.getEncoder().encodeToString(
                        "{\"type\":1}\u001e".getBytes(StandardCharsets.UTF_8)) + "\"},"
                + "\"messagepack\":{\"format\":\"BINARY\",\"data\":\"Af8A\"}},\"sentAt\":123}", written);
        assertEquals("{\"server\":\"s\",\"kind\":\"add-group\",\"group\":\"g\"}", new String(
                codec.write(RedisEnvelope.groupChange("s", true, "g")), StandardCharsets.UTF_8));
        assertEquals("{\"server\":\"s\",\"kind\":\"close\",\"error\":\"bye\"}", new String(
                codec.write(RedisEnvelope.close("s", "bye")), StandardCharsets.UTF_8));
    }
}
