// The web page at / in a real browser: Debian's Chromium driven by playwright-core, by the
// accessible names of docs/api.md §9 "The web page" only. Two people chat in one workflow; the
// approver decides an agent's pending changes as they appear; a reload brings the chat back; the page
// says "Reconnecting" while the service cannot be reached, and recovers.
//
// Driven by WebPageTest, one JSON line per step on stdout, commands as JSON lines on stdin (the test
// owns the agent and the network proxy). Input from the environment, so no password is on a command
// line:
//   CHROMIUM            the browser executable (/usr/bin/chromium)
//   APPROVER_URL        the page for the approver, through the proxy the test cuts
//   USER_URL            the page for the second person, straight to the service
//   APPROVER_USERNAME, USER_USERNAME, PASSWORD
//   APPROVER_NAME, USER_NAME  their display names
//   AGENT_NAME          the name of the API key the agent proposes with (shown on its changes)
//   WORKFLOW_ID         the workflow both join
//   SCREENSHOTS         a folder for chat.png, chat-phone.png, approvals.png
//
// Every page must pass its Content-Security-Policy: any violation Chromium reports fails the run.
// Events, in order: signed-in, approvals-open, approved, rejected, reloaded, cut-me, reconnecting,
// done. Commands: {"toolName": ...} after approvals-open and after approved; {"cut": true} after
// cut-me; {"resumed": true} after reconnecting. Any failure: the error on stderr, exit 1.

import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM_ARGS, check, commands, emit, env, escape, run, textMatches as waitForText } from "./browser-steps.mjs";

const STEP_MS = 10_000;
const RECOVERY_MS = 45_000;
/** Waits until the element's text matches, within a step unless told. */
const textMatches = (locator, pattern, what, timeout = STEP_MS) => waitForText(locator, pattern, what, timeout);

const status = (page) => page.getByRole("status");
const connected = (page, what, timeout) => textMatches(status(page), /Connected/, what, timeout);

async function signIn(page, username, password, submitWith) {
  await page.getByRole("textbox", { name: "Username" }).fill(username);
  await page.getByRole("textbox", { name: "Password" }).fill(password);
  if (submitWith === "Enter") {
    await page.getByRole("textbox", { name: "Password" }).press("Enter");
  } else {
    await page.getByRole("button", { name: "Sign in" }).click();
  }
}

