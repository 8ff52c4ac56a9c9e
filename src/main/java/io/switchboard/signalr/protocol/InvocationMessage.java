package io.switchboard.signalr.protocol;

import java.util.List;
import java.util.Map;

/**
 * A call of {@code target} with already bound {@code arguments}. A null {@code invocationId} means
 * the caller expects no Completion (fire and forget). {@code streamIds} name the client-to-server
 * streams the caller attached (HubProtocol.md, "Streaming"); these hubs take none, so the dispatcher
 * refuses an invocation that names any.
 */
public record InvocationMessage(String invocationId, String target, List<Object> arguments,
                                Map<String, String> headers, List<String> streamIds) implements HubInvocationMessage {

    public InvocationMessage {
        arguments = arguments == null ? List.of() : java.util.Collections.unmodifiableList(arguments);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        streamIds = streamIds == null ? List.of() : List.copyOf(streamIds);
    }

    /** An invocation without streams. */
    public InvocationMessage(String invocationId, String target, List<Object> arguments, Map<String, String> headers) {
        this(invocationId, target, arguments, headers, List.of());
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
