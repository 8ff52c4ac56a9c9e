// The official JavaScript client (@microsoft/signalr) invoking a hub method many times without waiting
// between invocations, as an agent resubscribing to its changes after a reconnect does. The client
// queues what it sends while a send is in progress and then sends the queue in one piece: on
// WebSockets one frame far larger than one message.
//
// Driven by JavaScriptInvocationBurstTest through NodeScript. Environment: see connect.mjs (HUB_URL,
// ACCESS_TOKEN, TRANSPORT), and COUNT, how many invocations of UnsubscribeFromPendingChange.
// Prints {"event":"done","answered":n,"transport":...} once every invocation is answered, the
// connection still up; any error exits 1.

import { build, required, run, withTimeout } from "./connect.mjs";

run("invocation-burst", async () => {
    const count = Number(required("COUNT"));
    const { connection, selected } = build();
    await connection.start();
    const ids = Array.from({ length: count }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`);
    const answers = await withTimeout(Promise.all(ids.map((id) => connection.invoke("UnsubscribeFromPendingChange", id))),
        20_000, `${count} answers`);
    const state = connection.state;
    await connection.stop();
    return { event: "done", answered: answers.length, state, transport: selected[selected.length - 1] };
});
