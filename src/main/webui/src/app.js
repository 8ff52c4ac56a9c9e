// What the page knows and does: the session, the ChatHub connection, the joined workflows and their
// messages, and the tenant's pending changes. Views read `state` and call the actions; every change
// goes through `update`, which re-renders once per task.

import { createApi } from "./api.js";
import { createChatConnection, RECONNECT_DELAYS_MS } from "./chat-connection.js";
import { currentSession, signIn, signOut, SignInError } from "./session.js";

/** Messages fetched when a workflow is joined or restored without any known message. */
const HISTORY_LIMIT = 50;
/** The most a catch-up after a reconnect asks for (GetHistory allows 1..500). */
const CATCH_UP_LIMIT = 500;
const DECIDED_SHOWN = 30;
const DECIDED_STATUSES = ["Approved", "Rejected", "Expired"];

export const state = {
  session: null,
  signInError: null,
  signingIn: false,
  /** "Connected", "Reconnecting" or "Disconnected": what the status line says. */
  connection: "Disconnected",
  connecting: false,
  closedReason: null,
  view: "chat",
  /** Joined workflows in the order they were joined: {id, entries, unread}. */
  workflows: [],
  active: null,
  chatError: null,
  pending: [],
  decided: [],
  approvalsError: null,
  approvalsLoaded: false,
  rejecting: null,
  busy: new Set(),
  /** Administration (admins): the tenant's accounts and API keys. */
  admin: emptyAdmin(),
};

function emptyAdmin() {
  return {
    users: [],
    keys: [],
    loaded: false,
    error: null,
    /** The secret of the key just created: {name, key}, shown this once. */
    newKey: null,
    copied: false,
    /** The row asking to confirm: "user:<id>" or "key:<id>". */
    confirming: null,
    busy: false,
  };
}

/** Relative times ("5 min ago") are redrawn this often. */
const CLOCK_TICK_MS = 30_000;

let renderScheduled = false;
let renderer = () => {};
let connection = null;
let presenceCounter = 0;
const api = createApi(() => state.session?.token, () => endSession("Your session has ended. Sign in again."));

export function onUpdate(render) {
  renderer = render;
  setInterval(() => update(), CLOCK_TICK_MS);
}

function update(changes = {}) {
  Object.assign(state, changes);
  if (!renderScheduled) {
    renderScheduled = true;
    queueMicrotask(() => {
      renderScheduled = false;
      renderer();
    });
  }
}

// --- session ----------------------------------------------------------------------------------

/** At load: back in with the tab's stored token, if it is still valid. */
export function resume() {
  state.view = viewFromLocation();
  const session = currentSession();
  if (session) {
    begin(session);
  } else {
    update();
  }
}

export async function submitSignIn(username, password) {
  update({ signingIn: true, signInError: null });
  try {
    await signIn(username.trim(), password);
    update({ signingIn: false });
    begin(currentSession());
  } catch (error) {
    update({ signingIn: false, signInError: error instanceof SignInError ? error.message : "Signing in failed." });
  }
}

export function refuseSignIn(message) {
  update({ signInError: message });
}

export function submitSignOut() {
  endSession(null);
}

function begin(session) {
  update({
    session,
    signInError: null,
    closedReason: null,
    workflows: [],
    active: null,
    pending: [],
    decided: [],
    approvalsLoaded: false,
    admin: emptyAdmin(),
    view: allowedView(state.view, session),
  });
  connect();
  if (session.user.canApprove) {
    loadApprovals();
  }
  if (session.user.isAdmin && state.view === "admin") {
    loadAdmin();
  }
}

function endSession(reason) {
  signOut();
  const closing = connection;
  connection = null;
  if (closing) {
    closing.stop();
  }
  // The lists and any new key's secret go with the session.
  update({
    session: null, connection: "Disconnected", connecting: false, signInError: reason, workflows: [], active: null,
    admin: emptyAdmin(),
  });
}

// Called by the client before every (re)connection attempt.
function accessToken() {
  const session = currentSession();
  if (!session) {
    queueMicrotask(() => endSession("Your session has expired. Sign in again."));
    throw new Error("Signed out");
  }
  return session.token;
}

// --- connection -------------------------------------------------------------------------------

