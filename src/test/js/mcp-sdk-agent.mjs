// An AI agent on the MCP endpoint /mcp with the official TypeScript MCP SDK (@modelcontextprotocol/sdk,
// StreamableHTTPClientTransport) under Node. Driven by JavaScriptMcpSdkTest through NodeScript; input
// comes from the environment (never the command line, so the API key does not show up in process listings):
//   MCP_URL   absolute URL of the endpoint, e.g. http://localhost:8081/mcp
//   API_KEY   the agent's API key
//
// Prints one JSON event per line on stdout, in this order, each step waiting for what the test does:
//   {"event":"tools","tools":[...]}                           tools/list
//   {"event":"proposing"}, then {"event":"decided","result":{...}}   propose_change, waiting for a decision
//   {"event":"subscribed","id":"..."}, then {"event":"updated","uri":"..."}   resources/subscribe, then the update
//   {"event":"read","change":{...}}                           resources/read after the update
//   {"event":"prompted","text":"..."}                         approval_prompt, waiting for a decision
//   {"event":"notFound","result":{...}}                       await_decision of an unknown change
//   {"event":"waiting","id":"..."}, then {"event":"cancelled","error":"..."}   await_decision of a Pending
//       change, aborted (AbortSignal: the SDK sends notifications/cancelled) once a line arrives on stdin
// then closes the session and exits 0. On any error or timeout prints it to stderr and exits 1.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { createInterface } from "node:readline";

const OVERALL_TIMEOUT_MS = 90_000;
const watchdog = setTimeout(() => {
    process.stderr.write(`mcp-sdk-agent: not done within ${OVERALL_TIMEOUT_MS} ms\n`);
    process.exit(1);
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

function required(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`environment variable ${name} is required`);
    }
    return value;
}

function print(event) {
    return new Promise((resolve) => process.stdout.write(JSON.stringify(event) + "\n", resolve));
}

const diff = { operation: "UPDATE", entityType: "Invoice", entityId: "inv-9", after: { amount: 99 } };

try {
    const transport = new StreamableHTTPClientTransport(new URL(required("MCP_URL")), {
        requestInit: { headers: { Authorization: `Bearer ${required("API_KEY")}` } },
    });
    const client = new Client({ name: "switchboard-test-agent", version: "1.0.0" });
    let updated;
    const update = new Promise((resolve) => { updated = resolve; });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => updated(notification.params.uri));
    await client.connect(transport);

    const { tools } = await client.listTools();
    await print({ event: "tools", tools });

    await print({ event: "proposing" });
    const decided = await client.callTool({ name: "propose_change", arguments: { toolName: "sdk_update", diff } },
        undefined, { timeout: 60_000 });
    await print({ event: "decided", result: decided });

    const pending = await client.callTool({ name: "propose_change",
        arguments: { toolName: "sdk_watch", diff, waitSeconds: 0 } });
    const id = pending.structuredContent.pendingChangeId;
    const uri = `switchboard://pending-changes/${id}`;
    await client.subscribeResource({ uri });
    await print({ event: "subscribed", id });
    await print({ event: "updated", uri: await update });
    const read = await client.readResource({ uri });
    await print({ event: "read", change: JSON.parse(read.contents[0].text) });

    const prompted = await client.callTool({ name: "approval_prompt",
        arguments: { tool_name: "sdk_bash", input: { command: "ls" }, tool_use_id: "toolu_sdk" } },
        undefined, { timeout: 60_000 });
    await print({ event: "prompted", text: prompted.content[0].text });

    const notFound = await client.callTool({ name: "await_decision",
        arguments: { pendingChangeId: "00000000-0000-0000-0000-000000000000" } });
    await print({ event: "notFound", result: notFound });

    const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    const waited = await client.callTool({ name: "propose_change",
        arguments: { toolName: "sdk_cancelled", diff, waitSeconds: 0 } });
    const abort = new AbortController();
    const cancelled = client.callTool({ name: "await_decision",
        arguments: { pendingChangeId: waited.structuredContent.pendingChangeId, waitSeconds: 300 } },
        undefined, { signal: abort.signal, timeout: 60_000 }).then(
        (result) => `answered instead: ${JSON.stringify(result)}`, (error) => String(error?.message ?? error));
    await print({ event: "waiting", id: waited.structuredContent.pendingChangeId });
    await stdin.next();
    abort.abort("the user pressed Escape");
    await print({ event: "cancelled", error: await cancelled });

    await transport.terminateSession();
    await client.close();
    process.exit(0);
} catch (error) {
    process.stderr.write(`mcp-sdk-agent: ${error?.stack ?? error}\n`);
    process.exit(1);
}
