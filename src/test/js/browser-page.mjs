// Runs the module script of a browser page under Node, with the official browser build of
// @microsoft/signalr (dist/browser/signalr.js: what a page's <script src> loads) in a context that
// offers what a browser offers that client: window and document (relative URLs resolve against the
// page), fetch, WebSocket, EventSource and sessionStorage. There is no `process` in it, so the client
// takes itself for a browser: it sends the token in the access_token query on WebSockets, as browsers
// must. No real browser: the point is to run a page's script exactly as written.
//
// Driven by ReadmeClientSnippetsTest through NodeScript. Input comes from the environment:
//   PAGE_URL         the page's address, e.g. http://localhost:8081/
//   SCRIPT           the page's module script, as written
//   SESSION_STORAGE  optional, a JSON object: what the tab's sessionStorage holds
//
// Prints what the script logs with console.log / console.info on stdout, one line each, and console
// warnings and errors (the client's included) on stderr. Runs until killed.

import { readFileSync } from "node:fs";
import vm from "node:vm";
import WebSocket from "ws";
import EventSource from "eventsource";
import { required } from "./connect.mjs";

function text(args) {
    return args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" ") + "\n";
}

function storage(entries) {
    const items = new Map(Object.entries(entries));
    return {
        getItem: (key) => (items.has(key) ? items.get(key) : null),
        setItem: (key, value) => items.set(key, String(value)),
        removeItem: (key) => items.delete(key),
        clear: () => items.clear(),
    };
}

const page = new URL(required("PAGE_URL"));
const bundle = readFileSync(new URL("./node_modules/@microsoft/signalr/dist/browser/signalr.js", import.meta.url), "utf8");

const browser = {
    console: {
        log: (...args) => process.stdout.write(text(args)),
        info: (...args) => process.stdout.write(text(args)),
        debug: () => {},
        trace: () => {},
        warn: (...args) => process.stderr.write(text(args)),
        error: (...args) => process.stderr.write(text(args)),
    },
    fetch, Headers, Request, Response, AbortController, TextEncoder, TextDecoder, URL, URLSearchParams,
    setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask,
    WebSocket,
    EventSource,
    sessionStorage: storage(JSON.parse(process.env.SESSION_STORAGE || "{}")),
    location: { href: page.href, origin: page.origin, protocol: page.protocol, host: page.host },
    navigator: { userAgent: "browser-page.mjs" },
    // The client listens for the page being frozen; a page run like this never is.
    addEventListener: () => {},
    removeEventListener: () => {},
    document: {
        baseURI: page.href,
        addEventListener: () => {},
        removeEventListener: () => {},
        // The client resolves a relative hub URL through an <a> element, as only a page can.
        createElement: () => {
            let href = "";
            return {
                get href() { return href; },
                set href(value) { href = new URL(value, page).href; },
            };
        },
    },
};
browser.window = browser;
browser.self = browser;
vm.createContext(browser);
vm.runInContext(bundle, browser, { filename: "signalr.js" });
vm.runInContext(`(async () => {\n${required("SCRIPT")}\n})().catch((error) => console.error("Uncaught", String(error && error.stack || error)));`,
    browser, { filename: "page-script.js" });
