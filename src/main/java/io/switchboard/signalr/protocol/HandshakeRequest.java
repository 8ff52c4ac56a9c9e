package io.switchboard.signalr.protocol;

/** The client's first message: which hub protocol and version it wants. */
public record HandshakeRequest(String protocol, int version) {
}
