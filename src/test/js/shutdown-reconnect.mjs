// Official JavaScript clients (@microsoft/signalr) on every transport of both hubs, with automatic
// reconnect, riding out the shutdown of the replica they are connected to.
//
// Driven by MultiReplicaIT. Input comes from the environment:
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

import { print, reconnecting, run, watchdog } from "./reconnecting.mjs";
import { required, withTimeout } from "./connect.mjs";

const OVERALL_TIMEOUT_MS = 90_000;
const RECONNECT_TIMEOUT_MS = 40_000;

watchdog("shutdown-reconnect", OVERALL_TIMEOUT_MS);

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
        states.push(reconnecting(base, "chat", "/hubs/chat", chatToken, transport));
        states.push(reconnecting(base, "mcp", "/hubs/mcp", mcpKey, transport));
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

run("shutdown-reconnect", main);
