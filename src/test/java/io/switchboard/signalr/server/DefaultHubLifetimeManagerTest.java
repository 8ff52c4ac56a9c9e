package io.switchboard.signalr.server;

/** The in-process manager: one server, so both "servers" are the same manager. */
class DefaultHubLifetimeManagerTest extends HubLifetimeManagerContract {

    private final DefaultHubLifetimeManager manager = new DefaultHubLifetimeManager(MessageCounter.NONE);

    @Override
    protected HubLifetimeManager firstServer() {
        return manager;
    }

    @Override
    protected HubLifetimeManager secondServer() {
        return manager;
    }
}
