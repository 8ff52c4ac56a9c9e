package io.switchboard.pendingchange;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/pending-changes}. Reflection-registered for Jackson in a native image. */
@RegisterForReflection
public record NewPendingChange(@NotBlank @Size(max = 200) String toolName,
                               @NotNull @Valid Diff diff,
                               @Positive @Max(30L * 24 * 3600) Long expiresInSeconds) {
}
