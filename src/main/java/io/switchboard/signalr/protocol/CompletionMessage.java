package io.switchboard.signalr.protocol;

/**
 * The end of an invocation: either {@code error}, or a {@code result} (which may be null), or
 * neither for a void method ({@code hasResult} false).
 */
public record CompletionMessage(String invocationId, String error, Object result, boolean hasResult)
        implements HubInvocationMessage {

    public static CompletionMessage withResult(String invocationId, Object result) {
        return new CompletionMessage(invocationId, null, result, true);
    }

    public static CompletionMessage empty(String invocationId) {
        return new CompletionMessage(invocationId, null, null, false);
    }

    public static CompletionMessage withError(String invocationId, String error) {
        return new CompletionMessage(invocationId, error, null, false);
    }

    @Override
    public int type() {
        return MessageType.COMPLETION;
    }
}
