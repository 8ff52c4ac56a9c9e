package io.switchboard.signalr.protocol;

/**
 * An invocation whose target or arguments could not be bound. The codec produces it instead of
 * throwing, so one bad invocation never breaks the connection (as ASP.NET Core does).
 */
public record InvocationBindingFailureMessage(String invocationId, String target, String reason)
        implements HubInvocationMessage {

    public static InvocationBindingFailureMessage unknownMethod(String invocationId, String target) {
        return new InvocationBindingFailureMessage(invocationId, target, "Unknown hub method '" + target + "'.");
    }

    public static InvocationBindingFailureMessage wrongArgumentCount(String invocationId, String target,
                                                                     int expected, int given) {
        return new InvocationBindingFailureMessage(invocationId, target,
                "'" + target + "' takes " + expected + " argument(s) but was given " + given + ".");
    }

    /** @param index the zero-based position of the argument that could not be bound */
    public static InvocationBindingFailureMessage wrongArgumentType(String invocationId, String target, int index) {
        return new InvocationBindingFailureMessage(invocationId, target,
                "Argument " + (index + 1) + " of '" + target + "' has the wrong type.");
    }

    @Override
    public int type() {
        return MessageType.INVOCATION;
    }
}
