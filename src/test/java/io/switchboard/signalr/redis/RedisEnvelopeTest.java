package io.switchboard.signalr.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
