package io.switchboard.mcpserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The tools' arguments that are not a proposal's own fields. Reflection-registered for Jackson in a native image. */
final class ToolArguments {

    static final int DEFAULT_WAIT_SECONDS = 50;
    static final int MAX_WAIT_SECONDS = 300;

    private ToolArguments() {
    }

    /** {@code approval_prompt}'s arguments, named as agent runtimes send them to a permission-prompt tool. */
    @RegisterForReflection
    record ApprovalPrompt(@NotBlank @Size(max = 200) String tool_name,
                          @NotNull JsonNode input,
                          @Size(max = 200) String tool_use_id) {
    }

    /** {@code await_decision}'s change id. */
    @RegisterForReflection
    record AwaitDecision(@NotBlank String pendingChangeId) {
    }

    /** {@code waitSeconds}: 0..300, {@value #DEFAULT_WAIT_SECONDS} when absent. */
    static int waitSeconds(JsonNode arguments) {
        JsonNode value = arguments.get("waitSeconds");
        if (value == null || value.isNull()) {
            return DEFAULT_WAIT_SECONDS;
        }
        if (!value.canConvertToExactIntegral() || value.asLong() < 0 || value.asLong() > MAX_WAIT_SECONDS) {
            throw new ToolError("waitSeconds must be a whole number from 0 to " + MAX_WAIT_SECONDS + ".");
        }
        return value.asInt();
    }
}
