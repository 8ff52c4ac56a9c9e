package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a tool answers: its structured result and the text content, or an error sentence.
 *
 * @param structured the {@code structuredContent}; null for an error
 * @param text       the text content: the result as JSON, or the error sentence
 * @param error      whether this is a tool error ({@code isError: true})
 */
record ToolOutcome(ObjectNode structured, String text, boolean error) {

    static ToolOutcome of(ObjectNode structured) {
        return new ToolOutcome(structured, structured.toString(), false);
    }

    static ToolOutcome failed(String sentence) {
        return new ToolOutcome(null, sentence, true);
    }
}
