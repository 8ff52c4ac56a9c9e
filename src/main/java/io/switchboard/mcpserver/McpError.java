package io.switchboard.mcpserver;

/** A JSON-RPC error answer: a protocol-level failure, as opposed to a tool's own error result. */
final class McpError extends RuntimeException {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** The MCP specification's code for a resource that does not exist. */
    static final int RESOURCE_NOT_FOUND = -32002;

    private final int code;

    McpError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
