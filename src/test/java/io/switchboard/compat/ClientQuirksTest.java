package io.switchboard.compat;

import static io.switchboard.compat.HubSession.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.EventStream;
import io.switchboard.testing.RawHttpConnection;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What clients in the wild do that the official ones do not, answered as ASP.NET Core answers it:
 * a send before the first poll, messagepack over Server-Sent Events.
 */
@QuarkusTest
class ClientQuirksTest {

    private static final String CHAT = "/hubs/chat";

    @TestHTTPResource("/")
    URI base;

    private static String credential() {
        return TestTokens.user("quirky-" + UUID.randomUUID(), "tenant-compat");
    }

    @ParameterizedTest
    @EnumSource(WireProtocol.class)
    void longPollingTakesTheHandshakeBeforeTheFirstPoll(WireProtocol protocol) {
        LongPollingWire wire = new LongPollingWire(RawHttpConnection.negotiate(base, CHAT, credential()));
        try (HubSession session = new HubSession(wire, protocol)) {
            session.send(protocol.handshake(1));

            long start = System.nanoTime();
            HttpResponse<byte[]> first = wire.firstPoll();
            assertEquals(200, first.statusCode());
            assertEquals(0, first.body().length, "as in ASP.NET Core, the first poll only opens the transport");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "and is answered at once");

            assertEquals("{}", session.handshakeAnswer(), "the next poll takes the handshake answer");
            session.send(protocol.invocation("1", "Nope", args(), List.of()));
            assertEquals("Unknown hub method 'Nope'.", session.nextCompletion().error());
        }
    }

    @ParameterizedTest
    @EnumSource(WireProtocol.class)
    void aSendBeforeThePollNeedsTheNegotiatedUser(WireProtocol protocol) {
        RawHttpConnection negotiated = RawHttpConnection.negotiate(base, CHAT, credential());
        HttpResponse<String> stranger = RawHttpConnection.send(negotiated.request(credential())
                .POST(HttpRequest.BodyPublishers.ofByteArray(protocol.handshake(1))));
        assertEquals(404, stranger.statusCode(), "another user's send claims nothing");

        LongPollingWire wire = new LongPollingWire(negotiated);
        try (HubSession session = new HubSession(wire, protocol)) {
            session.send(protocol.handshake(1));
            assertEquals(200, wire.firstPoll().statusCode());
            assertEquals("{}", session.handshakeAnswer());
        }
    }

    @ParameterizedTest
    @EnumSource(WireProtocol.class)
    void aHandshakeOnLongPollingMayComeInPieces(WireProtocol protocol) {
        HubWire wire = ClientTransport.LONG_POLLING.open(base, CHAT, credential(), protocol);
        try (HubSession session = new HubSession(wire, protocol)) {
            byte[] handshake = protocol.handshake(0);
            for (byte b : handshake) {
                session.send(new byte[] {b});
            }
            assertEquals("{}", session.handshakeAnswer());
        }
    }

    @Test
    void messagepackOverServerSentEventsIsRefusedNamingTheTransferFormat() {
        String credential = credential();
        RawHttpConnection negotiated = RawHttpConnection.negotiate(base, CHAT, credential);
        EventStream events = EventStream.open(negotiated.uri("access_token=" + credential), null);
        events.awaitContaining(":\r\n");
        try (HubSession session = new HubSession(new ServerSentEventsWire(negotiated, events), WireProtocol.MESSAGEPACK)) {
            session.send(WireProtocol.MESSAGEPACK.handshake(1));
            assertEquals("{\"error\":\"Cannot use the 'messagepack' protocol on the current transport. The transport "
                    + "does not support 'Binary' transfer format.\"}", session.handshakeAnswer());
            assertTrue(session.awaitEnded(), "then the stream ends");
        }
    }
}
