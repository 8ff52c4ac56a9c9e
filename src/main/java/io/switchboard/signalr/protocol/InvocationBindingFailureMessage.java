package io.switchboard.signalr.protocol;

/**
 * An invocation whose target or arguments could not be bound. The codec produces it instead of
 * throwing, so one bad invocation never breaks the connection (as ASP.NET Core does).
 */
public record InvocationBindingFailureMessage(String invocationId, String target, String reason)
        implements HubMessage {

    @Override
    public int type() {
        return MessageType.INVOCATION;
    }
}
