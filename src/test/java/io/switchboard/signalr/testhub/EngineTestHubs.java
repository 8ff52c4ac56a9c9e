package io.switchboard.signalr.testhub;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The profile of the engine's tests that use its own test hubs ({@link EchoHub}) rather than the application's. */
public class EngineTestHubs implements QuarkusTestProfile {

    /** Set to {@code true} by every profile whose tests use the engine's test hubs. */
    public static final String PROPERTY = "switchboard.test.engine-hubs";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(PROPERTY, "true");
    }
}
