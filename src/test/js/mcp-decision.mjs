// An AI agent on McpHub with the official JavaScript SignalR client (@microsoft/signalr) under Node,
// speaking MessagePack (@microsoft/signalr-protocol-msgpack) by default: it subscribes to a pending
// change and waits for the decision.
//
// Driven by JavaScriptMcpClientTest through NodeScript. Input comes from the environment (never the
// command line, so the API key does not show up in process listings):
//   HUB_URL            absolute URL of the MCP hub, e.g. http://localhost:8081/hubs/mcp
//   API_KEY            the agent's API key (the client's accessTokenFactory returns it)
//   PENDING_CHANGE_ID  the change to subscribe to
//   PROTOCOL           optional, "messagepack" (default) or "json"
//   TRANSPORT          optional, "WebSockets" (default), "ServerSentEvents" or "LongPolling"
//
// Prints one JSON event per line on stdout:
//   {"event":"subscribed","result":<SubscribeToPendingChange result>,"protocol":"messagepack"}
//   {"event":"decided","method":"PendingChangeApproved","payload":{...}}
// then stops and exits 0. On any error or timeout prints the error to stderr and exits 1.

import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const DECISION_TIMEOUT_MS = 15_000;
const OVERALL_TIMEOUT_MS = 25_000;

const watchdog = setTimeout(() => {
    process.stderr.write(`mcp-decision: no result within ${OVERALL_TIMEOUT_MS} ms\n`);
    process.exit(1);
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

function required(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`environment variable ${name} is required`);
    }
    return value;
}

function print(event) {
    return new Promise((resolve) => process.stdout.write(JSON.stringify(event) + "\n", resolve));
}

async function main() {
    const url = required("HUB_URL");
    const apiKey = required("API_KEY");
    const pendingChangeId = required("PENDING_CHANGE_ID");
    const protocol = process.env.PROTOCOL === "json" ? new signalR.JsonHubProtocol() : new MessagePackHubProtocol();

    const connection = new signalR.HubConnectionBuilder()
        .withUrl(url, { accessTokenFactory: () => apiKey, transport: signalR.HttpTransportType[process.env.TRANSPORT || "WebSockets"] })
        .withHubProtocol(protocol)
        .configureLogging(signalR.LogLevel.Warning)
        .build();

    const decided = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no decision within ${DECISION_TIMEOUT_MS} ms`)),
            DECISION_TIMEOUT_MS);
        for (const method of ["PendingChangeApproved", "PendingChangeRejected", "PendingChangeExpired"]) {
            connection.on(method, (payload) => {
                clearTimeout(timer);
                resolve({ method, payload });
            });
        }
    });

    await connection.start();
    try {
        const result = await connection.invoke("SubscribeToPendingChange", pendingChangeId);
        await print({ event: "subscribed", result: result === undefined ? "undefined" : result, protocol: protocol.name });
        const decision = await decided;
        await print({ event: "decided", ...decision });
    } finally {
        await connection.stop();
    }
}

main().then(
    () => process.exit(0),
    (error) => {
        process.stderr.write(`mcp-decision: ${error && error.stack ? error.stack : error}\n`);
        process.exit(1);
    });