export async function connect() {
  if (connection) {
    await connection.stop();
  }
  const current = createChatConnection(accessToken, {
    onEvent: (name, payload) => current === connection && onServerEvent(name, payload),
    onReconnecting: () => current === connection && update({ connection: "Reconnecting" }),
    onReconnected: () => current === connection && afterReconnect(),
    onClosed: (error) => current === connection && onClosed(error),
  });
  connection = current;
  update({ connecting: true, connection: "Disconnected", closedReason: null });
  // The client's automatic reconnect covers drops, not a first start that fails (the service is
  // down while the page loads): that is retried here on the same schedule.
  for (const delay of [...RECONNECT_DELAYS_MS, null]) {
    try {
      await current.start();
      if (current === connection) {
        update({ connecting: false, connection: "Connected" });
      }
      return;
    } catch (error) {
      if (current !== connection) {
        return;
      }
      if (delay === null || refusesSignIn(error)) {
        onClosed(error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (current !== connection) {
        return;
      }
    }
  }
}

function onClosed(error) {
  if (refusesSignIn(error)) {
    endSession(describeClose(error));
    return;
  }
  update({ connection: "Disconnected", connecting: false, closedReason: describeClose(error) });
}

/** The service will not take this token again: signing in anew is the only way back. */
function refusesSignIn(error) {
  const text = error && error.message ? error.message : "";
  return /account was deleted|Status code '401'|Unauthorized/i.test(text);
}

function describeClose(error) {
  const text = error && error.message ? error.message : "";
  if (/account was deleted/i.test(text)) {
    return "Your account was deleted.";
  }
  if (refusesSignIn(error)) {
    return "The service no longer accepts your sign-in. Sign in again.";
  }
  return "The connection to the service was lost.";
}

/** Back after a drop: be in every workflow again, the active one last, and fetch what was missed. */
async function afterReconnect() {
  update({ connection: "Connected", closedReason: null });
  const joined = state.workflows.map((workflow) => workflow.id);
  const order = state.active ? [...joined.filter((id) => id !== state.active), state.active] : joined;
  try {
    // Workflows the server already restored are joined again silently (no UserJoined).
    for (const id of order) {
      await connection.invoke("JoinWorkflow", id);
    }
    await Promise.all(joined.map((id) => Promise.all([catchUp(id), loadMembers(id)])));
  } catch (error) {
    update({ chatError: error.message });
  }
  if (state.session?.user.canApprove) {
    loadApprovals();
  }
}

function onServerEvent(name, payload) {
  switch (name) {
    case "ReceiveMessage":
      addMessages(payload.workflowId, [payload]);
      break;
    case "UserJoined":
    case "UserLeft":
      addPresence(payload, name === "UserJoined" ? "joined" : "left");
      break;
    case "SessionRestored":
      restoreSession(payload);
      break;
    case "PresenceChanged":
      changePresence(payload);
      break;
    case "PendingChangeCreated":
    case "PendingChangeUpdated":
      placeChange(payload);
      break;
    default:
      break;
  }
}

/** A new connection was put back into the user's workflows (after a reload, or a reconnect). */
function restoreSession(restored) {
  const known = new Set(state.workflows.map((workflow) => workflow.id));
  const added = restored.workflows.map((w) => w.workflowId).filter((id) => !known.has(id));
  const workflows = [...state.workflows, ...added.map(newWorkflow)];
  const active = state.active ?? restored.activeWorkflowId ?? workflows[0]?.id ?? null;
  update({ workflows, active });
  for (const id of added) {
    catchUp(id);
    loadMembers(id);
  }
}

// --- chat -------------------------------------------------------------------------------------

function newWorkflow(id) {
  return { id, entries: [], unread: 0, members: [] };
}

function workflow(id) {
  return state.workflows.find((candidate) => candidate.id === id);
}

export async function joinWorkflow(rawId) {
  const id = rawId.trim();
  if (!id || !connection) {
    return;
  }
  const known = Boolean(workflow(id));
  // Listed before the server answers: the group's UserJoined for this very join may come first.
  update({ chatError: null, workflows: known ? state.workflows : [...state.workflows, newWorkflow(id)] });
  try {
    await connection.invoke("JoinWorkflow", id);
    selectLocally(id);
    await Promise.all([catchUp(id), loadMembers(id)]);
  } catch (error) {
    update({
      chatError: error.message,
      workflows: known ? state.workflows : state.workflows.filter((candidate) => candidate.id !== id),
    });
  }
}

/** Makes a joined workflow the active one, here and on the server (where messages are sent to). */
export async function switchTo(id) {
  if (id === state.active) {
    return;
  }
  selectLocally(id);
  try {
    await connection.invoke("JoinWorkflow", id);
  } catch (error) {
    update({ chatError: error.message });
  }
}

function selectLocally(id) {
  const found = workflow(id);
  if (found) {
    found.unread = 0;
  }
  update({ active: id });
}

export async function leaveActive() {
  const id = state.active;
  if (!id) {
    return;
  }
  try {
    await connection.invoke("LeaveWorkflow", id);
    const workflows = state.workflows.filter((candidate) => candidate.id !== id);
    update({ workflows, active: null, chatError: null });
    if (workflows.length > 0) {
      await switchTo(workflows[workflows.length - 1].id);
    }
  } catch (error) {
    update({ chatError: error.message });
  }
}

export async function sendMessage(text) {
  if (!text.trim() || !state.active) {
    return false;
  }
  try {
    await connection.invoke("SendMessage", text);
    update({ chatError: null });
    return true;
  } catch (error) {
    update({ chatError: error.message || "The message was not sent." });
    return false;
  }
}

/** Fetches the messages after the last one known (the latest ones when none is known yet). */
async function catchUp(id) {
  const found = workflow(id);
  if (!found) {
    return;
  }
  const last = [...found.entries].reverse().find((entry) => entry.messageId);
  try {
    let messages;
    try {
      messages = last
        ? await connection.invoke("GetHistory", id, last.messageId, CATCH_UP_LIMIT)
        : await connection.invoke("GetHistory", id, null, HISTORY_LIMIT);
    } catch (error) {
      if (!last) {
        throw error;
      }
      // The last message known here may be gone from history: take the latest ones.
      messages = await connection.invoke("GetHistory", id, null, HISTORY_LIMIT);
    }
    addMessages(id, messages, false);
  } catch (error) {
    update({ chatError: `The messages of ${id} could not be loaded: ${error.message}` });
  }
}

function addMessages(workflowId, messages, live = true) {
  const found = workflowId ? workflow(workflowId) : null;
  if (!found) {
    return;
  }
  const known = new Set(found.entries.map((entry) => entry.messageId).filter(Boolean));
  const fresh = messages.filter((message) => !known.has(message.messageId));
  if (fresh.length === 0) {
    return;
  }
  found.entries = [...found.entries, ...fresh.map((message) => ({ ...message, key: message.messageId }))]
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  if (live && workflowId !== state.active) {
    found.unread += fresh.length;
  }
  update();
}

/** Who is in the workflow now (GetMembers); PresenceChanged keeps it current from then on. */
async function loadMembers(id) {
  try {
    const members = await connection.invoke("GetMembers", id);
    const found = workflow(id);
    if (found) {
      found.members = sortedMembers(members);
      update();
    }
  } catch (error) {
    update({ chatError: `Who is in ${id} could not be loaded: ${error.message}` });
  }
}

function changePresence(change) {
  const found = workflow(change.workflowId);
  if (!found) {
    return;
  }
  const others = found.members.filter((member) => member.userId !== change.userId);
  found.members = change.online
    ? sortedMembers([...others, { userId: change.userId, displayName: change.displayName }])
    : others;
  update();
}

function sortedMembers(members) {
  const name = (member) => member.displayName ?? "";
  return [...members].sort((a, b) => name(a).localeCompare(name(b)) || a.userId.localeCompare(b.userId));
}

function addPresence(presence, change) {
  const found = workflow(presence.workflowId);
  if (!found) {
    return;
  }
  presenceCounter += 1;
  found.entries = [...found.entries, {
    key: `presence-${presenceCounter}`,
    presence: change,
    displayName: presence.displayName,
    userId: presence.userId,
    timestamp: new Date().toISOString(),
  }];
  update();
}

// --- approvals --------------------------------------------------------------------------------

export function showView(view) {
  const next = allowedView(view, state.session);
  update({ view: next });
  if (next === "approvals") {
    loadApprovals();
  } else if (next === "admin") {
    loadAdmin();
  }
}

/** The view asked for, if the signed-in person may see it; chat otherwise. */
function allowedView(view, session) {
  if (view === "approvals" && session?.user.canApprove) {
    return view;
  }
  return view === "admin" && session?.user.isAdmin ? view : "chat";
}

export function viewFromLocation() {
  return { "#approvals": "approvals", "#admin": "admin" }[location.hash] ?? "chat";
}

export async function loadApprovals() {
  try {
    const [pending, ...decided] = await Promise.all([
      api("/api/pending-changes?status=Pending&size=100"),
      ...DECIDED_STATUSES.map((status) => api(`/api/pending-changes?status=${status}&size=${DECIDED_SHOWN}`)),
    ]);
    update({
      pending: pending.items,
      decided: byDecision(decided.flatMap((page) => page.items)),
      approvalsError: null,
      approvalsLoaded: true,
    });
  } catch (error) {
    update({ approvalsError: error.message });
  }
}

function byDecision(changes) {
  const unique = new Map(changes.map((change) => [change.id, change]));
  return [...unique.values()]
    .sort((a, b) => (b.decidedAt || "").localeCompare(a.decidedAt || ""))
    .slice(0, DECIDED_SHOWN);
}

/** A change in its new state: in the pending list while Pending, in the decided list after. */
function placeChange(change) {
  const pending = state.pending.filter((candidate) => candidate.id !== change.id);
  if (change.status === "Pending") {
    pending.push(change);
    pending.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    update({ pending });
  } else {
    update({
      pending,
      decided: byDecision([change, ...state.decided]),
      rejecting: state.rejecting === change.id ? null : state.rejecting,
    });
  }
}

export function approve(id) {
  return decide(id, "approve", {});
}

export function startRejecting(id) {
  update({ rejecting: id, approvalsError: null });
}

export function cancelRejecting() {
  update({ rejecting: null });
}

export function confirmReject(id, reason) {
  if (!reason.trim()) {
    update({ approvalsError: "Give a reason for rejecting." });
    return Promise.resolve();
  }
  return decide(id, "reject", { reason });
}

async function decide(id, action, body) {
  state.busy.add(id);
  update({ approvalsError: null });
  try {
    placeChange(await api(`/api/pending-changes/${encodeURIComponent(id)}/${action}`, { method: "POST", body }));
  } catch (error) {
    update({ approvalsError: error.message });
    if (error.status === 409 || error.status === 404) {
      loadApprovals();
    }
  } finally {
    state.busy.delete(id);
    update();
  }
}

// --- administration ---------------------------------------------------------------------------

function updateAdmin(changes) {
  update({ admin: { ...state.admin, ...changes } });
}

export async function loadAdmin() {
  try {
    const [users, keys] = await Promise.all([api("/api/users"), api("/api/api-keys")]);
    updateAdmin({ users, keys, loaded: true });
  } catch (error) {
    updateAdmin({ error: error.message });
  }
}

/**
 * Runs one administrative call; on success reloads the lists and returns the answer, on a refusal
 * shows the server's own sentence and returns undefined.
 */
async function administer(call) {
  updateAdmin({ busy: true, error: null });
  try {
    const answer = await call();
    await loadAdmin();
    return answer ?? true;
  } catch (error) {
    updateAdmin({ error: error.message });
    return undefined;
  } finally {
    updateAdmin({ busy: false });
  }
}

/** Creates an account; true when it was created (the form may be cleared). */
export async function createUser({ username, displayName, password, roles }) {
  const body = { username: username.trim(), password, roles };
  if (displayName.trim()) {
    body.displayName = displayName.trim();
  }
  return Boolean(await administer(() => api("/api/users", { method: "POST", body })));
}

export function askToConfirm(kind, id) {
  updateAdmin({ confirming: `${kind}:${id}`, error: null });
}

export function cancelConfirm() {
  updateAdmin({ confirming: null });
}

export function deleteUser(id) {
  updateAdmin({ confirming: null });
  return administer(() => api(`/api/users/${encodeURIComponent(id)}`, { method: "DELETE" }));
}

/** Creates an API key and keeps its secret to show once; true when it was created. */
export async function createKey(name) {
  updateAdmin({ newKey: null, copied: false });
  const created = await administer(() => api("/api/api-keys", { method: "POST", body: { name: name.trim() } }));
  if (created) {
    updateAdmin({ newKey: { name: created.name, key: created.key } });
  }
  return Boolean(created);
}

export function revokeKey(id) {
  updateAdmin({ confirming: null });
  return administer(() => api(`/api/api-keys/${encodeURIComponent(id)}`, { method: "DELETE" }));
}

/** The secret leaves the page for good: it is never shown again. */
export function dismissNewKey() {
  updateAdmin({ newKey: null, copied: false });
}

export async function copyNewKey(input) {
  const key = state.admin.newKey?.key;
  if (!key) {
    return;
  }
  try {
    await navigator.clipboard.writeText(key);
  } catch {
    // No clipboard API (a page not served over HTTPS or localhost): copy the selected text instead.
    input.select();
    document.execCommand("copy");
  }
  updateAdmin({ copied: true });
}
