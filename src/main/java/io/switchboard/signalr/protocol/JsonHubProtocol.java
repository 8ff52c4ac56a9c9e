package io.switchboard.signalr.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code json} hub protocol: one JSON object per message, each followed by 0x1E. Arguments are
 * bound strictly to the declared types (a number is not a string, "5" is not a number), as
 * System.Text.Json does in ASP.NET Core.
 */
public final class JsonHubProtocol implements HubProtocol {

    public static final String NAME = "json";

    private final ObjectMapper payloadMapper;
    private final ObjectMapper bindingMapper;

    /** @param payloadMapper writes results and push arguments (camelCase records, ISO-8601 times) */
    public JsonHubProtocol(ObjectMapper payloadMapper) {
        this.payloadMapper = payloadMapper;
        this.bindingMapper = StrictBinding.strictCopyOf(payloadMapper);
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
        return TransferFormat.TEXT;
    }

    @Override
    public List<HubMessage> parseMessages(ByteBuffer input, InvocationBinder binder, int maxMessageSize,
                                          int maxMessages) {
        List<HubMessage> messages = new ArrayList<>(1);
        while (messages.size() < maxMessages) {
            int end = TextMessageFormat.indexOfSeparator(input);
            if (end < 0) {
                if (input.remaining() > maxMessageSize) {
                    throw new MessageTooLargeException(maxMessageSize);
                }
                return messages;
            }
            int start = input.position();
            if (end - start > maxMessageSize) {
                throw new MessageTooLargeException(maxMessageSize);
            }
            input.position(end + 1);
            HubMessage message = parseOne(input.array(), input.arrayOffset() + start, end - start, binder);
            if (message != null) {
                messages.add(message);
            }
        }
        return messages;
    }

    private HubMessage parseOne(byte[] bytes, int offset, int length, InvocationBinder binder) {
        JsonNode node;
        try {
            node = bindingMapper.readTree(bytes, offset, length);
        } catch (StreamConstraintsException e) {
            throw new HubProtocolException("A message is nested more than " + StrictBinding.MAX_DEPTH + " levels deep.");
        } catch (IOException e) {
            throw new HubProtocolException("A message could not be parsed as JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new HubProtocolException("A message must be a JSON object.");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isInt()) {
            throw new HubProtocolException("A message is missing the 'type' property.");
        }
        return switch (typeNode.asInt()) {
            case MessageType.INVOCATION -> parseInvocation(node, binder);
            case MessageType.STREAM_ITEM -> new StreamItemMessage(requiredText(node, "invocationId"));
            case MessageType.COMPLETION -> parseCompletion(node);
            case MessageType.STREAM_INVOCATION ->
                    new StreamInvocationMessage(requiredText(node, "invocationId"), requiredText(node, "target"));
            case MessageType.CANCEL_INVOCATION -> new CancelInvocationMessage(requiredText(node, "invocationId"));
            case MessageType.PING -> PingMessage.INSTANCE;
            case MessageType.CLOSE -> new CloseMessage(optionalText(node, "error"),
                    node.path("allowReconnect").asBoolean(false));
            case MessageType.ACK -> new AckMessage(requiredLong(node, "sequenceId"));
            case MessageType.SEQUENCE -> new SequenceMessage(requiredLong(node, "sequenceId"));
            // Newer peers may send types we do not know; like ASP.NET Core, skip them.
            default -> null;
        };
    }

    private HubMessage parseInvocation(JsonNode node, InvocationBinder binder) {
        String invocationId = optionalText(node, "invocationId");
        String target = requiredText(node, "target");
        JsonNode args = node.get("arguments");
        if (args == null || !args.isArray()) {
            throw new HubProtocolException("An invocation is missing the 'arguments' array.");
        }
        Optional<List<Type>> parameterTypes = binder.parameterTypes(target);
        if (parameterTypes.isEmpty()) {
            return InvocationBindingFailureMessage.unknownMethod(invocationId, target);
        }
        List<Type> types = parameterTypes.get();
        if (args.size() != types.size()) {
            return InvocationBindingFailureMessage.wrongArgumentCount(invocationId, target, types.size(), args.size());
        }
        List<Object> bound = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            try {
                JavaType javaType = bindingMapper.constructType(types.get(i));
                bound.add(bindingMapper.treeToValue(args.get(i), javaType));
            } catch (IOException | IllegalArgumentException e) {
                return InvocationBindingFailureMessage.wrongArgumentType(invocationId, target, i);
            }
        }
        return new InvocationMessage(invocationId, target, bound, headers(node), streamIds(node));
    }

