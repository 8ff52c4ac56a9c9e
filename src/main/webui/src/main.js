// Boot: render the page whenever the state changes, follow #chat / #approvals, and sign back in
// from the tab's stored token.

import { render } from "lit";
import * as app from "./app.js";
import { page } from "./views.js";
import "./emoji-font.css";
import "./style.css";

const root = document.getElementById("app");

app.onUpdate(() => {
  // Keep the message log pinned to the newest message, unless the reader scrolled up.
  const log = document.getElementById("log");
  const pinned = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  const hadSession = root.dataset.signedIn === "true";
  render(page(app.state), root);
  root.dataset.signedIn = String(Boolean(app.state.session));
  const after = document.getElementById("log");
  if (after && pinned) {
    after.scrollTop = after.scrollHeight;
  }
  if (hadSession !== Boolean(app.state.session)) {
    // Just signed in or out: put the keyboard where the next step is.
    document.getElementById(app.state.session ? "workflow" : "username")?.focus();
  }
});

window.addEventListener("hashchange", () => app.showView(app.viewFromLocation()));
app.resume();
