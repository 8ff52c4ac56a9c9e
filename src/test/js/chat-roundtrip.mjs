// One chat round trip with the official JavaScript SignalR client (@microsoft/signalr) under Node:
// connect over WebSockets, join a workflow, send a message and wait for it to come back.
//
// Driven by JavaScriptClientTest. Input comes from the environment (never the command line, so the
// token does not show up in process listings):
//   HUB_URL      absolute URL of the chat hub, e.g. http://localhost:8081/hubs/chat
//   ACCESS_TOKEN JWT for the user
//   WORKFLOW_ID  workflow to join
//   MESSAGE      optional, the message to send (default "hello from node")
//   PROTOCOL     optional, "json" (default) or "messagepack" (@microsoft/signalr-protocol-msgpack)
//
// On success prints one JSON line {"ack": <SendMessage result>, "received": <ReceiveMessage payload>}
// to stdout and exits 0. On any error or timeout prints the error to stderr and exits 1.

import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const RECEIVE_TIMEOUT_MS = 10_000;
const OVERALL_TIMEOUT_MS = 25_000;

// Hard stop whatever happens (a hung start, stop or invoke): the Java test waits 30 s at most.
const watchdog = setTimeout(() => {
    process.stderr.write(`chat-roundtrip: no result within ${OVERALL_TIMEOUT_MS} ms\n`);
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

function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
    const url = required("HUB_URL");
    const token = required("ACCESS_TOKEN");
    const workflowId = required("WORKFLOW_ID");
    const message = process.env.MESSAGE || "hello from node";
    const protocol = process.env.PROTOCOL === "messagepack" ? new MessagePackHubProtocol() : new signalR.JsonHubProtocol();

    const connection = new signalR.HubConnectionBuilder()
        .withUrl(url, {
            accessTokenFactory: () => token,
            transport: signalR.HttpTransportType.WebSockets,
        })
        .withHubProtocol(protocol)
        .configureLogging(signalR.LogLevel.Warning)
        .build();

    // Messages may arrive before the acknowledgement: keep them all and match by id afterwards.
    const received = [];
    const waiters = [];
    connection.on("ReceiveMessage", (payload) => {
        received.push(payload);
        waiters.forEach((wake) => wake());
    });
    const receivedWithId = (messageId) => new Promise((resolve) => {
        const check = () => {
            const match = received.find((payload) => payload && payload.messageId === messageId);
            if (match) {
                resolve(match);
            }
            return match;
        };
        if (!check()) {
            waiters.push(check);
        }
    });

    // Joining announces the user to the workflow, this connection included; without a handler the
    // client would log a warning, which JavaScriptClientTest treats as a failure.
    connection.on("UserJoined", () => {});

    await connection.start();
    try {
        await connection.invoke("JoinWorkflow", workflowId);
        const ack = await connection.invoke("SendMessage", message);
        if (!ack || typeof ack.messageId !== "string") {
            throw new Error(`unexpected SendMessage result: ${JSON.stringify(ack)}`);
        }
        const echo = await withTimeout(receivedWithId(ack.messageId), RECEIVE_TIMEOUT_MS,
            `ReceiveMessage ${ack.messageId}`);
        return JSON.stringify({ ack, received: echo, protocol: protocol.name });
    } finally {
        await connection.stop();
    }
}

main().then(
    (line) => process.stdout.write(line + "\n", () => process.exit(0)),
    (error) => {
        process.stderr.write(`chat-roundtrip: ${error && error.stack ? error.stack : error}\n`);
        process.exit(1);
    });
