// The page as the whole product for people (docs/api.md §9 "The web page"), in Debian's Chromium
// driven by playwright-core through accessible names only, against two replicas: the first admin signs
// in on replica 1, creates a person and an agent's API key in the Admin tab, sees who proposed a change,
// revokes the key; the new person signs in on replica 2, and both see each other Online in a workflow
// until the person closes the tab. Screenshots of sign-in, chat with presence, approvals and admin go
// to SCREENSHOTS (docs/screenshots), so the ones in the docs are what the page looks like.
//
// Driven by WebAdministrationIT, one JSON line per step on stdout, commands as JSON lines on stdin.
// Input from the environment, so no password is on a command line:
//   CHROMIUM            the browser executable (/usr/bin/chromium)
//   ADMIN_URL, PERSON_URL  the page on replica 1 and on replica 2
//   ADMIN_USERNAME, ADMIN_PASSWORD, ADMIN_NAME  the first admin (bootstrap)
//   PERSON_USERNAME, PERSON_PASSWORD, PERSON_NAME  the person the admin creates
//   KEY_NAME            the name of the agent's API key the admin creates
//   EXPIRED_KEY_NAME    the name of a key of the tenant that has expired
//   WORKFLOW_ID         the workflow both join
//   SCREENSHOTS         a folder for web-sign-in.png, web-chat.png, web-chat-phone.png, web-approvals.png,
//                       web-admin.png
//
// Events, in order: key-created {key}, proposal-seen, revoked, presence-seen, tab-closed, done.
// Commands: {"toolName": ...} after key-created. Any failure: the error on stderr, exit 1.

import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM_ARGS, check, commands, emit, env, escape, run, textMatches as waitForText } from "./browser-steps.mjs";

const STEP_MS = 15_000;
/** Waits until the element's text matches, within a step unless told. */
const textMatches = (locator, pattern, what, timeout = STEP_MS) => waitForText(locator, pattern, what, timeout);

/**
 * Every element named here must be on the page (role and accessible name, exactly) within a step: a
 * view rendered after a click or a fetch may take a moment on a busy machine.
 */
async function present(page, where, elements) {
  for (const [role, name] of elements) {
    const found = await page.getByRole(role, name === undefined ? {} : { name, exact: true }).first()
      .waitFor({ state: "attached", timeout: STEP_MS }).then(() => true, () => false);
    check(found, `${where}: no ${role}${name === undefined ? "" : ` named "${name}"`} within ${STEP_MS / 1000} s`);
  }
}

const connected = (page, what) => textMatches(page.getByRole("status"), /Connected/, what);

