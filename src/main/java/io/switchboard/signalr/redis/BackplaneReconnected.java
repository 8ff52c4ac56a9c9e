package io.switchboard.signalr.redis;

/**
 * Fired (asynchronously) when the backplane is back after an outage: messages published meanwhile
 * are lost, so listeners repair what they can from the database.
 */
public record BackplaneReconnected() {
}
