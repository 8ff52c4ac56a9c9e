package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A script of src/test/js run under Node with the official JavaScript SignalR client, driven line by
 * line: it prints one JSON event per line on stdout and reads commands from stdin. Input goes through
 * the environment, so tokens never appear on a command line. Always bounded: every wait has a limit
 * and {@link #close()} kills the process.
 */
public final class NodeScript implements AutoCloseable {

    public static final Path JS_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("src/test/js");
    /** How @microsoft/signalr's console logger starts a line at Warning level or above. */
    private static final Pattern CLIENT_WARNING = Pattern.compile("^\\[[^]]+] (Warning|Error|Critical): ", Pattern.MULTILINE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String script;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stderrPump;

    private NodeScript(String script, Process process) {
        this.script = script;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), stdout::add, script + "-stdout");
        this.stderrPump = pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), script + "-stderr");
    }

    public static NodeScript start(String script, Map<String, String> environment) {
        assertTrue(Files.isDirectory(JS_DIR.resolve("node_modules/@microsoft/signalr")),
                "@microsoft/signalr is not installed in " + JS_DIR + " (the Maven build runs npm ci there)");
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(JS_DIR.toFile());
        builder.environment().putAll(environment);
        try {
            return new NodeScript(script, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thread pump(InputStream stream, Consumer<String> sink, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The next event the script printed, which must be {@code {"event": name, ...}}. */
    public JsonNode next(String event, Duration timeout) {
        try {
            String line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                fail("node " + script + " printed no '" + event + "' within " + timeout + "; stderr:\n" + stderr);
            }
            JsonNode node = JSON.readTree(line);
            assertEquals(event, node.path("event").asText(), () -> "node " + script + " printed " + line
                    + "; stderr:\n" + stderr);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next line the script printed that contains {@code text}, skipping others; fails after {@code timeout}. */
    public String awaitLineContaining(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? stdout.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    fail("node " + script + " printed no line containing '" + text + "' within " + timeout
                            + "; stderr:\n" + stderr);
                }
                if (line.contains(text)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next event the script printed, whatever it is, or null when none came within {@code timeout}. */
    public JsonNode poll(Duration timeout) {
        try {
            String line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return line == null ? null : JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails if the script wrote anything to stderr (the client's warnings and errors go there). */
    public void assertQuiet() {
        assertEquals("", stderr.toString(), "node " + script + " wrote to stderr");
    }

    /** What the script wrote on stderr so far. */
    public String stderr() {
        return stderr.toString();
    }

    /** Sends one command line to the script. */
    public void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("node " + script + " is gone; stderr:\n" + stderr, e);
        }
    }

    /** Waits for the script to exit 0 without the client logging a warning or an error. */
    public void awaitSuccess(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("node " + script + " did not finish within " + timeout + "; stderr:\n" + stderr);
            }
            stderrPump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertEquals(0, process.exitValue(), () -> "node " + script + " failed; stderr:\n" + stderr);
        assertFalse(CLIENT_WARNING.matcher(stderr).find(), () -> "the JavaScript client logged a warning or error:\n"
                + stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
