package io.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.testing.EventStream;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.RawHubSocket;
import java.net.URI;

/** The three transports, each opened as a client does after negotiating (TransportProtocols.md). */
enum ClientTransport {

    WEB_SOCKETS {
        @Override
        HubWire open(URI base, String hubPath, String credential, WireProtocol protocol) {
            RawHttpConnection negotiated = RawHttpConnection.negotiate(base, hubPath, credential);
            return new WebSocketWire(RawHubSocket.openWithQuery(base,
                    negotiated.uri(null).getRawPath() + "?" + negotiated.uri(null).getRawQuery(), credential),
                    protocol.isBinary());
        }
    },

    SERVER_SENT_EVENTS {
        @Override
        HubWire open(URI base, String hubPath, String credential, WireProtocol protocol) {
            RawHttpConnection negotiated = RawHttpConnection.negotiate(base, hubPath, credential);
            // As browsers open it: EventSource sends no headers, so the credential rides in the query.
            EventStream events = EventStream.open(negotiated.uri("access_token=" + credential), null);
            assertEquals(200, events.response().statusCode(), "the event stream opens");
            events.awaitContaining(":\r\n");
            return new ServerSentEventsWire(negotiated, events);
        }
    },

    LONG_POLLING {
        @Override
        HubWire open(URI base, String hubPath, String credential, WireProtocol protocol) {
            LongPollingWire wire = new LongPollingWire(RawHttpConnection.negotiate(base, hubPath, credential));
            assertEquals(200, wire.firstPoll().statusCode(), "the first poll");
            return wire;
        }
    };

    abstract HubWire open(URI base, String hubPath, String credential, WireProtocol protocol);

    /** Negotiate offers Server-Sent Events for text only. */
    boolean carries(WireProtocol protocol) {
        return this != SERVER_SENT_EVENTS || !protocol.isBinary();
    }
}
