package io.switchboard.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica of the packaged application in a process of its own, configured the way an operator
 * would: environment variables only. Stopped by its own pid. It runs the native executable when a
 * native build made one (failsafe passes {@code native.image.path}), else the JVM build
 * (target/quarkus-app/quarkus-run.jar), so the same *IT tests cover both.
 */
public final class Replica implements AutoCloseable {

    // HTTP/1.1 as Kubernetes probes and Prometheus speak it: the JDK client's default h2c upgrade of a
    // request now and then gets a garbled answer from the management interface (Vert.x).
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Ports 20000..29999 lie below Linux's ephemeral range (32768 and up by default). */
    private static final int PORT_BLOCK = 1000;
    private static final int PORTS_FROM = 20000 + (int) (ProcessHandle.current().pid() % 10) * PORT_BLOCK;
    private static final AtomicInteger NEXT_PORT = new AtomicInteger();

    private final String name;
    private final int httpPort;
    private final int managementPort;
    private final Path log;
    private final Process process;

    private Replica(String name, int httpPort, int managementPort, Path log, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    public static Replica start(String name, Map<String, String> environment) throws IOException {
        int httpPort = freePort();
        int managementPort = freePort();
        Path log = Path.of("target", "replicas", name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        return new Replica(name, httpPort, managementPort, log, builder.start());
    }

    private static List<String> command() {
        String nativeImage = System.getProperty("native.image.path");
        if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
            return List.of(nativeImage);
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                Path.of("target", "quarkus-app", "quarkus-run.jar").toString());
    }

    /**
     * A port free now, below the kernel's ephemeral range. A port the kernel hands out for port 0 comes
     * from that range, where any outgoing connection (a test's HTTP client, a replica's PostgreSQL pool)
     * may take it before the replica binds it: "Address already in use" at start, seen in CI. Ports are
     * handed out in turn from a block chosen by process id, so two replicas of a run never get the same.
     */
    private static int freePort() throws IOException {
        for (int tried = 0; tried < PORT_BLOCK; tried++) {
            int port = PORTS_FROM + Math.floorMod(NEXT_PORT.getAndIncrement(), PORT_BLOCK);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        throw new IOException("No free port in " + PORTS_FROM + ".." + (PORTS_FROM + PORT_BLOCK - 1));
    }

    public URI base() {
        return URI.create("http://localhost:" + httpPort + "/");
    }

    public int httpPort() {
        return httpPort;
    }

    /** The readiness status code: 200 when PostgreSQL and the backplane are up, 503 otherwise. */
    public int readiness() {
        return health("ready");
    }

    /** The startup probe's status code: 200 once the replica has started (whatever PostgreSQL and Redis do). */
    public int started() {
        return health("started");
    }

    private int health(String probe) {
        try {
            return HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + managementPort + "/q/health/" + probe))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The replica's Prometheus metrics (text format). */
    public String metrics() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + managementPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the sample named {@code sample} exactly (without labels), or -1 when it is not exported. */
    public double metric(String sample) throws IOException, InterruptedException {
        return metric(metrics(), sample);
    }

    /** The value of {@code sample} in {@code metrics} (as {@link #metrics()} returns them), or -1. */
    public static double metric(String metrics, String sample) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(sample + " ") || line.startsWith(sample + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    /** Waits until the replica is ready; fails with the end of its log otherwise. */
    public Replica awaitReady(Duration timeout) throws IOException, InterruptedException {
        return await("ready", timeout);
    }

    /** Waits until the replica has started (it serves, though Redis may be away); fails otherwise. */
    public Replica awaitStarted(Duration timeout) throws IOException, InterruptedException {
        return await("started", timeout);
    }

    private Replica await(String probe, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + tail());
            }
            if (health(probe) == 200) {
                return this;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not " + probe + " within " + timeout + ": " + tail());
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    private String tail() throws IOException {
        String text = logText();
        return text.substring(Math.max(0, text.length() - 3000));
    }

    /** Sends SIGTERM (what Kubernetes sends a pod it stops) and returns at once. */
    public void terminate() {
        process.destroy();
    }

    /**
     * {@code kill -9}: the process ends at once, without a shutdown of any kind (no Close to clients,
     * no readiness change, nothing flushed). Waits until it is gone.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Unix
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL");
        }
    }

    public String name() {
        return name;
    }

    /** The replica's process id, for what only the operating system knows (RSS, threads, file descriptors). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to exit; its exit code, or empty when it still runs after {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** Stops the replica by its pid (SIGTERM: a graceful shutdown), waiting for it to exit. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
