// What the browser scripts (web-page.mjs, web-admin.mjs) share: Chromium as the project runs it,
// input from the environment, one JSON line per step on stdout, commands as JSON lines on stdin, and
// waiting for a text with an error that says what was shown instead.

import readline from "node:readline";

// What the project asks of Chromium on build machines: no sandbox (root), no GPU, no network of its own.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};

export const emit = (event, data = {}) => process.stdout.write(`${JSON.stringify({ event, ...data })}\n`);

/** The next command the test sends (a JSON line on stdin). */
export const commands = (() => {
  const waiting = [];
  const lines = [];
  readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const next = waiting.shift();
    if (next) {
      next(JSON.parse(line));
    } else {
      lines.push(JSON.parse(line));
    }
  });
  return () => (lines.length > 0 ? Promise.resolve(lines.shift()) : new Promise((resolve) => waiting.push(resolve)));
})();

export function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Waits until the element's text matches; the error says what it showed instead. */
export async function textMatches(locator, pattern, what, timeout) {
  const deadline = Date.now() + timeout;
  let text = "";
  while (Date.now() < deadline) {
    text = (await locator.innerText({ timeout }).catch(() => "")) ?? "";
    if (pattern.test(text)) {
      return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: expected ${pattern} within ${timeout} ms, but the text was: ${text.slice(0, 500)}`);
}

export function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Runs the script's main: exit 0 when it resolves, the error on stderr and exit 1 when it fails. */
export function run(main) {
  main().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}
