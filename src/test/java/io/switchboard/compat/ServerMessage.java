package io.switchboard.compat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message from the server, read into one shape whatever the protocol. {@code arguments} and
 * {@code result} are JSON trees (a MessagePack value is shown as its JSON equivalent).
 */
record ServerMessage(int type, String invocationId, String target, JsonNode arguments, String error,
                     JsonNode result, boolean allowReconnect) {

    static final int INVOCATION = 1;
    static final int COMPLETION = 3;
    static final int PING = 6;
    static final int CLOSE = 7;
}
