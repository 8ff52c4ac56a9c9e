package io.switchboard.signalr.server;

/**
 * Counts hub invocations while they run, so the service can weigh them against new requests when it
 * decides whether it is at capacity (ASP.NET Core leaves that to the host; here it is one number).
 */
public interface WorkInProgress {

    WorkInProgress NONE = new WorkInProgress() {
        @Override
        public void enter() {
        }

        @Override
        public void exit() {
        }
    };

    void enter();

    void exit();
}
