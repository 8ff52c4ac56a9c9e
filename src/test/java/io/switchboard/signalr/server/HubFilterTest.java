package io.switchboard.signalr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hub filters run around every invocation, OnConnected and OnDisconnected, the first outermost; a
 * filter may answer for the hub method, or refuse it with a HubException the caller reads.
 */
class HubFilterTest {

    private static final char RS = '\u001e';

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final Queue<String> calls = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private final Hub hub = new TestConnections.TestHub("filtered") {
        @Override
        public void describe(HubMethods methods) {
            methods.on("Echo", String.class, (caller, text) -> {
                calls.add("Echo(" + text + ")");
                return text;
            });
        }

        @Override
        public void onConnected(HubCallerContext caller) {
            calls.add("onConnected");
        }

        @Override
        public void onDisconnected(HubCallerContext caller) {
            calls.add("onDisconnected");
        }
    };

    /** Records that it ran around the rest, under its name. */
    private HubFilter recording(String name) {
        return new HubFilter() {
            @Override
            public Object invoke(Invocation invocation, Next<Object> next) throws Exception {
                calls.add(name + ">" + invocation.method() + invocation.arguments());
                Object result = next.proceed();
                calls.add(name + "<" + result);
                return result;
            }

            @Override
            public void onConnected(HubCallerContext caller, Next<Void> next) throws Exception {
                calls.add(name + ">connected " + caller.user().userId());
                next.proceed();
            }

            @Override
            public void onDisconnected(HubCallerContext caller, Next<Void> next) throws Exception {
                calls.add(name + ">disconnected");
                next.proceed();
            }
        };
    }

    /** Answers "quiet" without calling the hub when the argument is "shh", refuses "no". */
    private final HubFilter gatekeeper = new HubFilter() {
        @Override
        public Object invoke(Invocation invocation, Next<Object> next) throws Exception {
            return switch ((String) invocation.arguments().get(0)) {
                case "shh" -> "quiet";
                case "no" -> throw new HubException("Refused by a filter.");
                default -> next.proceed();
            };
        }
    };

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String echo(String id, String text) {
        return "{\"type\":1,\"invocationId\":\"" + id + "\",\"target\":\"Echo\",\"arguments\":[\"" + text + "\"]}" + RS;
    }

    @Test
    void filtersRunAroundInvocationsAndTheConnectionsLifeTheFirstOutermost() throws Exception {
        HubConnectionHandler handler = TestConnections.handler(hub, workers, new SimpleMeterRegistry(),
                List.of(recording("outer"), recording("inner")));
        RecordingTransport transport = new RecordingTransport();
        HubConnectionContext connection = handler.open("c1", new HubPrincipal("u1", null, null), transport);
        handler.onData(connection, utf8("{\"protocol\":\"json\",\"version\":1}" + RS));
        assertEquals("{}" + RS, transport.poll(Duration.ofSeconds(5)));

        handler.onData(connection, utf8(echo("1", "hi")));
        assertEquals("{\"type\":3,\"invocationId\":\"1\",\"result\":\"hi\"}" + RS, transport.poll(Duration.ofSeconds(5)));
        handler.onTransportClosed(connection, transport, true);
        awaitCalls(11);

        assertEquals(List.of("outer>connected u1", "inner>connected u1", "onConnected",
                "outer>Echo[hi]", "inner>Echo[hi]", "Echo(hi)", "inner<hi", "outer<hi",
                "outer>disconnected", "inner>disconnected", "onDisconnected"), List.copyOf(calls));
    }

    @Test
    void aFilterMayAnswerForTheHubOrRefuseTheInvocation() {
        HubConnectionHandler handler = TestConnections.handler(hub, workers, new SimpleMeterRegistry(),
                List.of(gatekeeper));
        RecordingTransport transport = new RecordingTransport();
        HubConnectionContext connection = handler.open("c1", new HubPrincipal("u1", null, null), transport);
        handler.onData(connection, utf8("{\"protocol\":\"json\",\"version\":1}" + RS));
        assertEquals("{}" + RS, transport.poll(Duration.ofSeconds(5)));

        handler.onData(connection, utf8(echo("1", "shh") + echo("2", "no") + echo("3", "yes")));
        assertEquals("{\"type\":3,\"invocationId\":\"1\",\"result\":\"quiet\"}" + RS, transport.poll(Duration.ofSeconds(5)));
        assertEquals("{\"type\":3,\"invocationId\":\"2\",\"error\":\"Refused by a filter.\"}" + RS,
                transport.poll(Duration.ofSeconds(5)));
        assertEquals("{\"type\":3,\"invocationId\":\"3\",\"result\":\"yes\"}" + RS, transport.poll(Duration.ofSeconds(5)));
        assertEquals(List.of("onConnected", "Echo(yes)"), List.copyOf(calls));
    }

    private void awaitCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (calls.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