async function main() {
  const shots = env("SCREENSHOTS");
  mkdirSync(shots, { recursive: true });
  const password = env("PASSWORD");
  const workflow = env("WORKFLOW_ID");
  const approverName = env("APPROVER_NAME");
  const userName = env("USER_NAME");

  // Playwright gives every launch a fresh, temporary --user-data-dir of its own.
  const browser = await chromium.launch({ executablePath: env("CHROMIUM"), headless: true, args: CHROMIUM_ARGS });
  try {
    const approverContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const userContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const alice = await approverContext.newPage();
    const bob = await userContext.newPage();
    for (const page of [alice, bob]) {
      page.setDefaultTimeout(STEP_MS);
      watchPolicy(page);
    }

    // Signing in: a wrong password is refused with an alert, the right one gets in.
    await alice.goto(env("APPROVER_URL"));
    await signIn(alice, env("APPROVER_USERNAME"), `${password}-wrong`, "click");
    await alice.getByRole("alert").waitFor();
    await signIn(alice, env("APPROVER_USERNAME"), password, "click");
    await connected(alice, "the approver's page after signing in");
    await alice.getByRole("button", { name: "Sign out" }).waitFor();

    await bob.goto(env("USER_URL"));
    await signIn(bob, env("USER_USERNAME"), password, "Enter");
    await connected(bob, "the second person's page after signing in");
    check(await bob.getByRole("link", { name: "Approvals" }).count() === 0, "a plain user has no Approvals page");
    emit("signed-in");

    // Both join the workflow: the approver with the keyboard, the other on a phone-sized screen.
    await alice.getByRole("textbox", { name: "Workflow" }).fill(workflow);
    await alice.getByRole("textbox", { name: "Workflow" }).press("Enter");
    await textMatches(alice.getByRole("log"), new RegExp(`${approverName} joined`), "the approver's own join");
    await bob.getByRole("textbox", { name: "Workflow" }).fill(workflow);
    await bob.getByRole("button", { name: "Join" }).click();
    await textMatches(alice.getByRole("log"), new RegExp(`${userName} joined`), "the approver sees the other person join");

    await bob.getByRole("textbox", { name: "Message" }).fill("Morning! Is the invoice run ready to go?");
    await bob.getByRole("button", { name: "Send" }).click();
    await textMatches(alice.getByRole("log"), /invoice run ready/, "the approver receives the first message");

    // Markup in a message is text, not markup; unicode comes through whole.
    const tricky = "Hello <b>Bob</b> & <img src=x onerror=alert(1)> — ünïcödé 🎉";
    await alice.getByRole("textbox", { name: "Message" }).fill(tricky);
    await alice.getByRole("textbox", { name: "Message" }).press("Enter");
    const bobLog = bob.getByRole("log");
    await textMatches(bobLog, new RegExp(`${approverName}[\\s\\S]*${escape(tricky)}`), "the other person receives it");
    check(await bobLog.locator("b, img").count() === 0, "message text became markup");
    check(await alice.getByRole("textbox", { name: "Message" }).inputValue() === "", "Enter sent and cleared the box");

    const long = `A long one, with a very long word at the end: ${"lorem ipsum dolor sit amet ".repeat(12)}${"x".repeat(300)}`;
    await bob.getByRole("textbox", { name: "Message" }).fill(long);
    await bob.getByRole("button", { name: "Send" }).click();
    await textMatches(alice.getByRole("log"), new RegExp(`${userName}[\\s\\S]*${"x".repeat(300)}`), "the approver receives the reply");
    await textMatches(bobLog, /x{300}/, "the sender sees its own message");
    const overflow = await bob.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the phone-sized page scrolls sideways by ${overflow} px`);
    check(await bob.getByRole("button", { name: "Send" }).isVisible(), "Send is on the phone-sized screen");
    await alice.getByRole("textbox", { name: "Message" }).fill("Looks good, shipping it 🚀");
    await alice.getByRole("button", { name: "Send" }).click();
    await textMatches(bobLog, /shipping it/, "the other person receives the answer");
    await alice.screenshot({ path: join(shots, "chat.png") });
    await bob.screenshot({ path: join(shots, "chat-phone.png") });

    // Approvals: a change the agent proposes appears without a reload and is approved.
    await alice.getByRole("link", { name: "Approvals" }).click();
    await alice.getByRole("heading", { name: "Pending changes" }).waitFor();
    emit("approvals-open");

    const first = await commands();
    const firstArticle = alice.getByRole("article").filter({ hasText: first.toolName });
    await firstArticle.waitFor();
    await textMatches(firstArticle, /UPDATE[\s\S]*Invoice/, "the change shows its operation and entity type");
    await textMatches(firstArticle, /amount[\s\S]*100[\s\S]*250/, "the change shows the before and after of a field");
    await textMatches(firstArticle, new RegExp(`Proposed by\\s*${escape(env("AGENT_NAME"))}`, "i"),
      "the change names the API key that proposed it");
    await firstArticle.getByRole("button", { name: "Approve" }).click();
    await firstArticle.waitFor({ state: "detached" });
    await textMatches(alice.getByRole("list", { name: "Decided" }), new RegExp(`Approved[\\s\\S]*${escape(first.toolName)}`),
      "the approved change is in the history");
    emit("approved");

    // Rejecting asks for a reason.
    const second = await commands();
    const secondArticle = alice.getByRole("article").filter({ hasText: second.toolName });
    await secondArticle.waitFor();
    await alice.screenshot({ path: join(shots, "approvals.png") });
    await secondArticle.getByRole("button", { name: "Reject" }).click();
    await alice.getByRole("textbox", { name: "Reason" }).fill("Too risky on a Friday");
    await alice.getByRole("button", { name: "Confirm" }).click();
    await secondArticle.waitFor({ state: "detached" });
    await textMatches(alice.getByRole("list", { name: "Decided" }), /Too risky on a Friday/, "the rejection's reason is in the history");
    emit("rejected");

    // A reload signs in again from the tab's token and is back in the workflow with its messages.
    await alice.getByRole("link", { name: "Chat" }).click();
    await alice.reload();
    await connected(alice, "the approver's page after a reload");
    await textMatches(alice.getByRole("log"), new RegExp(`${escape(tricky)}[\\s\\S]*x{300}[\\s\\S]*shipping it`),
      "the chat after a reload");
    check(await alice.getByRole("tab", { name: workflow }).count() === 1, "the workflow is joined after the reload");
    emit("reloaded");

    // The network between the approver and the service fails, and comes back.
    emit("cut-me");
    await commands();
    await textMatches(status(alice), /Reconnecting/, "the approver's page while the service is unreachable");
    const meanwhile = "Sent while the approver was away";
    await bob.getByRole("textbox", { name: "Message" }).fill(meanwhile);
    await bob.getByRole("textbox", { name: "Message" }).press("Enter");
    await textMatches(bobLog, new RegExp(meanwhile), "the other person's own message");
    emit("reconnecting");
    await commands();
    await connected(alice, "the approver's page once the service is reachable again", RECOVERY_MS);
    await textMatches(alice.getByRole("log"), new RegExp(meanwhile), "the message sent meanwhile, after recovering");
    await alice.getByRole("textbox", { name: "Message" }).fill("Back again");
    await alice.getByRole("button", { name: "Send" }).click();
    await textMatches(bobLog, /Back again/, "a message after recovering");

    await alice.getByRole("button", { name: "Sign out" }).click();
    await alice.getByRole("button", { name: "Sign in" }).waitFor();
    await checkPolicyHeld(alice);
    emit("done");
  } finally {
    await browser.close();
  }
}

// The page's Content-Security-Policy: Chromium reports every violation on the console. The page must
// cause none, all the way through; and the policy must be in force, or passing it would prove nothing.
const policyViolations = [];

function watchPolicy(page) {
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) {
      policyViolations.push(message.text());
    }
  });
}

async function checkPolicyHeld(page) {
  check(policyViolations.length === 0, `the page violated its Content-Security-Policy:\n${policyViolations.join("\n")}`);
  const before = policyViolations.length;
  const ran = await page.evaluate(() => {
    window.inlineScriptRan = false;
    const script = document.createElement("script");
    script.textContent = "window.inlineScriptRan = true;";
    document.head.append(script);
    return window.inlineScriptRan;
  });
  const deadline = Date.now() + STEP_MS;
  while (policyViolations.length === before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  check(!ran && policyViolations.length > before, "an inline script ran: the page has no Content-Security-Policy in force");
}

run(main);
