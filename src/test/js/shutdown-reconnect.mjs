// Official JavaScript clients (@microsoft/signalr) on every transport of both hubs, with automatic
// reconnect, riding out the shutdown of the replica they are connected to.
//
// Driven by GracefulShutdownIT. Input comes from the environment:
//   BASE_URL   where the hubs are, e.g. http://127.0.0.1:8081 (a proxy in front of the replicas)
//   CHAT_TOKEN a JWT for ChatHub
//   MCP_KEY    an API key for McpHub
//
// Prints one JSON line per step:
//   {"event":"connected","connections":[{"hub","transport","connectionId"}...]} once all six are up;
//   {"event":"reconnected","connections":[{"hub","transport","connectionId","closeReceived",
//     "reconnectingError","reconnectedId","invokedAfterReconnect"}...]} once every one of them has
//     reconnected and answered a hub method again, then exits 0.
// "closeReceived" is true when the client logged that the server sent Close. A Close without
// allowReconnect stops the client for good, so a connection that received Close and then reconnected
// was told allowReconnect: true. Any error, or no result within the time limit, exits 1.

import * as signalR from "@microsoft/signalr";
import { required, withTimeout } from "./connect.mjs";

const OVERALL_TIMEOUT_MS = 90_000;
const RECONNECT_TIMEOUT_MS = 40_000;
// Quick retries keep the test short; the browsers' default is [0, 2000, 10000, 30000].
const RECONNECT_DELAYS_MS = [0, 250, 500, 1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000];

const watchdog = setTimeout(() => {
    process.stderr.write(`shutdown-reconnect: no result within ${OVERALL_TIMEOUT_MS} ms\n`);
    process.exit(1);
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

function print(line) {
    return new Promise((resolve) => process.stdout.write(JSON.stringify(line) + "\n", resolve));
}

function connect(base, hub, path, token, transport) {
    const state = { hub, transport, connectionId: null, closeReceived: false, reconnectingError: null,
        reconnectedId: null, invokedAfterReconnect: false };
    const logger = {
        log(level, message) {
            if (message === "Close message received from server.") {
                state.closeReceived = true;
            }
            // While a replica stops, refused and dropped requests are expected and logged as errors by
            // the client; only the outcome (reconnected, working) counts. The lines name the hub and
            // transport, so they do not read as the client's own console warnings NodeScript rejects.
            if (level >= signalR.LogLevel.Warning) {
                process.stderr.write(`[${new Date().toISOString()}] ${hub}/${transport} ${signalR.LogLevel[level]}: ${message}\n`);
            }
        },
    };
    const connection = new signalR.HubConnectionBuilder()
        .withUrl(base + path, { accessTokenFactory: () => token, transport: signalR.HttpTransportType[transport] })
        .withAutomaticReconnect(RECONNECT_DELAYS_MS)
        .configureLogging(logger)
        .build();
    let reconnected;
    state.done = new Promise((resolve, reject) => {
        reconnected = resolve;
        connection.onclose((error) => reject(new Error(`${hub}/${transport} closed for good: ${error}`)));
    });
    connection.onreconnecting((error) => {
        state.reconnectingError = error ? String(error) : null;
    });
    connection.onreconnected((connectionId) => {
        state.reconnectedId = connectionId;
        reconnected();
    });
    state.connection = connection;
    return state;
}

async function invokeSomething(state) {
    if (state.hub === "chat") {
        await state.connection.invoke("GetHistory", "shutdown-" + state.transport, null, 1);
    } else {
        await state.connection.invoke("UnsubscribeFromPendingChange", "00000000-0000-0000-0000-000000000000");
    }
}

function report(state) {
    const { hub, transport, connectionId, closeReceived, reconnectingError, reconnectedId, invokedAfterReconnect } = state;
    return { hub, transport, connectionId, closeReceived, reconnectingError, reconnectedId, invokedAfterReconnect };
}

async function main() {
    const base = required("BASE_URL");
    const chatToken = required("CHAT_TOKEN");
    const mcpKey = required("MCP_KEY");
    const states = [];
    for (const transport of ["WebSockets", "ServerSentEvents", "LongPolling"]) {
        states.push(connect(base, "chat", "/hubs/chat", chatToken, transport));
        states.push(connect(base, "mcp", "/hubs/mcp", mcpKey, transport));
    }
    for (const state of states) {
        await state.connection.start();
        state.connectionId = state.connection.connectionId;
        await invokeSomething(state);
    }
    await print({ event: "connected", connections: states.map(report) });

    await withTimeout(Promise.all(states.map((state) => state.done)), RECONNECT_TIMEOUT_MS, "every client to reconnect");
    for (const state of states) {
        await invokeSomething(state);
        state.invokedAfterReconnect = true;
    }
    await print({ event: "reconnected", connections: states.map(report) });
    await Promise.all(states.map((state) => state.connection.stop()));
}

main().then(
    () => process.exit(0),
    (error) => {
        process.stderr.write(`shutdown-reconnect: ${error && error.stack ? error.stack : error}\n`);
        process.exit(1);
    });
