package io.switchboard.signalr.protocol;

import java.util.List;
import java.util.Map;

/**
 * A call of {@code target} with already bound {@code arguments}. A null {@code invocationId} means
 * the caller expects no Completion (fire and forget).
 */
public record InvocationMessage(String invocationId, String target, List<Object> arguments,
                                Map<String, String> headers) implements HubInvocationMessage {

    public InvocationMessage {
        arguments = arguments == null ? List.of() : java.util.Collections.unmodifiableList(arguments);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A server-to-client push: no invocation id, no headers. */
    public static InvocationMessage push(String target, Object... arguments) {
        return new InvocationMessage(null, target, java.util.Arrays.asList(arguments), Map.of());
    }

    @Override
    public int type() {
        return MessageType.INVOCATION;
    }
}