async function signIn(page, username, password) {
  await page.getByRole("textbox", { name: "Username" }).fill(username);
  await page.getByRole("textbox", { name: "Password" }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function joinWorkflow(page, workflow) {
  await page.getByRole("textbox", { name: "Workflow" }).fill(workflow);
  await page.getByRole("button", { name: "Join" }).click();
  await page.getByRole("tab", { name: workflow }).waitFor();
}

const online = (page) => page.getByRole("list", { name: "Online", exact: true });

async function main() {
  const shots = env("SCREENSHOTS");
  mkdirSync(shots, { recursive: true });
  const adminName = env("ADMIN_NAME");
  const personName = env("PERSON_NAME");
  const keyName = env("KEY_NAME");
  const workflow = env("WORKFLOW_ID");

  const browser = await chromium.launch({ executablePath: env("CHROMIUM"), headless: true, args: CHROMIUM_ARGS });
  try {
    const adminContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    await adminContext.grantPermissions(["clipboard-read", "clipboard-write"]);
    const admin = await adminContext.newPage();
    admin.setDefaultTimeout(STEP_MS);
    // Nothing from another origin, nothing the page cannot load, no script error (a refused sign-in's
    // 401 is logged by Chromium itself as a failed resource: expected).
    const origin = new URL(env("ADMIN_URL")).origin;
    const problems = [];
    admin.on("console", (message) => message.type() === "error"
      && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
      && problems.push(message.text()));
    admin.on("pageerror", (error) => problems.push(error.message));
    admin.on("requestfailed", (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
    admin.on("request", (request) => !request.url().startsWith(origin) && problems.push(`loaded from elsewhere: ${request.url()}`));

    // Sign-in: the names of the form, a refusal in an alert, then in.
    await admin.goto(env("ADMIN_URL"));
    await present(admin, "sign-in", [["textbox", "Username"], ["textbox", "Password"], ["button", "Sign in"]]);
    await admin.getByRole("textbox", { name: "Username" }).fill(env("ADMIN_USERNAME"));
    await admin.screenshot({ path: join(shots, "web-sign-in.png") });
    await signIn(admin, env("ADMIN_USERNAME"), `${env("ADMIN_PASSWORD")}-wrong`);
    await admin.getByRole("alert").waitFor();
    await signIn(admin, env("ADMIN_USERNAME"), env("ADMIN_PASSWORD"));
    await connected(admin, "the admin's page after signing in");
    await present(admin, "after sign-in", [["status"], ["button", "Sign out"], ["link", "Chat"], ["link", "Approvals"],
      ["link", "Admin"], ["textbox", "Workflow"], ["button", "Join"], ["log"], ["textbox", "Message"], ["button", "Send"]]);

    // Administration: a person with a role, a refusal in the server's own words, an agent's key shown once.
    await admin.getByRole("link", { name: "Admin" }).click();
    await present(admin, "admin", [["textbox", "New username"], ["textbox", "Display name"], ["textbox", "New password"],
      ["checkbox", "approver"], ["checkbox", "admin"], ["button", "Create user"], ["textbox", "Key name"],
      ["button", "Create API key"]]);
    const people = admin.getByRole("table").filter({ hasText: "Username" });
    await textMatches(people, new RegExp(escape(env("ADMIN_USERNAME"))), "the first admin is listed");
    await admin.getByRole("textbox", { name: "New username" }).fill(env("PERSON_USERNAME"));
    await admin.getByRole("textbox", { name: "Display name" }).fill(personName);
    await admin.getByRole("textbox", { name: "New password" }).fill("short");
    await admin.getByRole("checkbox", { name: "approver" }).check();
    await admin.getByRole("button", { name: "Create user" }).click();
    await textMatches(admin.getByRole("alert"), /password/i, "a too short password is refused with the server's sentence");
    await admin.getByRole("textbox", { name: "New password" }).fill(env("PERSON_PASSWORD"));
    await admin.getByRole("button", { name: "Create user" }).click();
    const personRow = people.getByRole("row").filter({ hasText: env("PERSON_USERNAME") });
    await textMatches(personRow, new RegExp(`${escape(personName)}[\\s\\S]*approver`), "the new person is listed with the role");
    check(await admin.getByRole("alert").count() === 0, "the refusal is gone after the success");
    check(await admin.getByRole("textbox", { name: "New username" }).inputValue() === "", "the form was cleared");

    await admin.getByRole("textbox", { name: "Key name" }).fill(keyName);
    await admin.getByRole("button", { name: "Create API key" }).click();
    const shown = admin.getByRole("textbox", { name: "New API key" });
    await shown.waitFor();
    check(await shown.isEditable() === false, "the new key's textbox is read-only");
    const key = await shown.inputValue();
    check(/^sb_/.test(key), `the new key is shown: ${key.slice(0, 3)}…`);
    await admin.getByRole("button", { name: "Copy" }).click();
    await admin.getByRole("button", { name: "Copied" }).waitFor();
    const keys = admin.getByRole("table").filter({ hasText: "Prefix" });
    const keyRow = keys.getByRole("row").filter({ hasText: keyName });
    await textMatches(keyRow, /Active/, "the new key is listed as active");
    check(!(await keys.innerText()).includes(key), "the listing never shows the secret");
    const expiredRow = keys.getByRole("row").filter({ hasText: env("EXPIRED_KEY_NAME") });
    await textMatches(expiredRow, /Expired/, "an expired key is marked");
    check(await expiredRow.getByRole("button", { name: "Revoke" }).count() === 0, "an expired key has no Revoke button");
    emit("key-created", { key });

    // The agent proposes with that key (the test does, on replica 2): the approver sees who did.
    const proposed = await commands();
    await admin.getByRole("link", { name: "Approvals" }).click();
    const article = admin.getByRole("article").filter({ hasText: proposed.toolName });
    await article.waitFor();
    await textMatches(article, new RegExp(`UPDATE[\\s\\S]*Invoice[\\s\\S]*${escape(keyName)}|${escape(keyName)}[\\s\\S]*UPDATE[\\s\\S]*Invoice`),
      "the change shows its operation, entity type and the key that proposed it");
    await present(admin, "approvals", [["button", "Approve"], ["button", "Reject"]]);
    await article.getByRole("button", { name: "Reject" }).click();
    await present(admin, "rejecting", [["textbox", "Reason"], ["button", "Confirm"]]);
    await admin.getByRole("button", { name: "Cancel" }).click();
    await hoverShowsFullTime(article);
    await admin.screenshot({ path: join(shots, "web-approvals.png") });
    emit("proposal-seen");

    // Revoking asks to confirm, then the key is marked revoked (the test sees the agent cut off).
    await admin.getByRole("link", { name: "Admin" }).click();
    await keyRow.getByRole("button", { name: "Revoke" }).click();
    await keyRow.getByRole("button", { name: "Confirm" }).click();
    await textMatches(keyRow, /Revoked/, "the revoked key is marked");
    check(await keyRow.getByRole("button", { name: "Revoke" }).count() === 0, "a revoked key has no Revoke button");
    await admin.getByRole("button", { name: "Done" }).click();
    check(await admin.getByRole("textbox", { name: "New API key" }).count() === 0, "the secret is gone for good");
    await admin.screenshot({ path: join(shots, "web-admin.png") });
    emit("revoked");

    // Presence: the admin on replica 1, the new person on replica 2, in one workflow.
    await admin.getByRole("link", { name: "Chat" }).click();
    await joinWorkflow(admin, workflow);
    await textMatches(online(admin), new RegExp(escape(adminName)), "the admin sees themself online");
    const personContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const person = await personContext.newPage();
    person.setDefaultTimeout(STEP_MS);
    await person.goto(env("PERSON_URL"));
    await signIn(person, env("PERSON_USERNAME"), env("PERSON_PASSWORD"));
    await connected(person, "the new person's page on the other replica");
    check(await person.getByRole("link", { name: "Admin" }).count() === 0, "an approver has no Admin tab");
    await joinWorkflow(person, workflow);
    await textMatches(online(person), new RegExp(`${escape(adminName)}[\\s\\S]*${escape(personName)}|${escape(personName)}[\\s\\S]*${escape(adminName)}`),
      "the person sees both online");
    await textMatches(online(admin), new RegExp(escape(personName)), "the admin sees the person online, from the other replica");
    await person.getByRole("textbox", { name: "Message" }).fill("Hi! New here 👋 — the invoice bot is set up 🎉");
    await person.getByRole("button", { name: "Send" }).click();
    await textMatches(admin.getByRole("log"), /New here/, "the admin receives the message across replicas");
    await admin.getByRole("textbox", { name: "Message" }).fill("Welcome 🙂 I revoked its test key; a new one is on its way.");
    await admin.getByRole("textbox", { name: "Message" }).press("Enter");
    await textMatches(person.getByRole("log"), /Welcome/, "the person receives the answer");
    await hoverShowsFullTime(admin.getByRole("log"));
    // The page's own emoji font (for machines without one) loads from the page's origin and covers
    // the chat's emoji; whether this machine draws them with it or with its own colour font.
    const shipped = await admin.evaluate(async () => {
      const faces = await document.fonts.load('16px "Switchboard Emoji"', "👋🎉🙂");
      return faces.filter((face) => face.status === "loaded").length;
    });
    check(shipped > 0, "the page's own emoji font loads and covers the chat's emoji");
    await present(admin, "chat", [["button", "Leave workflow"], ["list", "Online"]]);
    await admin.screenshot({ path: join(shots, "web-chat.png") });
    await person.screenshot({ path: join(shots, "web-chat-phone.png") });
    emit("presence-seen");

    // The person closes the tab: gone from the admin's Online list.
    await person.close();
    await textMatches(online(admin), new RegExp(`^(?![\\s\\S]*${escape(personName)})`), "the person leaves the Online list");
    emit("tab-closed");

    // Deleting the person asks to confirm.
    await admin.getByRole("link", { name: "Admin" }).click();
    await personRow.getByRole("button", { name: "Delete" }).click();
    await personRow.getByRole("button", { name: "Confirm" }).click();
    await personRow.waitFor({ state: "detached" });

    check(problems.length === 0, `the page logged errors or failed to load something: ${problems.join("; ")}`);
    emit("done");
  } finally {
    await browser.close();
  }
}

/** One time format across the page: each shown time has its full form in a title. */
async function hoverShowsFullTime(container) {
  const time = container.locator("time").first();
  const title = await time.getAttribute("title");
  const shown = await time.innerText();
  check(title && title.length > shown.length && /\d{4}/.test(title), `a time shows its full form on hover: "${shown}" / "${title}"`);
}


run(main);
