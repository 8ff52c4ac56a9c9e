package io.switchboard.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * The two hub protocols as a client without a SignalR library writes and reads them
 * (HubProtocol.md): JSON text ended by 0x1E, or MessagePack arrays behind a VarInt length. Every
 * client frame is built here by hand; every server message is read back into one shape, so a test
 * states what it expects once for both protocols.
 */
enum WireProtocol {

    JSON("json", false) {
        @Override
        byte[] invocation(String invocationId, String target, List<Object> arguments, List<String> streamIds) {
            StringBuilder json = new StringBuilder("{\"type\":1,");
            if (invocationId != null) {
                json.append("\"invocationId\":\"").append(invocationId).append("\",");
            }
            json.append("\"target\":\"").append(target).append("\",\"arguments\":").append(toJson(arguments));
            if (!streamIds.isEmpty()) {
                json.append(",\"streamIds\":").append(toJson(streamIds));
            }
            return text(json.append('}').toString());
        }

        @Override
        byte[] streamInvocation(String invocationId, String target, List<Object> arguments) {
            return text("{\"type\":4,\"invocationId\":\"" + invocationId + "\",\"target\":\"" + target
                    + "\",\"arguments\":" + toJson(arguments) + "}");
        }

        @Override
        byte[] cancelInvocation(String invocationId) {
            return text("{\"type\":5,\"invocationId\":\"" + invocationId + "\"}");
        }

        @Override
        byte[] ping() {
            return text("{\"type\":6}");
        }

        @Override
        byte[] close() {
            return text("{\"type\":7}");
        }

        @Override
        int nextMessageEnd(byte[] buffer, int start, int end) {
            return separatorAfter(buffer, start, end);
        }

        @Override
        ServerMessage read(byte[] buffer, int start, int end) {
            try {
                JsonNode message = MAPPER.readTree(buffer, start, end - start - 1);
                return new ServerMessage(message.path("type").asInt(), textOrNull(message.get("invocationId")),
                        textOrNull(message.get("target")), message.get("arguments"), textOrNull(message.get("error")),
                        message.get("result"), message.path("allowReconnect").asBoolean(false));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    },

    MESSAGEPACK("messagepack", true) {
        @Override
        byte[] invocation(String invocationId, String target, List<Object> arguments, List<String> streamIds) {
            return packed(packer -> {
                packer.packArrayHeader(streamIds.isEmpty() ? 5 : 6).packInt(1).packMapHeader(0);
                nullable(packer, invocationId);
                packer.packString(target);
                packValues(packer, arguments);
                if (!streamIds.isEmpty()) {
                    packValues(packer, new java.util.ArrayList<Object>(streamIds));
                }
            });
        }

        @Override
        byte[] streamInvocation(String invocationId, String target, List<Object> arguments) {
            return packed(packer -> {
                packer.packArrayHeader(6).packInt(4).packMapHeader(0).packString(invocationId).packString(target);
                packValues(packer, arguments);
                packer.packArrayHeader(0);
            });
        }

        @Override
        byte[] cancelInvocation(String invocationId) {
            return packed(packer -> packer.packArrayHeader(3).packInt(5).packMapHeader(0).packString(invocationId));
        }

        @Override
        byte[] ping() {
            return new byte[] {0x02, (byte) 0x91, 0x06}; // HubProtocol.md gives these three bytes
        }

        @Override
        byte[] close() {
            return packed(packer -> packer.packArrayHeader(3).packInt(7).packNil().packBoolean(false));
        }

        @Override
        int nextMessageEnd(byte[] buffer, int start, int end) {
            long length = 0;
            int position = start;
            for (int shift = 0; position < end; shift += 7) {
                int b = buffer[position++] & 0xff;
                length |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return end - position >= length ? position + (int) length : -1;
                }
            }
            return -1;
        }

        @Override
        ServerMessage read(byte[] buffer, int start, int end) {
            int body = start;
            while ((buffer[body] & 0x80) != 0) {
                body++;
            }
            body++;
            try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(buffer, body, end - body)) {
                List<Value> items = unpacker.unpackValue().asArrayValue().list();
                int type = items.get(0).asIntegerValue().toInt();
                return switch (type) {
                    case 1 -> new ServerMessage(type, stringOrNull(items.get(2)), items.get(3).asStringValue().asString(),
                            tree(items.get(4)), null, null, false);
                    case 3 -> {
                        int kind = items.get(3).asIntegerValue().toInt();
                        yield new ServerMessage(type, items.get(2).asStringValue().asString(), null, null,
                                kind == 1 ? items.get(4).asStringValue().asString() : null, kind == 3 ? tree(items.get(4)) : null, false);
                    }
                    case 7 -> new ServerMessage(type, null, null, null, stringOrNull(items.get(1)), null,
                            items.size() > 2 && items.get(2).asBooleanValue().getBoolean());
                    default -> new ServerMessage(type, null, null, null, null, null, false);
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String name;
    private final boolean binary;

    WireProtocol(String name, boolean binary) {
        this.name = name;
        this.binary = binary;
    }

    String protocolName() {
        return name;
    }

    boolean isBinary() {
        return binary;
    }

    /** The handshake request, always JSON text, whatever the protocol. */
    byte[] handshake(int version) {
        return text("{\"protocol\":\"" + name + "\",\"version\":" + version + "}");
    }

    abstract byte[] invocation(String invocationId, String target, List<Object> arguments, List<String> streamIds);

    abstract byte[] streamInvocation(String invocationId, String target, List<Object> arguments);

    abstract byte[] cancelInvocation(String invocationId);

    abstract byte[] ping();

    abstract byte[] close();

    /** Where the message starting at {@code start} ends (exclusive), or -1 while it is incomplete. */
    abstract int nextMessageEnd(byte[] buffer, int start, int end);

    abstract ServerMessage read(byte[] buffer, int start, int end);

    static int separatorAfter(byte[] buffer, int start, int end) {
        for (int i = start; i < end; i++) {
            if (buffer[i] == 0x1e) {
                return i + 1;
            }
        }
        return -1;
    }

    private static byte[] text(String json) {
        return (json + "\u001e").getBytes(StandardCharsets.UTF_8);
    }

    private static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String stringOrNull(Value value) {
        return value.isNilValue() ? null : value.asStringValue().asString();
    }

    private static JsonNode tree(Value value) {
        try {
            return MAPPER.readTree(value.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Packing {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    /** The packed body behind its VarInt length prefix. */
    private static byte[] packed(Packing packing) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packing.pack(packer);
            byte[] body = packer.toByteArray();
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            int length = body.length;
            do {
                int b = length & 0x7f;
                length >>>= 7;
                frame.write(length > 0 ? b | 0x80 : b);
            } while (length > 0);
            frame.writeBytes(body);
            return frame.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void nullable(MessageBufferPacker packer, String value) throws IOException {
        if (value == null) {
            packer.packNil();
        } else {
            packer.packString(value);
        }
    }

    private static void packValues(MessageBufferPacker packer, List<Object> values) throws IOException {
        packer.packArrayHeader(values.size());
        for (Object value : values) {
            if (value == null) {
                packer.packNil();
            } else if (value instanceof String text) {
                packer.packString(text);
            } else if (value instanceof Integer number) {
                packer.packInt(number);
            } else {
                throw new IllegalArgumentException("no packing for " + value.getClass());
            }
        }
    }
}
