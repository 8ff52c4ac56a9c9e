// REST calls with the signed-in person's token. Errors carry the problem's detail sentence.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function createApi(currentToken, onUnauthorized) {
  return async function api(path, { method = "GET", body } = {}) {
    const headers = { Authorization: `Bearer ${currentToken()}` };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, "The service cannot be reached. Try again in a moment.");
    }
    if (response.status === 401) {
      onUnauthorized();
      throw new ApiError(401, "Your session has ended. Sign in again.");
    }
    if (!response.ok) {
      let detail = `The request failed (${response.status}).`;
      try {
        detail = (await response.json()).detail || detail;
      } catch {
        // Not a problem document: keep the generic sentence.
      }
      throw new ApiError(response.status, detail);
    }
    return response.status === 204 ? null : response.json();
  };
}
