package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Points the application under test at the machine's PostgreSQL with a database of its own for this
 * test run, and gives it a Redis key prefix of its own, so runs never collide. The database is
 * dropped when the run ends. (The tests run as a single replica: Redis-backed runs are in
 * RedisHubLifetimeManagerTest and MultiReplicaIT.)
 */
public class LocalServicesTestResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create();
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", TestDatabase.USER,
                "switchboard.redis.key-prefix", "switchboard-test-" + UUID.randomUUID() + ":");
    }

    @Override
    public void stop() {
        if (database != null) {
            database.drop();
        }
    }
}
