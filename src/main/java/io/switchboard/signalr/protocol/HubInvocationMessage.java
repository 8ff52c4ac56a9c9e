package io.switchboard.signalr.protocol;

/**
 * The messages that belong to an invocation (ASP.NET Core's {@code HubInvocationMessage}). Only these
 * are numbered, acknowledged and replayed by stateful reconnect (HubProtocol.md, "Trackable
 * messages"); Ping, Close, Ack and Sequence are not.
 */
public sealed interface HubInvocationMessage extends HubMessage
        permits InvocationMessage, StreamItemMessage, CompletionMessage, StreamInvocationMessage,
        CancelInvocationMessage, InvocationBindingFailureMessage {
}
