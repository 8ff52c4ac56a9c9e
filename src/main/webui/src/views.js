// The page's markup. Every control carries the accessible name docs/api.md §9 "The web page" gives
// it; browser tests drive the page by those names only. Everything from the server is bound as text
// (lit-html escapes it): no message, name or value can become markup.

import { html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import * as app from "./app.js";
import { diffRows } from "./diff.js";
import { describeTime } from "./time.js";

export function page(state) {
  return state.session ? signedIn(state) : signInForm(state);
}

// --- sign-in ----------------------------------------------------------------------------------

function signInForm(state) {
  const submit = (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const username = form.elements.username.value;
    const password = form.elements.password.value;
    if (!username.trim() || !password) {
      app.refuseSignIn("Enter your username and password.");
      return;
    }
    app.submitSignIn(username, password);
  };
  return html`
    <main class="sign-in">
      <h1 class="brand">Switchboard</h1>
      <form class="card" @submit=${submit} novalidate>
        <h2>Sign in</h2>
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" />
        ${state.signInError ? html`<p role="alert" class="error">${state.signInError}</p>` : nothing}
        <button type="submit" class="primary" ?disabled=${state.signingIn}>Sign in</button>
      </form>
    </main>`;
}

// --- frame after sign-in ----------------------------------------------------------------------

function signedIn(state) {
  const { user } = state.session;
  return html`
    <header class="top">
      <span class="brand">Switchboard</span>
      ${user.canApprove || user.isAdmin ? pages(state) : nothing}
      <div class="who">
        ${statusLine(state)}
        <span class="me" title=${user.tenantId}>${user.displayName}</span>
        <button type="button" @click=${app.submitSignOut}>Sign out</button>
      </div>
    </header>
    ${state.connection === "Disconnected" && !state.connecting ? html`
      <p class="banner">
        ${state.closedReason ?? "Not connected."}
        <button type="button" @click=${() => app.connect()}>Reconnect</button>
      </p>` : nothing}
    <main>${{ approvals, admin }[state.view]?.(state) ?? chat(state)}</main>`;
}

function pages(state) {
  const { user } = state.session;
  const link = (view, label, badge) => html`
    <a href="#${view}" aria-current=${state.view === view ? "page" : "false"}>${label}${badge
      ? html`<span class="badge" aria-hidden="true">${badge}</span>` : nothing}</a>`;
  return html`
    <nav class="pages" aria-label="Pages">
      ${link("chat", "Chat", 0)}${user.canApprove ? link("approvals", "Approvals", state.pending.length) : nothing}${
        user.isAdmin ? link("admin", "Admin", 0) : nothing}
    </nav>`;
}

function statusLine(state) {
  const text = state.connection === "Reconnecting"
    ? "Reconnecting…"
    : state.connection === "Connected" ? "Connected" : state.connecting ? "Disconnected — connecting…" : "Disconnected";
  return html`<p role="status" class="status ${state.connection.toLowerCase()}">
    <span class="dot" aria-hidden="true"></span>${text}</p>`;
}

// --- chat -------------------------------------------------------------------------------------

function chat(state) {
  const active = state.workflows.find((workflow) => workflow.id === state.active);
  const join = (event) => {
    event.preventDefault();
    const input = event.currentTarget.elements.workflow;
    const id = input.value;
    if (id.trim()) {
      app.joinWorkflow(id).then(() => {
        input.value = "";
        document.getElementById("message")?.focus();
      });
    }
  };
  return html`
    <section class="chat" aria-label="Chat">
      <form class="join" @submit=${join}>
        <label for="workflow">Workflow</label>
        <input id="workflow" name="workflow" autocomplete="off" spellcheck="false" maxlength="200"
               placeholder="workflow id" />
        <button type="submit">Join</button>
      </form>
      ${workflowTabs(state)}
      ${state.chatError ? html`<p role="alert" class="error">${state.chatError}</p>` : nothing}
      <div class="log-head">
        <h2>${active ? active.id : "No workflow yet"}</h2>
        ${active ? html`<button type="button" @click=${app.leaveActive}>Leave workflow</button>` : nothing}
      </div>
      <div class="room">
        <div role="log" id="log" class="log" aria-label=${active ? `Messages in ${active.id}` : "Messages"}>
          ${active ? messages(active, state.session.user.id) : html`<p class="hint">Join a workflow to chat in it.</p>`}
        </div>
        ${active ? online(active, state.session.user.id) : nothing}
      </div>
      ${composer(active)}
    </section>`;
}

function workflowTabs(state) {
  if (state.workflows.length === 0) {
    return nothing;
  }
  const keys = (event) => {
    // Arrow keys move between tabs, as in any tablist.
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step) {
      return;
    }
    event.preventDefault();
    const ids = state.workflows.map((workflow) => workflow.id);
    const next = ids[(ids.indexOf(state.active) + step + ids.length) % ids.length];
    app.switchTo(next);
    queueMicrotask(() => document.getElementById(`tab-${cssId(next)}`)?.focus());
  };
  return html`
    <div class="tabs" role="tablist" aria-label="Joined workflows" @keydown=${keys}>
      ${repeat(state.workflows, (workflow) => workflow.id, (workflow) => html`
        <button type="button" role="tab" id="tab-${cssId(workflow.id)}" aria-controls="log"
                aria-selected=${workflow.id === state.active ? "true" : "false"}
                tabindex=${workflow.id === state.active ? "0" : "-1"}
                @click=${() => app.switchTo(workflow.id)}>
          ${workflow.id}${workflow.unread ? html`<span class="badge">${workflow.unread}<span class="visually-hidden"> new</span></span>` : nothing}
        </button>`)}
    </div>`;
}

