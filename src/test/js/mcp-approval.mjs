// An AI agent's view of an approval, with the official JavaScript SignalR client under Node: connect to
// McpHub with an API key, subscribe to a pending change, have an approver approve it over REST, and
// wait for the PendingChangeApproved push.
//
// Driven by JavaScriptClientTest. Input comes from the environment (see connect.mjs for HUB_URL,
// ACCESS_TOKEN (the API key) and TRANSPORT):
//   PENDING_CHANGE_ID the change to subscribe to (created by the test)
//   API_URL           base URL of the REST API, e.g. http://localhost:8081/
//   APPROVER_TOKEN    JWT of an approver of the same tenant
//
// On success prints one JSON line {"approved": <PendingChangeApproved payload>, "transport": ...,
// "attempts": [...]} and exits 0. On any error or timeout prints the error to stderr and exits 1.

import { build, collect, required, run } from "./connect.mjs";

const PUSH_TIMEOUT_MS = 10_000;

run("mcp-approval", async () => {
    const pendingChangeId = required("PENDING_CHANGE_ID");
    const approveUrl = new URL(`api/pending-changes/${pendingChangeId}/approve`, required("API_URL"));
    const approverToken = required("APPROVER_TOKEN");
    const { connection, selected } = build();
    const approval = collect(connection, "PendingChangeApproved");

    await connection.start();
    try {
        await connection.invoke("SubscribeToPendingChange", pendingChangeId);
        const response = await fetch(approveUrl, {
            method: "POST",
            headers: { "Authorization": `Bearer ${approverToken}`, "Content-Type": "application/json" },
            body: JSON.stringify({ executionResult: { rows: 1 } }),
        });
        if (response.status !== 200) {
            throw new Error(`approving answered ${response.status}: ${await response.text()}`);
        }
        const approved = await approval((payload) => payload.pendingChangeId === pendingChangeId, PUSH_TIMEOUT_MS);
        return { approved, transport: selected[selected.length - 1], attempts: selected };
    } finally {
        await connection.stop();
    }
});
