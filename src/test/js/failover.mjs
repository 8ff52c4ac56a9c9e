// Official JavaScript clients (@microsoft/signalr) with automatic reconnect on every transport of both
// hubs, through the test's TCP front (its stand-in for a load balancer), while the replica behind it
// is killed (kill -9: no Close, no goodbye). Driven by ReplicaFailoverIT. Input from the environment:
//   BASE_URL          the front, e.g. http://127.0.0.1:8081
//   CHAT_TOKEN        a JWT for ChatHub
//   WORKFLOWS         workflows the chat user joins, comma separated (the last one is active)
//   MCP_KEY           an API key for McpHub
//   PENDING_CHANGE_ID a Pending change the agents subscribe to
//
// Prints one JSON line per step:
//   {"event":"connected","connections":[...]}     all six up, the chat ones in the workflows, the
//                                                   agents subscribed;
//   {"event":"reconnecting"}                        every connection lost its replica;
//   {"event":"reconnected","connections":[{hub, transport, connectionId, reconnectedId,
//     sessionRestored, decision}...]}               every connection is back (on another replica): each
//                                                   chat one got SessionRestored, each agent resubscribed in
//                                                   onreconnected and got the decision made while it was away;
//   {"event":"message","connections":[{hub, transport, content}...]}  each chat connection got a message
//                                                   posted in the first workflow after the reconnect; exits 0.
// Any error, or no result within the time limit, exits 1.

import { print, reconnecting, run, watchdog } from "./reconnecting.mjs";
import { required, withTimeout } from "./connect.mjs";

const OVERALL_TIMEOUT_MS = 110_000;
const STEP_TIMEOUT_MS = 45_000;
const DECISIONS = ["PendingChangeApproved", "PendingChangeRejected", "PendingChangeExpired"];

watchdog("failover", OVERALL_TIMEOUT_MS);

/** A promise and the function that resolves it. */
function signal() {
    let resolve;
    const promise = new Promise((done) => {
        resolve = done;
    });
    return { promise, resolve };
}

/** Marks the connection lost (`lost`, `gone`) once it starts reconnecting. */
function lose(state) {
    state.lost = false;
    state.gone = signal();
    state.connection.onreconnecting(() => {
        state.lost = true;
        state.gone.resolve();
    });
}

function chat(base, token, transport) {
    const state = reconnecting(base, "chat", "/hubs/chat", token, transport);
    lose(state);
    state.restored = signal();
    state.message = signal();
    state.connection.on("SessionRestored", (payload) => {
        if (state.lost) {
            state.sessionRestored = payload;
            state.restored.resolve();
        }
    });
    state.connection.on("ReceiveMessage", (payload) => {
        if (state.lost) {
            state.content = payload.content;
            state.message.resolve();
        }
    });
    return state;
}

function agent(base, key, transport, pendingChangeId) {
    const state = reconnecting(base, "mcp", "/hubs/mcp", key, transport);
    lose(state);
    state.decided = signal();
    for (const method of DECISIONS) {
        state.connection.on(method, (payload) => {
            if (state.lost) {
                state.decision = { method, ...payload };
                state.decided.resolve();
            }
        });
    }
    // What an agent does after a reconnect: subscribe again. A decision made meanwhile is pushed at once.
    state.connection.onreconnected(() => {
        state.connection.invoke("SubscribeToPendingChange", pendingChangeId).catch((error) =>
            process.stderr.write(`failover: resubscribing mcp/${transport} failed: ${error}\n`));
    });
    return state;
}

function report(state) {
    const { hub, transport, connectionId, reconnectedId, sessionRestored, decision } = state;
    return { hub, transport, connectionId, reconnectedId, sessionRestored, decision };
}

async function main() {
    const base = required("BASE_URL");
    const workflows = required("WORKFLOWS").split(",");
    const pendingChangeId = required("PENDING_CHANGE_ID");
    const chats = [];
    const agents = [];
    for (const transport of ["WebSockets", "ServerSentEvents", "LongPolling"]) {
        chats.push(chat(base, required("CHAT_TOKEN"), transport));
        agents.push(agent(base, required("MCP_KEY"), transport, pendingChangeId));
    }
    const all = [...chats, ...agents];
    for (const state of chats) {
        await state.connection.start();
        state.connectionId = state.connection.connectionId;
        for (const workflow of workflows) {
            await state.connection.invoke("JoinWorkflow", workflow);
        }
    }
    for (const state of agents) {
        await state.connection.start();
        state.connectionId = state.connection.connectionId;
        await state.connection.invoke("SubscribeToPendingChange", pendingChangeId);
    }
    await print({ event: "connected", connections: all.map(report) });

    await withTimeout(Promise.all(all.map((state) => state.gone.promise)), STEP_TIMEOUT_MS,
        "every connection to notice its replica is gone");
    await print({ event: "reconnecting" });

    await withTimeout(Promise.all([...all.map((state) => state.done), ...chats.map((state) => state.restored.promise),
        ...agents.map((state) => state.decided.promise)]), STEP_TIMEOUT_MS,
        "every connection to reconnect, each chat one to get SessionRestored and each agent the decision");
    await print({ event: "reconnected", connections: all.map(report) });

    await withTimeout(Promise.all(chats.map((state) => state.message.promise)), STEP_TIMEOUT_MS,
        "a message in the first workflow on every chat connection");
    await print({ event: "message", connections: chats.map(({ hub, transport, content }) => ({ hub, transport, content })) });
    await Promise.all(all.map((state) => state.connection.stop()));
}

run("failover", main);
