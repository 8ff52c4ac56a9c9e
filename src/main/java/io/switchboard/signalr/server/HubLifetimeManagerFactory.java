package io.switchboard.signalr.server;

/** Creates the lifetime manager of one hub; the backplane in use decides which implementation. */
public interface HubLifetimeManagerFactory {

    HubLifetimeManager create(String hubName, MessageCounter pushed);
}
