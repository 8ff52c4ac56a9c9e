package io.switchboard.security;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /api/auth/token}. Reflection-registered for Jackson in a native image. */
@RegisterForReflection
public record TokenRequest(@NotBlank @Size(max = 200) String userId,
                           @Size(max = 200) String displayName,
                           @NotBlank @Size(max = 200) String tenantId,
                           List<String> roles) {
}
