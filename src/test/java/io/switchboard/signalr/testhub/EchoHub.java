package io.switchboard.signalr.testhub;

import io.quarkus.arc.properties.IfBuildProperty;
import io.switchboard.signalr.server.Hub;
import io.switchboard.signalr.server.HubCallerContext;
import io.switchboard.signalr.server.HubMethods;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's own test hub: no application behind it, any authenticated caller may use it. Only in
 * the {@link EngineTestHubs} profile, so the application's tests see the application's hubs only.
 *
 * <p>Its methods, each the smallest that exercises one part of the engine:
 * <ul>
 *   <li>{@code Echo(text)} answers {@code text};</li>
 *   <li>{@code Add(a, b)} answers {@code a + b} (two typed arguments, for binding);</li>
 *   <li>{@code Repeat(text, times)} answers {@code text} {@code times} over (a big answer to a small request);</li>
 *   <li>{@code Join(group)} adds the caller to {@code group}, remembers it in the connection's items and
 *       sends {@code Joined(member)} to the group; answers the group;</li>
 *   <li>{@code Send(text)} sends {@code Receive(note)} to the group the caller joined last, or to the
 *       caller alone before any {@code Join}; answers the same {@link Note};</li>
 *   <li>{@code Work(key, millis)} takes {@code millis}, then counts one more run of {@code key}
 *       ({@link #runs}); answers the count.</li>
 * </ul>
 * When a connection that joined a group ends, the group gets {@code Left(member)}.
 */
@Singleton
@IfBuildProperty(name = EngineTestHubs.PROPERTY, stringValue = "true")
public class EchoHub implements Hub {

    public static final String PATH = "/hubs/echo";
    private static final String GROUP = "group";
    private static final Map<String, AtomicLong> RUNS = new ConcurrentHashMap<>();

    /** What {@code Send} delivers and answers: camelCase keys and an ISO time, as every hub's records. */
    public record Note(String text, String group, String fromUser, Instant sentAt) {
    }

    /** Who joined or left a group. */
    public record Member(String userId) {
    }

    /** How many {@code Work(key, …)} invocations have finished. */
    public static long runs(String key) {
        AtomicLong runs = RUNS.get(key);
        return runs == null ? 0 : runs.get();
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public void describe(HubMethods methods) {
        methods.on("Echo", String.class, (caller, text) -> text)
                .on("Add", Integer.class, Integer.class, (caller, a, b) -> a + b)
                .on("Repeat", String.class, Integer.class, (caller, text, times) -> text.repeat(times))
                .on("Join", String.class, EchoHub::join)
                .on("Send", String.class, EchoHub::send)
                .on("Work", String.class, Integer.class, EchoHub::work);
    }

    private static String join(HubCallerContext caller, String group) {
        caller.joinGroup(group);
        caller.items().put(GROUP, group);
        caller.hub().sendToGroup(group, "Joined", new Member(caller.user().userId()));
        return group;
    }

    private static Note send(HubCallerContext caller, String text) {
        String group = (String) caller.items().get(GROUP);
        Note note = new Note(text, group, caller.user().userId(), Instant.now());
        if (group == null) {
            caller.sendToCaller("Receive", note);
        } else {
            caller.hub().sendToGroup(group, "Receive", note);
        }
        return note;
    }

    private static long work(HubCallerContext caller, String key, int millis) throws InterruptedException {
        Thread.sleep(millis);
        return RUNS.computeIfAbsent(key, ignored -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void onDisconnected(HubCallerContext caller) {
        String group = (String) caller.items().get(GROUP);
        if (group != null) {
            caller.hub().sendToGroup(group, "Left", new Member(caller.user().userId()));
        }
    }
}
