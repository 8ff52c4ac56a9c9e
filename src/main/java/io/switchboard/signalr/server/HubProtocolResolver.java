package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.HandshakeRequest;
import io.switchboard.signalr.protocol.HubProtocol;
import java.util.List;

/** Chooses the hub protocol a handshake asks for, or says in a sentence why none fits. */
final class HubProtocolResolver {

    /** The outcome: a protocol, or the error to answer in the handshake. */
    record Resolution(HubProtocol protocol, String error) {
    }

    private final List<HubProtocol> protocols;

    HubProtocolResolver(List<HubProtocol> protocols) {
        this.protocols = List.copyOf(protocols);
    }

    Resolution resolve(HandshakeRequest request) {
        for (HubProtocol protocol : protocols) {
            if (protocol.name().equals(request.protocol())) {
                // As ASP.NET Core's IsVersionSupported: any version up to the newest spoken. Some
                // clients send 0 (the negotiate version copied into the handshake).
                if (request.version() > protocol.version()) {
                    return new Resolution(null, "The server does not support version " + request.version()
                            + " of the '" + request.protocol() + "' protocol.");
                }
                return new Resolution(protocol, null);
            }
        }
        return new Resolution(null, "The protocol '" + request.protocol() + "' is not supported.");
    }
}
