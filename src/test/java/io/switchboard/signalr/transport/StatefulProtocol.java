package io.switchboard.signalr.transport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.switchboard.signalr.testhub.EchoHub;
import io.switchboard.testing.RawHubSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/** The stateful-reconnect protocol spoken by hand on the engine's test hub with the json protocol, for the raw tests. */
final class StatefulProtocol {

    static final char RS = RawHubSocket.RS;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A negotiated stateful connection: its public id and the secret token its transports present. */
    record Negotiated(String connectionId, String token) {
    }

    private StatefulProtocol() {
    }

    /** Negotiates with {@code useStatefulReconnect=true} and checks the server granted it. */
    static Negotiated negotiate(String jwt) {
        Response response = given().auth().oauth2(jwt)
                .post(EchoHub.PATH + "/negotiate?negotiateVersion=1&useStatefulReconnect=true")
                .then().statusCode(200).body("useStatefulReconnect", equalTo(true))
                .extract().response();
        return new Negotiated(response.path("connectionId"), response.path("connectionToken"));
    }

    /** The first transport of a negotiated connection, with a json handshake of {@code version}. */
    static RawHubSocket attach(URI base, String jwt, Negotiated negotiated, int version) {
        RawHubSocket socket = RawHubSocket.openWithQuery(base, EchoHub.PATH + "?id=" + negotiated.token(), jwt);
        socket.send("{\"protocol\":\"json\",\"version\":" + version + "}" + RS);
        assertEquals("{}", socket.next());
        return socket;
    }

    /** A later transport of the same connection: no handshake, the hub protocol goes on. */
    static RawHubSocket reattach(URI base, String jwt, Negotiated negotiated) {
        return RawHubSocket.openWithQuery(base, EchoHub.PATH + "?id=" + negotiated.token(), jwt);
    }

    /** The HTTP status refusing an upgrade on {@code id}. */
    static int refusedUpgradeStatus(URI base, String jwt, Negotiated negotiated) {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> reattach(base, jwt, negotiated).close());
        return assertInstanceOf(WebSocketHandshakeException.class, failure.getCause()).getResponse().statusCode();
    }

    static String invocation(String id, String target, String arguments) {
        return "{\"type\":1,\"invocationId\":\"" + id + "\",\"target\":\"" + target + "\",\"arguments\":" + arguments + "}" + RS;
    }

    static String ack(long sequenceId) {
        return "{\"type\":8,\"sequenceId\":" + sequenceId + "}" + RS;
    }

    static String sequence(long sequenceId) {
        return "{\"type\":9,\"sequenceId\":" + sequenceId + "}" + RS;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next message that is neither a Ping nor one of the server's Acks, which come once a second. */
    static JsonNode nextMessage(RawHubSocket socket) {
        while (true) {
            JsonNode message = json(socket.next());
            if (message.get("type").asInt() != 8) {
                return message;
            }
        }
    }

    /** Every message but Pings and Acks arriving within {@code quiet}. */
    static List<JsonNode> messagesWithin(RawHubSocket socket, Duration quiet) {
        List<JsonNode> messages = new ArrayList<>();
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            String text = socket.poll(Duration.ofMillis(100));
            if (text != null) {
                JsonNode message = json(text);
                int type = message.get("type").asInt();
                if (type != 6 && type != 8) {
                    messages.add(message);
                }
            }
        }
        return messages;
    }

    /** A short description of a message for assertions: "Completion h", "Receive one", "Joined", "Sequence 3". */
    static String describe(JsonNode message) {
        return switch (message.get("type").asInt()) {
            case 1 -> message.get("target").asText() + firstArgumentSummary(message.get("arguments").get(0));
            case 3 -> "Completion " + message.get("invocationId").asText();
            case 7 -> "Close " + message.path("error").asText();
            case 9 -> "Sequence " + message.get("sequenceId").asLong();
            default -> message.toString();
        };
    }

    // A Note's text; nothing for the Member of Joined and Left.
    private static String firstArgumentSummary(JsonNode argument) {
        return argument.has("text") ? " " + argument.get("text").asText() : "";
    }
}