/** Who is in the active workflow now: GetMembers, kept current by PresenceChanged. */
function online(workflow, myId) {
  return html`
    <aside class="online" aria-labelledby="online-heading">
      <h3 id="online-heading">Online <span class="count">${workflow.members.length}</span></h3>
      <ul role="list" aria-label="Online" class="people">
        ${repeat(workflow.members, (member) => member.userId, (member) => html`
          <li><span class="dot" aria-hidden="true"></span>${member.displayName}${member.userId === myId
            ? html` <span class="you">(you)</span>` : nothing}</li>`)}
      </ul>
    </aside>`;
}

function messages(workflow, myId) {
  if (workflow.entries.length === 0) {
    return html`<p class="hint">No messages yet.</p>`;
  }
  return html`<ol class="messages">
    ${repeat(workflow.entries, (entry) => entry.key, (entry) => entry.presence
      ? html`<li class="presence">${entry.displayName} ${entry.presence} · ${when(entry.timestamp)}</li>`
      : html`<li class="message ${entry.userId === myId ? "mine" : ""}">
          <div class="meta"><span class="author">${entry.displayName}</span> ${when(entry.timestamp)}</div>
          <p class="text">${entry.content}</p>
        </li>`)}
  </ol>`;
}

function composer(active) {
  const send = async (form) => {
    const box = form.elements.message;
    if (await app.sendMessage(box.value)) {
      box.value = "";
    }
    box.focus();
  };
  const submit = (event) => {
    event.preventDefault();
    send(event.currentTarget);
  };
  // Enter sends; Shift+Enter starts a new line.
  const keys = (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(event.currentTarget.form);
    }
  };
  return html`
    <form class="composer" @submit=${submit}>
      <label for="message">Message</label>
      <textarea id="message" name="message" rows="2" maxlength="4000" ?disabled=${!active}
                placeholder=${active ? `Message ${active.id}` : "Join a workflow first"} @keydown=${keys}></textarea>
      <button type="submit" class="primary" ?disabled=${!active}>Send</button>
    </form>`;
}

// --- approvals --------------------------------------------------------------------------------

function approvals(state) {
  return html`
    <section class="approvals" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Pending changes</h2>
      ${state.approvalsError ? html`<p role="alert" class="error">${state.approvalsError}</p>` : nothing}
      ${state.pending.length === 0
        ? html`<p class="hint">${state.approvalsLoaded ? "Nothing is waiting for a decision." : "Loading…"}</p>`
        : repeat(state.pending, (change) => change.id, (change) => pendingChange(change, state))}
      <h2 id="decided-heading">Decided</h2>
      ${state.decided.length === 0 ? html`<p class="hint">No decisions yet.</p>` : html`
        <ul class="decided" aria-labelledby="decided-heading">
          ${repeat(state.decided, (change) => change.id, (change) => decided(change, state.session.user.id))}
        </ul>`}
    </section>`;
}

