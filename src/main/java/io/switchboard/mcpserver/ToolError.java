package io.switchboard.mcpserver;

/** A tool call that cannot be done as asked: answered as a result with {@code isError: true} and this sentence. */
final class ToolError extends RuntimeException {

    ToolError(String sentence) {
        super(sentence, null, false, false);
    }
}
