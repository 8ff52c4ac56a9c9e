package io.switchboard.signalr.redis;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What one replica publishes for the others, and its wire format. A JSON object:
 *
 * <pre>
 * {"server":"&lt;id of the sender&gt;",
 *  "kind":"send",          "frames":{"json":{"format":"TEXT","data":"&lt;base64&gt;"}, ...}, "sentAt":&lt;µs&gt;}
 *  "kind":"close",         "error":"&lt;sentence&gt;"}
 *  "kind":"add-group",     "group":"&lt;name&gt;"}      (on a connection channel)
 *  "kind":"remove-group",  "group":"&lt;name&gt;"}
 * </pre>
 *
 * A {@code send} carries the message already serialized for every protocol the server speaks, so
 * the receiver writes bytes and never re-serializes (as ASP.NET Core's RedisProtocol). A replica
 * ignores envelopes it sent itself: it has already delivered to its own connections. {@code sentAt}
 * (microseconds since the epoch, optional: 0 when absent) is when the message was sent, for the push
 * latency metric.
 */
public record RedisEnvelope(String server, Kind kind, Map<String, EncodedFrame> frames, String error, String group,
                            long sentAt) {

    public enum Kind {
        SEND("send"), CLOSE("close"), ADD_GROUP("add-group"), REMOVE_GROUP("remove-group");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        static Kind fromWire(String wire) {
            for (Kind kind : values()) {
                if (kind.wire.equals(wire)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("Unknown envelope kind " + wire);
        }
    }

    public static RedisEnvelope send(String server, Map<String, EncodedFrame> frames, long sentAt) {
        return new RedisEnvelope(server, Kind.SEND, frames, null, null, sentAt);
    }

    public static RedisEnvelope close(String server, String error) {
        return new RedisEnvelope(server, Kind.CLOSE, null, error, null, 0);
    }

    public static RedisEnvelope groupChange(String server, boolean add, String group) {
        return new RedisEnvelope(server, add ? Kind.ADD_GROUP : Kind.REMOVE_GROUP, null, null, group, 0);
    }

    /** Writes and reads envelopes. */
    public static final class Codec {

        private final ObjectMapper mapper;

        public Codec(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        /**
         * The envelope as JSON, written field by field (no tree of nodes, no Base64 strings: the frames'
         * bytes go straight into the output as Base64), "server" first for {@link #writtenBy}.
         */
        public byte[] write(RedisEnvelope envelope) {
            ByteArrayBuilder out = new ByteArrayBuilder(256);
            try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("server", envelope.server());
                json.writeStringField("kind", envelope.kind().wire);
                if (envelope.frames() != null) {
                    json.writeObjectFieldStart("frames");
                    for (Map.Entry<String, EncodedFrame> frame : envelope.frames().entrySet()) {
                        json.writeObjectFieldStart(frame.getKey());
                        json.writeStringField("format", frame.getValue().format().name());
                        json.writeFieldName("data");
                        json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, frame.getValue().bytes(), 0,
                                frame.getValue().bytes().length);
                        json.writeEndObject();
                    }
                    json.writeEndObject();
                }
                if (envelope.error() != null) {
                    json.writeStringField("error", envelope.error());
                }
                if (envelope.group() != null) {
                    json.writeStringField("group", envelope.group());
                }
                if (envelope.sentAt() > 0) {
                    json.writeNumberField("sentAt", envelope.sentAt());
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toByteArray();
        }

        /**
         * Recognises the envelopes {@code server} wrote by their first bytes, without parsing them:
         * {@link #write} puts "server" first. Redis delivers a publication to every subscriber, its
         * publisher included, and a replica has nothing to do with its own (it delivered them already),
         * so parsing the echo of every message it sent was wasted (about 5 % of the CPU of an approval).
         */
        public Predicate<byte[]> writtenBy(String server) {
            byte[] prefix;
            try {
                prefix = ("{\"server\":" + mapper.writeValueAsString(server) + ",").getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return payload -> payload.length > prefix.length
                    && Arrays.equals(payload, 0, prefix.length, prefix, 0, prefix.length);
        }

        /** @throws IllegalArgumentException for anything that is not an envelope */
        public RedisEnvelope read(byte[] bytes) {
            JsonNode root;
            try {
                root = mapper.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalArgumentException("Not an envelope", e);
            }
            if (root == null || !root.hasNonNull("server") || !root.hasNonNull("kind")) {
                throw new IllegalArgumentException("Not an envelope");
            }
            Map<String, EncodedFrame> frames = null;
            JsonNode framesNode = root.get("frames");
            if (framesNode != null && framesNode.isObject()) {
                frames = new HashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = framesNode.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    frames.put(field.getKey(), new EncodedFrame(
                            Base64.getDecoder().decode(field.getValue().path("data").asText()),
                            TransferFormat.valueOf(field.getValue().path("format").asText())));
                }
            }
            return new RedisEnvelope(root.get("server").asText(), Kind.fromWire(root.get("kind").asText()), frames,
                    root.hasNonNull("error") ? root.get("error").asText() : null,
                    root.hasNonNull("group") ? root.get("group").asText() : null,
                    root.path("sentAt").asLong(0));
        }
    }
}