function pendingChange(change, state) {
  const { diff } = change;
  const busy = state.busy.has(change.id);
  const titleId = `change-${cssId(change.id)}`;
  return html`
    <article class="change" aria-labelledby=${titleId}>
      <header>
        <h3 id=${titleId}>${change.toolName}</h3>
        <p class="what"><span class="operation ${diff.operation.toLowerCase()}">${diff.operation}</span>
          <span class="entity">${diff.entityType}</span>${diff.entityId ? html` <code>${diff.entityId}</code>` : nothing}</p>
        <p class="when">Proposed by <strong class="proposer">${change.proposedBy?.name ?? "an agent whose key is gone"}</strong>
          ${when(change.createdAt)} · expires ${when(change.expiresAt)}</p>
      </header>
      ${diffTable(diff)}
      ${state.rejecting === change.id ? rejectForm(change, busy) : html`
        <div class="actions">
          <button type="button" class="primary" ?disabled=${busy} @click=${() => app.approve(change.id)}>Approve</button>
          <button type="button" class="danger" ?disabled=${busy} @click=${() => {
            app.startRejecting(change.id);
            queueMicrotask(() => document.getElementById(`reason-${cssId(change.id)}`)?.focus());
          }}>Reject</button>
        </div>`}
    </article>`;
}

function rejectForm(change, busy) {
  const id = `reason-${cssId(change.id)}`;
  const submit = (event) => {
    event.preventDefault();
    app.confirmReject(change.id, event.currentTarget.elements.reason.value);
  };
  return html`
    <form class="reject" @submit=${submit}>
      <label for=${id}>Reason</label>
      <textarea id=${id} name="reason" rows="2" maxlength="1000"></textarea>
      <div class="actions">
        <button type="submit" class="danger" ?disabled=${busy}>Confirm</button>
        <button type="button" @click=${app.cancelRejecting}>Cancel</button>
      </div>
    </form>`;
}

