// Shared by the scripts JavaScriptClientTest runs: builds an official @microsoft/signalr client from
// the environment and runs a script's main() with a hard time limit.
//
// Environment (never the command line, so the token does not show up in process listings):
//   HUB_URL      absolute URL of the hub, e.g. http://localhost:8081/hubs/chat
//   ACCESS_TOKEN the credential the client's accessTokenFactory returns (JWT or API key)
//   TRANSPORT    optional: WebSockets, ServerSentEvents, LongPolling or a comma-separated list of them;
//                unset or empty lets the client choose among all of them, as browsers do by default
//   PROTOCOL     optional, "json" (default) or "messagepack" (@microsoft/signalr-protocol-msgpack)
//
// The client's log goes through a logger of our own: Warning and above is written to stderr in the
// client's console format (the test treats it as a failure), and the transports the client selects
// are recorded, so the script can report which one it ended up using.

import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const OVERALL_TIMEOUT_MS = 25_000;

export function required(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`environment variable ${name} is required`);
    }
    return value;
}

export function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function transports() {
    const names = (process.env.TRANSPORT || "").split(",").map((name) => name.trim()).filter(Boolean);
    if (names.length === 0) {
        return undefined; // the client's default: every transport, in the order negotiate lists them
    }
    return names.reduce((mask, name) => {
        const value = signalR.HttpTransportType[name];
        if (typeof value !== "number") {
            throw new Error(`unknown transport ${name}`);
        }
        return mask | value;
    }, 0);
}

/**
 * A connection to HUB_URL, not started yet; the transports it selects are recorded in `selected`,
 * in the order it tries them, and `protocol` is the hub protocol's name.
 */
export function build() {
    const selected = [];
    const logger = {
        log(level, message) {
            const selecting = /^Selecting transport '(\w+)'/.exec(message);
            if (selecting) {
                selected.push(selecting[1]);
            }
            if (level >= signalR.LogLevel.Warning) {
                process.stderr.write(`[${new Date().toISOString()}] ${signalR.LogLevel[level]}: ${message}\n`);
            }
        },
    };
    const token = required("ACCESS_TOKEN");
    const protocol = process.env.PROTOCOL === "messagepack" ? new MessagePackHubProtocol() : new signalR.JsonHubProtocol();
    const connection = new signalR.HubConnectionBuilder()
        .withUrl(required("HUB_URL"), {
            accessTokenFactory: () => token,
            transport: transports(),
        })
        .withHubProtocol(protocol)
        .configureLogging(logger)
        .build();
    return { connection, selected, protocol: protocol.name };
}

/** Messages of one server event, kept as they arrive, and a way to wait for one of them. */
export function collect(connection, event) {
    const received = [];
    const waiters = [];
    connection.on(event, (payload) => {
        received.push(payload);
        waiters.forEach((wake) => wake());
    });
    return (matches, ms) => withTimeout(new Promise((resolve) => {
        const check = () => {
            const match = received.find((payload) => payload && matches(payload));
            if (match) {
                resolve(match);
            }
            return match;
        };
        if (!check()) {
            waiters.push(check);
        }
    }), ms, event);
}

/** Runs main(); prints its result as one JSON line and exits 0, or prints the error and exits 1. */
export function run(name, main) {
    // Hard stop whatever happens (a hung start, stop or invoke): the Java test waits 30 s at most.
    const watchdog = setTimeout(() => {
        process.stderr.write(`${name}: no result within ${OVERALL_TIMEOUT_MS} ms\n`);
        process.exit(1);
    }, OVERALL_TIMEOUT_MS);
    watchdog.unref();
    main().then(
        (result) => process.stdout.write(JSON.stringify(result) + "\n", () => process.exit(0)),
        (error) => {
            process.stderr.write(`${name}: ${error && error.stack ? error.stack : error}\n`);
            process.exit(1);
        });
}
