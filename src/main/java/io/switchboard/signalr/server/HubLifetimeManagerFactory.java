package io.switchboard.signalr.server;

/** Creates the lifetime manager of one hub; the backplane in use decides which implementation. */
public interface HubLifetimeManagerFactory {

    /**
     * @param protocols every hub protocol the server speaks: a backplane serializes a message once
     *                  per protocol, so any replica can write it to any of its connections
     */
    HubLifetimeManager create(String hubName, java.util.List<io.switchboard.signalr.protocol.HubProtocol> protocols,
                              MessageCounter pushed);
}
