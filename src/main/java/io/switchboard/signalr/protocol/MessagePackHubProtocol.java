package io.switchboard.signalr.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.value.ValueType;

/**
 * The {@code messagepack} hub protocol (HubProtocol.md, "MessagePack (MsgPack) encoding"): every
 * message is a MessagePack array behind a VarInt length prefix. msgpack-core reads and writes the
 * envelope; payloads (arguments, results) go through Jackson on msgpack, configured like the
 * application's JSON mapper, so records become maps with camelCase keys and times ISO-8601 strings,
 * exactly the shapes the JSON protocol sends. Arguments are bound as strictly as by the JSON codec.
 *
 * <p>Native image: msgpack-core picks its buffer implementation reflectively in a static
 * initializer; see {@code MessagePackNativeSupport}.
 */
public final class MessagePackHubProtocol implements HubProtocol {

    public static final String NAME = "messagepack";

    private static final int ERROR_RESULT = 1;
    private static final int VOID_RESULT = 2;
    private static final int NON_VOID_RESULT = 3;
    // The default packer starts with an 8 KiB buffer for every message written: a push of a few hundred
    // bytes allocated 8 KiB (12 % of all the memory an approval allocated). It grows as needed.
    private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(512);

    // Jackson mappers read and write through any parser or generator: the application's own
    // serializers (modules, naming, date format) run on msgpack streams from this factory.
    private final MessagePackFactory msgpack = new MessagePackFactory();
    private final ObjectMapper payloadMapper;
    private final ObjectMapper bindingMapper;

    /**
     * @param payloadMapper the application's JSON mapper: writes results and push arguments
     *                      (camelCase records, ISO-8601 times), and, made strict, binds arguments
     */
    public MessagePackHubProtocol(ObjectMapper payloadMapper) {
        this.payloadMapper = payloadMapper;
        this.bindingMapper = StrictBinding.strictCopyOf(payloadMapper)
                .registerModule(new SimpleModule("msgpack-strict-text").addDeserializer(String.class, new StrictText()));
    }

    /**
     * Jackson turns any embedded value into text (bin as Base64, extension types through toString);
     * MessagePack-CSharp refuses both, and so does this: bin and ext values are not strings.
     */
    private static final class StrictText extends StdScalarDeserializer<String> {

