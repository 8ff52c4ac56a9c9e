package io.switchboard.pendingchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The change an agent proposes: the operation, the entity, and its state before and after (any JSON).
 * Reflection-registered because Jackson reads and writes records reflectively in a native image.
 */
@RegisterForReflection
public record Diff(@NotNull Operation operation,
                   @NotBlank @Size(max = 200) String entityType,
                   @Size(max = 200) String entityId,
                   JsonNode before,
                   JsonNode after) {
}
