package io.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/** The log of the application under test (the test profile writes it to target/quarkus-test.log). */
public final class ServerLog {

    private static final Path LOG = Path.of("target/quarkus-test.log");

    private ServerLog() {
    }

    public static String read() {
        try {
            return Files.exists(LOG) ? Files.readString(LOG) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a line containing {@code text} appears within {@code timeout}. */
    public static boolean awaitContaining(String text, Duration timeout) {
        return await(() -> read().contains(text), timeout);
    }

    /**
     * Whether the server logged, within {@code timeout}, that the connection ended for good: the
     * line HubConnectionHandler writes as the hub's OnDisconnected is scheduled.
     */
    public static boolean awaitDisconnected(String connectionId, Duration timeout) {
        return awaitConnectionLine(connectionId, "disconnected from hub", timeout);
    }

    /** Whether the server logged "Connection {id} of user {user} {phrase}" within {@code timeout}. */
    public static boolean awaitConnectionLine(String connectionId, String phrase, Duration timeout) {
        Pattern line = Pattern.compile("Connection " + Pattern.quote(connectionId) + " of user \\S+ " + Pattern.quote(phrase));
        return await(() -> line.matcher(read()).find(), timeout);
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
