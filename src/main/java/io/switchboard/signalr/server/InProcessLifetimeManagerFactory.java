package io.switchboard.signalr.server;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Without a backplane, every hub uses the in-process lifetime manager. */
@ApplicationScoped
class InProcessLifetimeManagerFactory {

    @Produces
    @DefaultBean
    @ApplicationScoped
    HubLifetimeManagerFactory inProcess() {
        return (hubName, pushed) -> new DefaultHubLifetimeManager(pushed);
    }
}
