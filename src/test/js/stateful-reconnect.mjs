// The official JavaScript SignalR client (@microsoft/signalr) with .withStatefulReconnect(), under
// Node, in a chat workflow; the Java test cuts its network in between (a TCP proxy it owns).
//
// Driven by StatefulReconnectJavaScriptClientTest through NodeScript. Input comes from the
// environment (never the command line, so the token does not show up in process listings):
//   HUB_URL      absolute URL of the chat hub, through the test's proxy
//   ACCESS_TOKEN JWT for the user
//   WORKFLOW_ID  workflow to join
//   PROTOCOL     optional, "json" (default) or "messagepack"
//
// Prints one JSON event per line on stdout and reads one command per line on stdin:
//   (on start)          -> {"event":"ready","connectionId":...}
//   send <text>         -> invokes SendMessage(text) at once (buffered by the client while cut);
//                          {"event":"sent","content":<text>,"ack":...} once its Completion arrives
//   report <n> <quietMs> waits until n ReceiveMessage pushes arrived (10 s at most), then quietMs more
//                          for duplicates -> {"event":"report","connectionId","state","received":[contents],
//                          "websocketConnects","closedWith"}
//   stop                -> stops the connection and exits 0
// Any error prints to stderr and exits 1.

import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";
import { createInterface } from "node:readline";

const OVERALL_TIMEOUT_MS = 60_000;
const REPORT_WAIT_MS = 10_000;

const watchdog = setTimeout(() => {
    process.stderr.write(`stateful-reconnect: not done within ${OVERALL_TIMEOUT_MS} ms\n`);
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

function fail(error) {
    process.stderr.write(`stateful-reconnect: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Counts the transport's own "WebSocket connected to ..." lines (one per socket opened) and passes
// warnings and errors on to stderr, where the Java test looks for them.
let websocketConnects = 0;
const logger = {
    log(level, message) {
        if (message.startsWith("WebSocket connected to ")) {
            websocketConnects++;
        }
        if (level >= signalR.LogLevel.Warning) {
            process.stderr.write(`[${new Date().toISOString()}] ${signalR.LogLevel[level]}: ${message}\n`);
        }
    },
};

async function main() {
    const url = required("HUB_URL");
    const token = required("ACCESS_TOKEN");
    const workflowId = required("WORKFLOW_ID");
    const protocol = process.env.PROTOCOL === "messagepack" ? new MessagePackHubProtocol() : new signalR.JsonHubProtocol();

    const connection = new signalR.HubConnectionBuilder()
        .withUrl(url, { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets })
        .withHubProtocol(protocol)
        .withStatefulReconnect()
        .configureLogging(logger)
        .build();

    const received = [];
    let closedWith = null;
    // Handlers return nothing: a returned value would be taken for a client result.
    connection.on("ReceiveMessage", (payload) => {
        received.push(payload.content);
    });
    connection.on("UserJoined", () => {});
    connection.on("UserLeft", () => {});
    connection.on("PresenceChanged", () => {});
    connection.onclose((error) => {
        closedWith = String(error || "closed");
    });

    await connection.start();
    await connection.invoke("JoinWorkflow", workflowId);
    await print({ event: "ready", connectionId: connection.connectionId });

    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
        const [command, ...rest] = line.split(" ");
        if (command === "send") {
            const content = rest.join(" ");
            connection.invoke("SendMessage", content).then(
                (ack) => print({ event: "sent", content, ack }),
                fail);
        } else if (command === "report") {
            const [count, quietMs] = rest.map(Number);
            const deadline = Date.now() + REPORT_WAIT_MS;
            while (received.length < count && Date.now() < deadline) {
                await sleep(50);
            }
            await sleep(quietMs);
            await print({
                event: "report",
                connectionId: connection.connectionId,
                state: connection.state,
                received,
                websocketConnects,
                closedWith,
            });
        } else if (command === "stop") {
            await connection.stop();
            process.exit(0);
        }
    }
}

main().catch(fail);
