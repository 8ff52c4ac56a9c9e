package io.switchboard.signalr.testhub;

import io.quarkus.arc.properties.IfBuildProperty;
import io.switchboard.signalr.server.Hub;
import io.switchboard.signalr.server.HubMethods;
import jakarta.inject.Singleton;

/**
 * The engine's own test hub: no application behind it, any authenticated caller may use it. Only in
 * the {@link EngineTestHubs} profile, so the application's tests see the application's hubs only.
 */
@Singleton
@IfBuildProperty(name = EngineTestHubs.PROPERTY, stringValue = "true")
public class EchoHub implements Hub {

    public static final String PATH = "/hubs/echo";

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
        methods.on("Echo", String.class, (caller, text) -> text);
    }
}
