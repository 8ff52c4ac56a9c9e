// The page's one ChatHub connection (official @microsoft/signalr client): reconnects by itself
// after 0, 2, 10 and 30 seconds, and reports every server event and state change to its owner.

import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";

export const RECONNECT_DELAYS_MS = [0, 2000, 10000, 30000];

const SERVER_EVENTS = [
  "ReceiveMessage",
  "UserJoined",
  "UserLeft",
  "SessionRestored",
  "PresenceChanged",
  "PendingChangeCreated",
  "PendingChangeUpdated",
];

/**
 * @param accessTokenFactory returns the current token, or throws when there is none (signed out)
 * @param handlers {onEvent(name, payload), onReconnecting(), onReconnected(), onClosed(error)}
 */
export function createChatConnection(accessTokenFactory, handlers) {
  const connection = new HubConnectionBuilder()
    .withUrl("/hubs/chat", { accessTokenFactory })
    .withAutomaticReconnect(RECONNECT_DELAYS_MS)
    .configureLogging(LogLevel.Warning)
    .build();
  for (const name of SERVER_EVENTS) {
    connection.on(name, (payload) => handlers.onEvent(name, payload));
  }
  connection.onreconnecting(() => handlers.onReconnecting());
  connection.onreconnected(() => handlers.onReconnected());
  connection.onclose((error) => handlers.onClosed(error));
  return connection;
}
