package io.switchboard.signalr.protocol;

/**
 * One SignalR hub protocol message. Mirrors the message types of ASP.NET Core's
 * {@code Microsoft.AspNetCore.SignalR.Protocol}; every type is an immutable record with no I/O.
 */
public sealed interface HubMessage
        permits HubInvocationMessage, PingMessage, CloseMessage, AckMessage, SequenceMessage {

    /** The numeric {@code type} discriminator used on the wire. */
    int type();
}
