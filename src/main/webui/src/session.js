// The signed-in person: the token from POST /api/auth/login, kept for this tab only
// (sessionStorage), and what its claims say about them.

const TOKEN_KEY = "switchboard.accessToken";
/** Roles that see the Approvals page (docs/api.md §3 "ChatHub": PendingChange* go to approvers and admins). */
const APPROVER_ROLES = ["approver", "admin"];

export class SignInError extends Error {}

/** Exchanges a username and password for a token; throws SignInError with a sentence to show. */
export async function signIn(username, password) {
  let response;
  try {
    response = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new SignInError("The service cannot be reached. Try again in a moment.");
  }
  if (response.ok) {
    const { accessToken } = await response.json();
    sessionStorage.setItem(TOKEN_KEY, accessToken);
    return accessToken;
  }
  if (response.status === 401 || response.status === 400) {
    throw new SignInError("The username or password is wrong.");
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get("Retry-After"));
    const wait = Number.isFinite(seconds) && seconds > 0 ? ` in ${Math.ceil(seconds / 60)} min` : " later";
    throw new SignInError(`Too many failed sign-ins for this username. Try again${wait}.`);
  }
  throw new SignInError("Signing in failed. Try again in a moment.");
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The stored token and who it names, or null when there is none or it has expired. */
export function currentSession() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    return null;
  }
  const claims = readClaims(token);
  if (!claims || isExpired(claims)) {
    signOut();
    return null;
  }
  const roles = Array.isArray(claims.groups) ? claims.groups : [];
  return {
    token,
    user: {
      id: claims.sub,
      displayName: claims.preferred_username || claims.upn || claims.sub,
      tenantId: claims.tenant_id,
      roles,
      canApprove: roles.some((role) => APPROVER_ROLES.includes(role)),
      isAdmin: roles.includes("admin"),
    },
    expiresAt: claims.exp * 1000,
  };
}

function isExpired(claims) {
  return typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now();
}

// The server checks the signature; the page only reads what the token says about its holder.
function readClaims(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    return JSON.parse(json);
  } catch {
    return null;
  }
}
