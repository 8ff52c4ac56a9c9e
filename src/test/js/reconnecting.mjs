// Shared by the scripts whose official clients (@microsoft/signalr) ride out a replica going away
// (shutdown-reconnect.mjs, failover.mjs, noloss-agents.mjs): a connection with automatic reconnect that
// never gives up (each script's watchdog bounds it), and a logger that shows the client's warnings
// and errors on stderr, each line naming its connection. While a replica goes away refused and dropped
// requests are expected and logged as errors by the client; only the outcome counts, and the named
// lines do not read as the client's own console warnings, which NodeScript rejects.

import * as signalR from "@microsoft/signalr";

// Quick retries keep the tests short; the browsers' default is [0, 2000, 10000, 30000], then it gives up.
const RETRY_DELAYS_MS = [0, 250, 500, 1000];

export function print(line) {
    return new Promise((resolve) => process.stdout.write(JSON.stringify(line) + "\n", resolve));
}

/** Exits 1 with the message when the script has no result within `ms`. */
export function watchdog(name, ms) {
    const timer = setTimeout(() => {
        process.stderr.write(`${name}: no result within ${ms} ms\n`);
        process.exit(1);
    }, ms);
    timer.unref();
}

/** Runs main() and exits 0, or prints the error and exits 1. */
export function run(name, main) {
    main().then(
        () => process.exit(0),
        (error) => {
            process.stderr.write(`${name}: ${error && error.stack ? error.stack : error}\n`);
            process.exit(1);
        });
}

/**
 * A connection to `base + path` over `transport` (not started), with automatic reconnect, and what
 * happened to it: `closeReceived` (the server sent Close), `reconnectingError`, `reconnectedId` (the
 * id after the latest reconnect), `reconnects`, and `done`, a promise that resolves at the first
 * reconnect and rejects if the connection closes for good.
 */
export function reconnecting(base, hub, path, token, transport, label = `${hub}/${transport}`) {
    const state = { hub, transport, connectionId: null, closeReceived: false, reconnectingError: null,
        reconnectedId: null, reconnects: 0 };
    const logger = {
        log(level, message) {
            if (message === "Close message received from server.") {
                state.closeReceived = true;
            }
            if (level >= signalR.LogLevel.Warning) {
                process.stderr.write(`[${new Date().toISOString()}] ${label} ${signalR.LogLevel[level]}: ${message}\n`);
            }
        },
    };
    const connection = new signalR.HubConnectionBuilder()
        .withUrl(base + path, { accessTokenFactory: () => token, transport: signalR.HttpTransportType[transport] })
        .withAutomaticReconnect({
            nextRetryDelayInMilliseconds: (context) =>
                RETRY_DELAYS_MS[Math.min(context.previousRetryCount, RETRY_DELAYS_MS.length - 1)],
        })
        .configureLogging(logger)
        .build();
    let reconnected;
    state.done = new Promise((resolve, reject) => {
        reconnected = resolve;
        connection.onclose((error) => reject(new Error(`${label} closed for good: ${error}`)));
    });
    state.done.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
    connection.onreconnecting((error) => {
        state.reconnectingError = error ? String(error) : null;
    });
    connection.onreconnected((connectionId) => {
        state.reconnectedId = connectionId;
        state.reconnects++;
        reconnected();
    });
    state.connection = connection;
    return state;
}
