package io.switchboard.mcpserver;

/**
 * An MCP session as every replica sees it: who made it and the protocol version agreed at
 * {@code initialize}. The API key, not the connection, owns it: any replica serves it.
 *
 * @param id              the {@code Mcp-Session-Id}
 * @param keyId           the API key that initialized it; no other key may use it
 * @param tenantId        that key's tenant
 * @param protocolVersion the protocol version agreed at {@code initialize}
 */
record McpSession(String id, String keyId, String tenantId, String protocolVersion) {

    /** As stored: three lines (none of the fields holds a line break). */
    String encode() {
        return keyId + "\n" + tenantId + "\n" + protocolVersion;
    }

    static McpSession decode(String id, String stored) {
        String[] fields = stored.split("\n", 3);
        if (fields.length != 3) {
            throw new IllegalStateException("Malformed MCP session record");
        }
        return new McpSession(id, fields[0], fields[1], fields[2]);
    }
}