    /** The ids of the streams the client attached; {@code null} counts as none. */
    private static List<String> streamIds(JsonNode node) {
        JsonNode ids = node.get("streamIds");
        if (ids == null || ids.isNull()) {
            return List.of();
        }
        if (!ids.isArray()) {
            throw new HubProtocolException("The 'streamIds' property must be an array of strings.");
        }
        List<String> result = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw new HubProtocolException("The 'streamIds' property must be an array of strings.");
            }
            result.add(id.asText());
        }
        return result;
    }

    private HubMessage parseCompletion(JsonNode node) {
        String invocationId = requiredText(node, "invocationId");
        String error = optionalText(node, "error");
        if (error != null) {
            return CompletionMessage.withError(invocationId, error);
        }
        // Client results are not used by these hubs, so the result stays an untyped tree.
        return node.has("result") ? CompletionMessage.withResult(invocationId, node.get("result"))
                : CompletionMessage.empty(invocationId);
    }

    private static Map<String, String> headers(JsonNode node) {
        JsonNode headers = node.get("headers");
        if (headers == null || !headers.isObject()) {
            return Map.of();
        }
        Map<String, String> result = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = headers.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            result.put(field.getKey(), field.getValue().asText());
        }
        return result;
    }

    private static String requiredText(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new HubProtocolException("A message is missing the '" + name + "' property.");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new HubProtocolException("The '" + name + "' property must be a string.");
        }
        return value.asText();
    }

    private static long requiredLong(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber()) {
            throw new HubProtocolException("A message is missing the '" + name + "' property.");
        }
        return value.asLong();
    }

    @Override
    public byte[] write(HubMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = payloadMapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("type", message.type());
            writeBody(json, message);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("Could not serialize a " + message.getClass().getSimpleName(), e);
        }
        out.write(TextMessageFormat.RECORD_SEPARATOR);
        return out.toByteArray();
    }

    private void writeBody(JsonGenerator json, HubMessage message) throws IOException {
        if (message instanceof InvocationMessage m) {
            if (m.invocationId() != null) {
                json.writeStringField("invocationId", m.invocationId());
            }
            json.writeStringField("target", m.target());
            json.writeArrayFieldStart("arguments");
            for (Object argument : m.arguments()) {
                payloadMapper.writeValue(json, argument);
            }
            json.writeEndArray();
            if (!m.headers().isEmpty()) {
                json.writeObjectField("headers", m.headers());
            }
        } else if (message instanceof CompletionMessage m) {
            json.writeStringField("invocationId", m.invocationId());
            if (m.error() != null) {
                json.writeStringField("error", m.error());
            } else if (m.hasResult()) {
                json.writeFieldName("result");
                payloadMapper.writeValue(json, m.result());
            }
        } else if (message instanceof CloseMessage m) {
            if (m.error() != null) {
                json.writeStringField("error", m.error());
            }
            if (m.allowReconnect()) {
                json.writeBooleanField("allowReconnect", true);
            }
        } else if (message instanceof CancelInvocationMessage m) {
            json.writeStringField("invocationId", m.invocationId());
        } else if (message instanceof StreamItemMessage m) {
            json.writeStringField("invocationId", m.invocationId());
        } else if (message instanceof StreamInvocationMessage m) {
            json.writeStringField("invocationId", m.invocationId());
            json.writeStringField("target", m.target());
            json.writeArrayFieldStart("arguments");
            json.writeEndArray();
        } else if (message instanceof AckMessage m) {
            json.writeNumberField("sequenceId", m.sequenceId());
        } else if (message instanceof SequenceMessage m) {
            json.writeNumberField("sequenceId", m.sequenceId());
        } else if (message instanceof InvocationBindingFailureMessage) {
            throw new IllegalArgumentException("A binding failure is never sent");
        }
        // PingMessage has no body.
    }
}
