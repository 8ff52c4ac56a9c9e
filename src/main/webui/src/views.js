// The page's markup. Every control carries the accessible name docs/api.md §9 "The web page" gives
// it; browser tests drive the page by those names only. Everything from the server is bound as text
// (lit-html escapes it): no message, name or value can become markup.

import { html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import * as app from "./app.js";
import { diffRows } from "./diff.js";

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
      ${user.canApprove ? pages(state) : nothing}
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
    <main>${state.view === "approvals" ? approvals(state) : chat(state)}</main>`;
}

function pages(state) {
  const link = (view, label, badge) => html`
    <a href="#${view}" aria-current=${state.view === view ? "page" : "false"}>${label}${badge
      ? html`<span class="badge" aria-hidden="true">${badge}</span>` : nothing}</a>`;
  return html`
    <nav class="pages" aria-label="Pages">
      ${link("chat", "Chat", 0)}${link("approvals", "Approvals", state.pending.length)}
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
        ${active ? html`<button type="button" class="quiet" @click=${app.leaveActive}>Leave workflow</button>` : nothing}
      </div>
      <div role="log" id="log" class="log" aria-label=${active ? `Messages in ${active.id}` : "Messages"}>
        ${active ? messages(active, state.session.user.id) : html`<p class="hint">Join a workflow to chat in it.</p>`}
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

function messages(workflow, myId) {
  if (workflow.entries.length === 0) {
    return html`<p class="hint">No messages yet.</p>`;
  }
  return html`<ol class="messages">
    ${repeat(workflow.entries, (entry) => entry.key, (entry) => entry.presence
      ? html`<li class="presence">${entry.displayName} ${entry.presence} · ${clock(entry.timestamp)}</li>`
      : html`<li class="message ${entry.userId === myId ? "mine" : ""}">
          <div class="meta"><span class="author">${entry.displayName}</span> ${clock(entry.timestamp)}</div>
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
        <p class="when">Proposed ${clock(change.createdAt)} · expires ${dateTime(change.expiresAt)}</p>
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
      <span class="when">${change.decidedBy === myId ? "by you " : ""}${dateTime(change.decidedAt)}</span>
      ${change.reason ? html`<q>${change.reason}</q>` : nothing}
    </li>`;
}

// --- helpers ----------------------------------------------------------------------------------

function clock(timestamp) {
  return timestamp
    ? html`<time datetime=${timestamp}>${new Date(timestamp).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}</time>`
    : nothing;
}

function dateTime(timestamp) {
  return timestamp
    ? html`<time datetime=${timestamp}>${new Date(timestamp).toLocaleString([], { dateStyle: "short", timeStyle: "short" })}</time>`
    : nothing;
}

// Ids of elements made from workflow and change ids, which may hold any characters.
function cssId(value) {
  return Array.from(value, (c) => (/[A-Za-z0-9_-]/.test(c) ? c : `_${c.codePointAt(0).toString(16)}`)).join("");
}
