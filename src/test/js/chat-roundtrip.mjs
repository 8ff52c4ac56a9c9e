// One chat round trip with the official JavaScript SignalR client (@microsoft/signalr) under Node:
// connect, join a workflow, send a message and wait for it to come back.
//
// Driven by JavaScriptClientTest. Input comes from the environment (see connect.mjs for HUB_URL,
// ACCESS_TOKEN, TRANSPORT and PROTOCOL):
//   WORKFLOW_ID  workflow to join
//   MESSAGE      optional, the message to send (default "hello from node")
//
// On success prints one JSON line {"ack": <SendMessage result>, "received": <ReceiveMessage payload>,
// "protocol": <hub protocol name>, "transport": <the transport used>, "attempts": <every transport
// tried, in order>} and exits 0.
// On any error or timeout prints the error to stderr and exits 1.

import { build, collect, required, run } from "./connect.mjs";

const RECEIVE_TIMEOUT_MS = 10_000;

run("chat-roundtrip", async () => {
    const workflowId = required("WORKFLOW_ID");
    const message = process.env.MESSAGE || "hello from node";
    const { connection, selected, protocol } = build();

    // Messages may arrive before the acknowledgement: keep them all and match by id afterwards.
    const receivedMessage = collect(connection, "ReceiveMessage");
    // Joining announces the user to the workflow, this connection included (UserJoined, and
    // PresenceChanged for the person's first connection there); without a handler the client would
    // log a warning, which JavaScriptClientTest treats as a failure.
    connection.on("UserJoined", () => {});
    connection.on("PresenceChanged", () => {});

    await connection.start();
    try {
        await connection.invoke("JoinWorkflow", workflowId);
        const ack = await connection.invoke("SendMessage", message);
        if (!ack || typeof ack.messageId !== "string") {
            throw new Error(`unexpected SendMessage result: ${JSON.stringify(ack)}`);
        }
        const received = await receivedMessage((payload) => payload.messageId === ack.messageId, RECEIVE_TIMEOUT_MS);
        return { ack, received, protocol, transport: selected[selected.length - 1], attempts: selected };
    } finally {
        await connection.stop();
    }
});
