package io.switchboard.signalr.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import java.nio.charset.StandardCharsets;
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
}
