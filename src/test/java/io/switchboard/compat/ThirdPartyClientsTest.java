package io.switchboard.compat;

import static io.switchboard.compat.HubSession.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.TestTokens;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ChatHub as a client nobody on the project wrote sees it: every transport with every protocol it
 * carries, frames written by hand in the shapes clients in the wild send, answers read byte for byte
 * and compared with what ASP.NET Core SignalR answers (docs/api.md, "Compatibility with ASP.NET Core
 * SignalR"). The official clients have their own tests; this is everything else.
 */
@QuarkusTest
class ThirdPartyClientsTest {

    private static final String CHAT = "/hubs/chat";

    @TestHTTPResource("/")
    URI base;

    static Stream<Arguments> transportsAndProtocols() {
        return Arrays.stream(ClientTransport.values()).flatMap(transport -> Arrays.stream(WireProtocol.values())
                .filter(transport::carries).map(protocol -> Arguments.of(transport, protocol)));
    }

    // A fresh user per connection: a remembered chat session would add a SessionRestored message.
    private HubSession open(ClientTransport transport, WireProtocol protocol) {
        String credential = TestTokens.user("third-party-" + UUID.randomUUID(), "tenant-compat");
        return new HubSession(transport.open(base, CHAT, credential, protocol), protocol);
    }

    private HubSession connected(ClientTransport transport, WireProtocol protocol) {
        HubSession session = open(transport, protocol);
        session.send(protocol.handshake(1));
        assertEquals("{}", session.handshakeAnswer());
        return session;
    }

    @ParameterizedTest
    @MethodSource("transportsAndProtocols")
    void aHandshakeOfVersion0IsAccepted(ClientTransport transport, WireProtocol protocol) {
        try (HubSession session = open(transport, protocol)) {
            // Some clients copy the negotiate version into the handshake; ASP.NET Core takes any
            // version up to the newest it speaks.
            session.send(protocol.handshake(0));
            assertEquals("{}", session.handshakeAnswer());

            String workflow = "wf-" + UUID.randomUUID();
            session.send(protocol.invocation("1", "JoinWorkflow", args(workflow), List.of()));
            ServerMessage completion = session.nextCompletion();
            assertEquals("1", completion.invocationId());
            assertEquals(workflow, completion.result().path("workflowId").asText());
        }
    }

    @ParameterizedTest
    @MethodSource("transportsAndProtocols")
    void theHandshakeAndAnInvocationMayShareASendAndAMessageMaySpanSends(ClientTransport transport,
                                                                          WireProtocol protocol) {
        try (HubSession session = open(transport, protocol)) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(protocol.handshake(1));
            both.writeBytes(protocol.invocation("1", "Nope", args(), List.of()));
            session.send(both.toByteArray());
            assertEquals("{}", session.handshakeAnswer());
            assertEquals("Unknown hub method 'Nope'.", session.nextCompletion().error());

            byte[] history = protocol.invocation("2", "GetHistory", args("wf-" + UUID.randomUUID(), null, 10), List.of());
            session.send(Arrays.copyOfRange(history, 0, 7));
            session.send(Arrays.copyOfRange(history, 7, history.length));
            ServerMessage completion = session.nextCompletion();
            assertEquals("2", completion.invocationId());
            assertEquals("[]", completion.result().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("transportsAndProtocols")
    void anInvocationWithStreamIdsIsRefusedAsAspNetCoreRefusesIt(ClientTransport transport, WireProtocol protocol) {
        try (HubSession session = connected(transport, protocol)) {
            String workflow = "wf-" + UUID.randomUUID();
            session.send(protocol.invocation("1", "GetHistory", args(workflow, null, 10), List.of("s1", "s2")));
            ServerMessage refused = session.nextCompletion();
            assertEquals("1", refused.invocationId());
            assertEquals("Client sent 2 stream(s), Hub method expects 0.", refused.error());

            session.send(protocol.invocation("2", "GetHistory", args(workflow, null, 10), List.of()));
            assertEquals("[]", session.nextCompletion().result().toString(), "the connection stays open");
        }
    }

    @ParameterizedTest
    @MethodSource("transportsAndProtocols")
    void aStreamInvocationIsRefusedAsAspNetCoreRefusesIt(ClientTransport transport, WireProtocol protocol) {
        try (HubSession session = connected(transport, protocol)) {
            session.send(protocol.streamInvocation("1", "GetHistory", args("wf", null, 10)));
            ServerMessage refused = session.nextCompletion();
            assertEquals("1", refused.invocationId());
            assertEquals("The client attempted to invoke the non-streaming 'GetHistory' method with a streaming "
                    + "invocation.", refused.error());

            session.send(protocol.streamInvocation("2", "NoSuchMethod", args()));
            assertEquals("Unknown hub method 'NoSuchMethod'.", session.nextCompletion().error());
        }
    }

    @ParameterizedTest
    @MethodSource("transportsAndProtocols")
    void cancelInvocationAndPingsAreTakenSilently(ClientTransport transport, WireProtocol protocol) {
        try (HubSession session = connected(transport, protocol)) {
            session.send(protocol.cancelInvocation("no-such-invocation"));
            session.send(protocol.ping());
            // A fire-and-forget invocation (no id) of an unknown method is not answered either.
            session.send(protocol.invocation(null, "Nope", args(), List.of()));
            session.send(protocol.invocation("after", "Nope", args(), List.of()));
            ServerMessage next = session.next();
            assertEquals(ServerMessage.COMPLETION, next.type(), "nothing answers the cancel, the ping or the send");
            assertEquals("after", next.invocationId());
        }
    }

    @ParameterizedTest
    @MethodSource("transportsAndProtocols")
    void aCloseFromTheClientEndsTheConnection(ClientTransport transport, WireProtocol protocol) {
        try (HubSession session = connected(transport, protocol)) {
            session.send(protocol.close());
            assertTrue(session.awaitEnded(), "the server ends the transport");
        }
    }
}
