// AI agents with the official JavaScript client (@microsoft/signalr, automatic reconnect), each behind
// one of the test's TCP fronts, waiting for the decisions on their pending changes while replicas are
// killed and Redis restarts. Driven by NoLossIT. Input from the environment:
//   AGENTS  JSON array, one entry per agent: {"base": front URL, "key": API key, "transport": "WebSockets"|...}
//
// Commands on stdin, one per line:
//   subscribe <agent> <id>,<id>,...  the agent follows these changes: it subscribes to each until the
//                                     server accepts (retrying after a failure, or once reconnected)
//   stop                              stops every agent and exits 0
// Events on stdout, one JSON object per line:
//   {"event":"ready"}                                          every agent is connected
//   {"event":"subscribed","agent":i,"count":n}                  every id of one subscribe command is subscribed
//   {"event":"decision","agent":i,"id":...,"status":"Approved"} each notification, duplicates included
//   {"event":"reconnected","agent":i}                           after each automatic reconnect
//   {"event":"closed","agent":i,"error":...}                    the connection ended for good (a failure)
// What an agent does after a reconnect (onreconnected): subscribe again to every change it follows that
// has no decision yet; a decision made meanwhile is pushed at once.

import { createInterface } from "node:readline";
import { print, reconnecting, run, watchdog } from "./reconnecting.mjs";
import { required } from "./connect.mjs";

const OVERALL_TIMEOUT_MS = 30 * 60_000;
const RETRY_MS = 200;
const DECISIONS = { PendingChangeApproved: "Approved", PendingChangeRejected: "Rejected", PendingChangeExpired: "Expired" };

watchdog("noloss-agents", OVERALL_TIMEOUT_MS);

let stopping = false;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function agent(index, { base, key, transport }) {
    const state = reconnecting(base, "mcp", "/hubs/mcp", key, transport, `agent-${index}/${transport}`);
    state.index = index;
    state.followed = new Set();
    state.decided = new Set();
    for (const [method, status] of Object.entries(DECISIONS)) {
        state.connection.on(method, (payload) => {
            state.decided.add(payload.pendingChangeId);
            print({ event: "decision", agent: index, id: payload.pendingChangeId, status });
        });
    }
    // Automatic reconnect never gives up here: closed for good means the server refused a reconnect.
    state.connection.onclose((error) => {
        if (!stopping) {
            print({ event: "closed", agent: index, error: String(error) });
        }
    });
    state.connection.onreconnected(() => {
        print({ event: "reconnected", agent: index });
        for (const id of state.followed) {
            if (!state.decided.has(id)) {
                subscribe(state, id);
            }
        }
    });
    return state;
}

/** Subscribes until the server accepts; while the connection is down, onreconnected takes over. */
async function subscribe(state, id) {
    while (!state.decided.has(id)) {
        if (state.connection.state !== "Connected") {
            await sleep(RETRY_MS);
            continue;
        }
        try {
            await state.connection.invoke("SubscribeToPendingChange", id);
            return;
        } catch (error) {
            await sleep(RETRY_MS);
        }
    }
}

async function main() {
    const agents = JSON.parse(required("AGENTS")).map((config, index) => agent(index, config));
    await Promise.all(agents.map((state) => state.connection.start()));
    await print({ event: "ready" });

    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
        const [command, which, list] = line.trim().split(" ");
        if (command === "stop") {
            stopping = true;
            break;
        }
        if (command === "subscribe") {
            const state = agents[Number(which)];
            const ids = list.split(",");
            ids.forEach((id) => state.followed.add(id));
            Promise.all(ids.map((id) => subscribe(state, id))).then(() =>
                print({ event: "subscribed", agent: state.index, count: ids.length }));
        }
    }
    await Promise.all(agents.map((state) => state.connection.stop()));
}

run("noloss-agents", main);