function diffTable(diff) {
  const rows = diffRows(diff.before, diff.after);
  if (rows.length === 0) {
    return html`<p class="hint">No before or after given.</p>`;
  }
  return html`
    <div class="diff-wrap">
      <table class="diff">
        <caption class="visually-hidden">Before and after</caption>
        <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
        <tbody>
          ${rows.map((row) => html`
            <tr class=${row.kind}>
              <th scope="row">${row.field}<span class="visually-hidden"> (${row.kind})</span></th>
              <td>${row.kind === "changed" || row.kind === "removed" ? html`<del>${row.before}</del>` : row.before}</td>
              <td>${row.kind === "changed" || row.kind === "added" ? html`<ins>${row.after}</ins>` : row.after}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>`;
}

function decided(change, myId) {
  const { diff } = change;
  return html`
    <li class="decision">
      <span class="status-tag ${change.status.toLowerCase()}">${change.status}</span>
      <strong>${change.toolName}</strong> · ${diff.operation} ${diff.entityType}${diff.entityId ? ` ${diff.entityId}` : ""}
      <span class="when">${change.proposedBy?.name ? `from ${change.proposedBy.name} · ` : ""}${
        change.decidedBy === myId ? "by you " : ""}${when(change.decidedAt)}</span>
      ${change.reason ? html`<q>${change.reason}</q>` : nothing}
    </li>`;
}

// --- administration ---------------------------------------------------------------------------

function admin(state) {
  const { admin: model } = state;
  return html`
    <section class="admin" aria-label="Administration">
      ${model.error ? html`<p role="alert" class="error">${model.error}</p>` : nothing}
      <h2 id="people-heading">People</h2>
      ${newUserForm(model)}
      ${model.loaded ? usersTable(model, state.session.user.id) : html`<p class="hint">Loading…</p>`}
      <h2 id="keys-heading">Agents' API keys</h2>
      ${newKeyForm(model)}
      ${model.newKey ? newKeyShownOnce(model) : nothing}
      ${model.loaded ? keysTable(model) : nothing}
    </section>`;
}

function newUserForm(model) {
  const submit = async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = form.elements;
    const roles = ["approver", "admin"].filter((role) => fields[`role-${role}`].checked);
    const created = await app.createUser({
      username: fields.username.value,
      displayName: fields.displayName.value,
      password: fields.password.value,
      roles,
    });
    if (created) {
      form.reset();
    }
  };
  return html`
    <form class="card admin-form" @submit=${submit} novalidate>
      ${field("new-username", "username", "New username")}
      ${field("new-display-name", "displayName", "Display name")}
      ${field("new-password", "password", "New password", { type: "password", autocomplete: "new-password" })}
      <fieldset class="roles">
        <legend>Roles</legend>
        <label><input type="checkbox" name="role-approver" /> approver</label>
        <label><input type="checkbox" name="role-admin" /> admin</label>
      </fieldset>
      <button type="submit" class="primary" ?disabled=${model.busy}>Create user</button>
    </form>`;
}

function usersTable(model, myId) {
  return html`
    <div class="table-wrap">
      <table class="listing" aria-labelledby="people-heading">
        <thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Roles</th>
          <th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${repeat(model.users, (user) => user.id, (user) => html`
            <tr>
              <th scope="row">${user.username}${user.id === myId ? html` <span class="you">(you)</span>` : nothing}</th>
              <td>${user.displayName}</td>
              <td>${user.roles.length ? user.roles.join(", ") : html`<span class="muted">none</span>`}</td>
              <td>${when(user.createdAt)}</td>
              <td class="row-actions">${confirmable(model, "user", user.id, "Delete", () => app.deleteUser(user.id))}</td>
            </tr>`)}
        </tbody>
      </table>
    </div>`;
}

function newKeyForm(model) {
  const submit = async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    if (await app.createKey(form.elements.name.value)) {
      form.reset();
      queueMicrotask(() => document.getElementById("new-api-key")?.select());
    }
  };
  return html`
    <form class="card key-form" @submit=${submit} novalidate>
      ${field("key-name", "name", "Key name", { placeholder: "invoice bot" })}
      <button type="submit" class="primary" ?disabled=${model.busy}>Create API key</button>
    </form>`;
}

/** A labelled text input of an administration form. */
function field(id, name, label, { type = "text", autocomplete = "off", placeholder = "" } = {}) {
  return html`
    <div class="field">
      <label for=${id}>${label}</label>
      <input id=${id} name=${name} type=${type} autocomplete=${autocomplete} placeholder=${placeholder}
             autocapitalize="none" spellcheck="false" maxlength="200" />
    </div>`;
}

function newKeyShownOnce(model) {
  const copy = () => app.copyNewKey(document.getElementById("new-api-key"));
  return html`
    <div class="card new-key">
      <label for="new-api-key">New API key</label>
      <div class="copy-row">
        <input id="new-api-key" readonly .value=${model.newKey.key} spellcheck="false" @focus=${(e) => e.target.select()} />
        <button type="button" @click=${copy}>${model.copied ? "Copied" : "Copy"}</button>
      </div>
      <p class="hint">The key of “${model.newKey.name}” is shown this once: copy it into the agent's settings now.
        It cannot be shown again; if it is lost, revoke it and create another.</p>
      <button type="button" class="quiet" @click=${app.dismissNewKey}>Done</button>
    </div>`;
}

function keysTable(model) {
  return html`
    <div class="table-wrap">
      <table class="listing" aria-labelledby="keys-heading">
        <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Created</th>
          <th scope="col">Expires</th><th scope="col">Status</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${repeat(model.keys, (key) => key.id, (key) => {
            const status = keyStatus(key);
            return html`
              <tr class=${status.toLowerCase()}>
                <th scope="row">${key.name}</th>
                <td><code>${key.prefix}…</code></td>
                <td>${when(key.createdAt)}</td>
                <td>${key.expiresAt ? when(key.expiresAt) : html`<span class="muted">never</span>`}</td>
                <td><span class="status-tag ${status.toLowerCase()}">${status}</span>${
                  key.revokedAt ? html` ${when(key.revokedAt)}` : nothing}</td>
                <td class="row-actions">${status === "Active"
                  ? confirmable(model, "key", key.id, "Revoke", () => app.revokeKey(key.id)) : nothing}</td>
              </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
}

function keyStatus(key) {
  if (key.revokedAt) {
    return "Revoked";
  }
  return key.expiresAt && new Date(key.expiresAt) <= new Date() ? "Expired" : "Active";
}

/** A destructive button that asks for a Confirm (or Cancel) in its place before it acts. */
function confirmable(model, kind, id, label, act) {
  if (model.confirming === `${kind}:${id}`) {
    return html`
      <button type="button" class="danger" ?disabled=${model.busy} @click=${act}>Confirm</button>
      <button type="button" @click=${app.cancelConfirm}>Cancel</button>`;
  }
  return html`<button type="button" class="danger" ?disabled=${model.busy}
                      @click=${() => app.askToConfirm(kind, id)}>${label}</button>`;
}

// --- helpers ----------------------------------------------------------------------------------

/** Every time on the page: relative today, a date beyond, the full time on hover (time.js). */
function when(timestamp) {
  if (!timestamp) {
    return nothing;
  }
  const { text, full } = describeTime(timestamp);
  return html`<time datetime=${timestamp} title=${full}>${text}</time>`;
}

// Ids of elements made from workflow and change ids, which may hold any characters.
function cssId(value) {
  return Array.from(value, (c) => (/[A-Za-z0-9_-]/.test(c) ? c : `_${c.codePointAt(0).toString(16)}`)).join("");
}