        StrictText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_EMBEDDED_OBJECT)) {
                return (String) context.handleUnexpectedToken(String.class, parser);
            }
            String text = StringDeserializer.instance.deserialize(parser, context);
            // As for json arguments (the application mapper's own String deserializer, replaced here):
            // PostgreSQL cannot store U+0000.
            if (text != null && text.indexOf('\0') >= 0) {
                return (String) context.handleWeirdStringValue(String.class, text, "contains the NUL character");
            }
            return text;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public TransferFormat transferFormat() {
        return TransferFormat.BINARY;
    }

    @Override
    public List<HubMessage> parseMessages(ByteBuffer input, InvocationBinder binder, int maxMessageSize,
                                          int maxMessages) {
        List<HubMessage> messages = new ArrayList<>(1);
        while (input.hasRemaining() && messages.size() < maxMessages) {
            BinaryMessageFormat.Frame frame = BinaryMessageFormat.readFrame(input);
            if (frame == null) {
                return messages;
            }
            // The prefix announces the size: refuse at once instead of buffering up to it.
            if (frame.bodyLength() > maxMessageSize) {
                throw new MessageTooLargeException(maxMessageSize);
            }
            if (input.limit() - frame.bodyStart() < frame.bodyLength()) {
                return messages;
            }
            input.position(frame.bodyStart() + frame.bodyLength());
            HubMessage message = parseOne(input.array(), input.arrayOffset() + frame.bodyStart(), frame.bodyLength(),
                    binder);
            if (message != null) {
                messages.add(message);
            }
        }
        return messages;
    }

    private HubMessage parseOne(byte[] bytes, int offset, int length, InvocationBinder binder) {
        if (length == 0) {
            throw new HubProtocolException("A message must not be empty.");
        }
        // Every length and count the body claims is checked before any of it is allocated.
        MessagePackStructure.check(bytes, offset, length);
        try (MessageUnpacker reader = MessagePack.newDefaultUnpacker(bytes, offset, length)) {
            Body body = new Body(reader, bytes, offset);
            int itemCount = body.arrayHeader("message");
            if (itemCount < 1) {
                throw new HubProtocolException("A message must not be an empty array.");
            }
            return switch (body.integer("type")) {
                case MessageType.INVOCATION -> parseInvocation(body, itemCount, binder);
                case MessageType.STREAM_ITEM -> {
                    requireItems(itemCount, 4, "StreamItem");
                    body.skipHeaders();
                    yield new StreamItemMessage(body.requiredString("invocationId"));
                }
                case MessageType.COMPLETION -> parseCompletion(body, itemCount);
                case MessageType.STREAM_INVOCATION -> {
                    requireItems(itemCount, 5, "StreamInvocation");
                    body.skipHeaders();
                    yield new StreamInvocationMessage(body.requiredString("invocationId"), body.requiredString("target"));
                }
                case MessageType.CANCEL_INVOCATION -> {
                    requireItems(itemCount, 3, "CancelInvocation");
                    body.skipHeaders();
                    yield new CancelInvocationMessage(body.requiredString("invocationId"));
                }
                case MessageType.PING -> PingMessage.INSTANCE;
                case MessageType.CLOSE -> {
                    requireItems(itemCount, 2, "Close");
                    String error = body.optionalString("error");
                    yield new CloseMessage(error, itemCount > 2 && body.bool("allowReconnect"));
                }
                case MessageType.ACK -> {
                    requireItems(itemCount, 2, "Ack");
                    yield new AckMessage(body.longInteger("sequenceId"));
                }
                case MessageType.SEQUENCE -> {
                    requireItems(itemCount, 2, "Sequence");
                    yield new SequenceMessage(body.longInteger("sequenceId"));
                }
                // Newer peers may send types we do not know; like ASP.NET Core, skip them.
                default -> null;
            };
        } catch (IOException | MessagePackException e) {
            throw new HubProtocolException("A message is not valid MessagePack.");
        } catch (HubProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            // A library failing on input it did not expect: still only that client's bad message.
            throw new HubProtocolException("A message is not valid MessagePack.");
        }
    }

    private static void requireItems(int itemCount, int required, String messageName) {
        if (itemCount < required) {
            throw new HubProtocolException("A " + messageName + " message must have at least " + required + " items.");
        }
    }

    private HubMessage parseInvocation(Body body, int itemCount, InvocationBinder binder) throws IOException {
        requireItems(itemCount, 5, "Invocation");
        Map<String, String> headers = body.headers();
        String invocationId = body.optionalString("invocationId");
        // An empty id is how some encoders say "none": a non-blocking invocation (as ASP.NET Core reads it).
        if (invocationId != null && invocationId.isEmpty()) {
            invocationId = null;
        }
        String target = body.requiredString("target");
        Optional<List<Type>> parameterTypes = binder.parameterTypes(target);
        if (parameterTypes.isEmpty()) {
            return InvocationBindingFailureMessage.unknownMethod(invocationId, target);
        }
        List<Type> types = parameterTypes.get();
        int argumentCount = body.arrayHeader("arguments");
        if (argumentCount != types.size()) {
            return InvocationBindingFailureMessage.wrongArgumentCount(invocationId, target, types.size(), argumentCount);
        }
        List<Object> bound = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            Body.Span span = body.skipValue();
            try {
                JavaType javaType = bindingMapper.constructType(types.get(i));
                bound.add(bindingMapper.readValue(span.parser(msgpack), javaType));
            } catch (IOException | RuntimeException e) {
                // RuntimeException too: jackson-dataformat-msgpack throws a NullPointerException while
                // describing some wrong types (a boolean where text is expected); found by fuzzing.
                return InvocationBindingFailureMessage.wrongArgumentType(invocationId, target, i);
            }
        }
        // Item 6, when present, names the client-to-server streams attached (which these hubs refuse).
        List<String> streamIds = itemCount > 5 ? body.stringArray("streamIds") : List.of();
        return new InvocationMessage(invocationId, target, bound, headers, streamIds);
    }

    private HubMessage parseCompletion(Body body, int itemCount) throws IOException {
        requireItems(itemCount, 4, "Completion");
        body.skipHeaders();
        String invocationId = body.requiredString("invocationId");
        int resultKind = body.integer("resultKind");
        if (resultKind != VOID_RESULT) {
            requireItems(itemCount, 5, "Completion");
        }
        return switch (resultKind) {
            case ERROR_RESULT -> CompletionMessage.withError(invocationId, body.requiredString("error"));
            case VOID_RESULT -> CompletionMessage.empty(invocationId);
            case NON_VOID_RESULT -> {
                // Client results are not used by these hubs, so the result stays an untyped tree.
                Body.Span span = body.skipValue();
                yield CompletionMessage.withResult(invocationId, bindingMapper.readTree(span.parser(msgpack)));
            }
            default -> throw new HubProtocolException("A Completion message has an unknown result kind.");
        };
    }

    @Override
    public byte[] write(HubMessage message) {
        try (MessageBufferPacker writer = PACKER.newBufferPacker()) {
            writeBody(writer, message);
            return BinaryMessageFormat.frame(writer.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("Could not serialize a " + message.getClass().getSimpleName(), e);
        }
    }

    private void writeBody(MessageBufferPacker writer, HubMessage message) throws IOException {
        if (message instanceof InvocationMessage m) {
            writer.packArrayHeader(6).packInt(m.type());
            writeHeaders(writer, m.headers());
            packNullable(writer, m.invocationId());
            writer.packString(m.target());
            writer.packArrayHeader(m.arguments().size());
            for (Object argument : m.arguments()) {
                writer.writePayload(encode(argument));
            }
            writer.packArrayHeader(0);
        } else if (message instanceof CompletionMessage m) {
            int kind = m.error() != null ? ERROR_RESULT : m.hasResult() ? NON_VOID_RESULT : VOID_RESULT;
            writer.packArrayHeader(kind == VOID_RESULT ? 4 : 5).packInt(m.type());
            writeHeaders(writer, Map.of());
            writer.packString(m.invocationId()).packInt(kind);
            if (kind == ERROR_RESULT) {
                writer.packString(m.error());
            } else if (kind == NON_VOID_RESULT) {
                writer.writePayload(encode(m.result()));
            }
        } else if (message instanceof PingMessage m) {
            // Always exactly 0x91 0x06 (HubProtocol.md).
            writer.packArrayHeader(1).packInt(m.type());
        } else if (message instanceof CloseMessage m) {
            writer.packArrayHeader(3).packInt(m.type());
            packNullable(writer, m.error());
            writer.packBoolean(m.allowReconnect());
        } else if (message instanceof AckMessage m) {
            writer.packArrayHeader(2).packInt(m.type()).packLong(m.sequenceId());
        } else if (message instanceof SequenceMessage m) {
            writer.packArrayHeader(2).packInt(m.type()).packLong(m.sequenceId());
        } else if (message instanceof CancelInvocationMessage m) {
            writer.packArrayHeader(3).packInt(m.type());
            writeHeaders(writer, Map.of());
            writer.packString(m.invocationId());
        } else if (message instanceof StreamItemMessage m) {
            // The item itself is never kept (these hubs neither stream nor accept streams).
            writer.packArrayHeader(4).packInt(m.type());
            writeHeaders(writer, Map.of());
            writer.packString(m.invocationId()).packNil();
        } else if (message instanceof StreamInvocationMessage m) {
            writer.packArrayHeader(6).packInt(m.type());
            writeHeaders(writer, Map.of());
            writer.packString(m.invocationId()).packString(m.target()).packArrayHeader(0).packArrayHeader(0);
        } else if (message instanceof InvocationBindingFailureMessage) {
            throw new IllegalArgumentException("A binding failure is never sent");
        }
    }

    /** One payload value in MessagePack, written by the application's serializers. */
    private byte[] encode(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator generator = msgpack.createGenerator(out)) {
            payloadMapper.writeValue(generator, value);
        }
        return out.toByteArray();
    }

    private static void writeHeaders(MessageBufferPacker writer, Map<String, String> headers) throws IOException {
        writer.packMapHeader(headers.size());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            writer.packString(header.getKey()).packString(header.getValue());
        }
    }

    private static void packNullable(MessageBufferPacker writer, String value) throws IOException {
        if (value == null) {
            writer.packNil();
        } else {
            writer.packString(value);
        }
    }

    /** Typed reads of one message body, with errors phrased for the client. */
    private static final class Body {

        /** Where one encoded value lies, for binding it with Jackson. */
        record Span(byte[] bytes, int offset, int length) {

            JsonParser parser(MessagePackFactory factory) throws IOException {
                return factory.createParser(bytes, offset, length);
            }
        }

        private final MessageUnpacker reader;
        private final byte[] bytes;
        private final int offset;

        Body(MessageUnpacker reader, byte[] bytes, int offset) {
            this.reader = reader;
            this.bytes = bytes;
            this.offset = offset;
        }

        int arrayHeader(String name) throws IOException {
            expect(ValueType.ARRAY, name, "an array");
            return reader.unpackArrayHeader();
        }

        int integer(String name) throws IOException {
            expect(ValueType.INTEGER, name, "an integer");
            return reader.unpackInt();
        }

        long longInteger(String name) throws IOException {
            expect(ValueType.INTEGER, name, "an integer");
            return reader.unpackLong();
        }

        boolean bool(String name) throws IOException {
            expect(ValueType.BOOLEAN, name, "a boolean");
            return reader.unpackBoolean();
        }

        String optionalString(String name) throws IOException {
            if (reader.tryUnpackNil()) {
                return null;
            }
            expect(ValueType.STRING, name, "a string");
            return reader.unpackString();
        }

        String requiredString(String name) throws IOException {
            String value = optionalString(name);
            if (value == null || value.isEmpty()) {
                throw new HubProtocolException("A message is missing the '" + name + "' item.");
            }
            return value;
        }

        Map<String, String> headers() throws IOException {
            expect(ValueType.MAP, "headers", "a map");
            int count = reader.unpackMapHeader();
            if (count == 0) {
                return Map.of();
            }
            Map<String, String> headers = new HashMap<>(count);
            for (int i = 0; i < count; i++) {
                String key = requiredString("header name");
                String value = optionalString("header value");
                headers.put(key, value == null ? "" : value);
            }
            return headers;
        }

        /** An array of strings; nil counts as empty. */
        List<String> stringArray(String name) throws IOException {
            if (reader.tryUnpackNil()) {
                return List.of();
            }
            int count = arrayHeader(name);
            List<String> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(requiredString(name));
            }
            return values;
        }

        void skipHeaders() throws IOException {
            headers();
        }

        /** Skips one value of any type and says where it was. */
        Span skipValue() throws IOException {
            if (!reader.hasNext()) {
                throw new HubProtocolException("A message ends too early.");
            }
            long start = reader.getTotalReadBytes();
            reader.skipValue();
            return new Span(bytes, offset + (int) start, (int) (reader.getTotalReadBytes() - start));
        }

        private void expect(ValueType type, String name, String description) throws IOException {
            if (!reader.hasNext()) {
                throw new HubProtocolException("A message ends before its '" + name + "' item.");
            }
            if (reader.getNextFormat().getValueType() != type) {
                throw new HubProtocolException("The '" + name + "' item must be " + description + ".");
            }
        }
    }
}
