package io.switchboard.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replicas of the packaged application ({@link Replica}) sharing a PostgreSQL database of their own and a
 * redis-server the cluster owns, configured as an operator would. A replica can be killed and a new
 * one started in its place (new ports: whoever routes to it, such as a {@link TcpProxy}, is told).
 * Everything it started ends with {@link #close()}.
 */
public final class ReplicaCluster implements AutoCloseable {

    /** Generous: a machine busy with a build starts a packaged replica in tens of seconds. */
    public static final Duration READY_WITHIN = Duration.ofSeconds(240);

    private final String name;
    private final TestDatabase database;
    private final RedisServerProcess redis;
    private final Map<String, String> environment;
    // Replaced from a background thread while tests read them.
    private final List<Replica> replicas = new CopyOnWriteArrayList<>();
    private final List<Replica> others = new CopyOnWriteArrayList<>();
    private final AtomicInteger generation = new AtomicInteger();

    private ReplicaCluster(String name, TestDatabase database, RedisServerProcess redis, Map<String, String> settings) {
        this.name = name;
        this.database = database;
        this.redis = redis;
        Map<String, String> configured = new HashMap<>(environment(database, redis));
        configured.putAll(settings);
        this.environment = Map.copyOf(configured);
    }

    /**
     * How an operator configures replicas that share {@code database} and {@code redis}: a Redis key
     * prefix of their own, the test-only JWT verify key.
     */
    public static Map<String, String> environment(TestDatabase database, RedisServerProcess redis) {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER,
                "QUARKUS_REDIS_HOSTS", redis.url(),
                "SWITCHBOARD_REDIS_KEY_PREFIX", "it-" + UUID.randomUUID() + ":",
                "SWITCHBOARD_REDIS_RETRY_INTERVAL", "300ms",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                Path.of("src/test/resources/keys/test-only-jwt-public.pem").toAbsolutePath().toString(),
                "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
    }

    /** Starts {@code size} replicas named {@code <name>-1} and so on, and waits until all are ready. */
    public static ReplicaCluster start(String name, int size) throws IOException, InterruptedException {
        return start(name, size, Map.of());
    }

    /** As {@link #start(String, int)}, every replica with {@code settings} (environment variables) too. */
    public static ReplicaCluster start(String name, int size, Map<String, String> settings)
            throws IOException, InterruptedException {
        ReplicaCluster cluster = new ReplicaCluster(name, TestDatabase.create(), new RedisServerProcess().start(), settings);
        try {
            for (int number = 1; number <= size; number++) {
                cluster.replicas.add(cluster.launch(name + "-" + number, Map.of()));
            }
            for (Replica replica : cluster.replicas) {
                replica.awaitReady(READY_WITHIN);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private Replica launch(String replicaName, Map<String, String> overrides) throws IOException {
        Map<String, String> configured = new HashMap<>(environment);
        configured.putAll(overrides);
        return Replica.start(replicaName, configured);
    }

    /** The replica in slot {@code number} (from 1). */
    public Replica replica(int number) {
        return replicas.get(number - 1);
    }

    public List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    public int size() {
        return replicas.size();
    }

    /**
     * Starts a new replica in slot {@code number} (the old one is expected to be gone: killed) and
     * returns it once it has started (ready too, unless Redis is away meanwhile); safe to call from
     * another thread. Its log is {@code target/replicas/<name>-<number>-<generation>.log}.
     */
    public Replica replace(int number) throws IOException, InterruptedException {
        Replica replacement = launch(name + "-" + number + "-" + generation.incrementAndGet(), Map.of());
        others.add(replicas.set(number - 1, replacement));
        return replacement.awaitStarted(READY_WITHIN);
    }

    /**
     * Starts one more replica of the same configuration, outside the slots, with {@code overrides}
     * (environment variables), and returns it once it is ready. Closed with the cluster.
     */
    public Replica startOther(String replicaName, Map<String, String> overrides) throws IOException, InterruptedException {
        Replica other = launch(name + "-" + replicaName, overrides);
        others.add(other);
        return other.awaitReady(READY_WITHIN);
    }

    public RedisServerProcess redis() {
        return redis;
    }

    public TestDatabase database() {
        return database;
    }

    @Override
    public void close() throws InterruptedException {
        for (Replica replica : replicas) {
            replica.close();
        }
        for (Replica replica : others) {
            replica.close();
        }
        redis.close();
        database.drop();
    }
}
