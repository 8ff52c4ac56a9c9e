package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.microsoft.signalr.HubConnection;
import com.microsoft.signalr.HubConnectionBuilder;
import com.microsoft.signalr.TransportEnum;
import io.reactivex.rxjava3.core.Single;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The official Java SignalR client ({@code com.microsoft.signalr}) connected to a hub of the
 * application under test, with every server event collected in a queue per event name.
 */
public final class HubClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(5);

    private static final List<String> EVENTS = List.of("ReceiveMessage", "UserJoined", "UserLeft", "SessionRestored",
            "PendingChangeCreated", "PendingChangeUpdated", "PendingChangeApproved", "PendingChangeRejected",
            "PendingChangeExpired", "PresenceChanged",
            // the engine's test hub (signalr.testhub.EchoHub)
            "Receive", "Joined", "Left");

    private final HubConnection connection;
    private final Map<String, BlockingQueue<Map<String, Object>>> events = new ConcurrentHashMap<>();

    private HubClient(HubConnection connection) {
        this.connection = connection;
    }

    public static HubClient connect(URI base, String hubPath, String token) {
        return connect(base, hubPath, token, TransportEnum.WEBSOCKETS);
    }

    public static HubClient connect(URI base, String hubPath, String token, TransportEnum transport) {
        return connect(base, hubPath, token, transport, false);
    }

    /**
     * As {@link #connect(URI, String, String)}, but keeps no idle HTTP connection: the client's stop()
     * leaves its OkHttp pool alone, which holds the negotiate request's connection open for 5 minutes,
     * so a test that connects again and again (the soak) would count those sockets on the server.
     */
    public static HubClient connectKeepingNoIdleConnection(URI base, String hubPath, String token) {
        return connect(base, hubPath, token, TransportEnum.WEBSOCKETS, true);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static HubClient connect(URI base, String hubPath, String token, TransportEnum transport,
                                     boolean noIdleConnection) {
        var builder = HubConnectionBuilder.create(base.resolve(hubPath).toString())
                .withAccessTokenProvider(Single.defer(() -> Single.just(token)))
                .withTransport(transport);
        if (noIdleConnection) {
            builder.setHttpClientBuilderCallback(okHttp -> okHttp.connectionPool(
                    new okhttp3.ConnectionPool(0, 1, TimeUnit.MILLISECONDS)));
        }
        HubConnection connection = builder.build();
        HubClient client = new HubClient(connection);
        for (String event : EVENTS) {
            BlockingQueue<Map<String, Object>> queue = new LinkedBlockingQueue<>();
            client.events.put(event, queue);
            connection.on(event, payload -> queue.add((Map<String, Object>) payload), (Class) Map.class);
        }
        connection.start().blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    public <T> T invoke(Class<T> resultType, String method, Object... arguments) {
        return connection.invoke(resultType, method, arguments).timeout(WAIT.toSeconds(), TimeUnit.SECONDS).blockingGet();
    }

    /** Invokes a method whose result is null. */
    public void invokeVoid(String method, Object... arguments) {
        connection.invoke(method, arguments).blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The next {@code event} the server pushed, waiting up to {@link #WAIT}. */
    public Map<String, Object> next(String event) {
        try {
            Map<String, Object> payload = events.get(event).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(payload, "expected " + event + " within " + WAIT);
            return payload;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code event}, or null after {@code timeout}. */
    public Map<String, Object> poll(String event, Duration timeout) {
        try {
            return events.get(event).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Asserts that no {@code event} arrives within {@code quiet}. */
    public void assertNo(String event, Duration quiet) {
        try {
            assertNull(events.get(event).poll(quiet.toMillis(), TimeUnit.MILLISECONDS), "unexpected " + event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String connectionId() {
        return connection.getConnectionId();
    }

    public HubConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.stop().blockingAwait(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
