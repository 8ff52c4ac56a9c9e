package io.switchboard.apikey;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * Body of {@code POST /api/api-keys}; {@code expiresAt} is optional (a key without it never expires).
 * Reflection-registered because Jackson reads it in a native image.
 */
@RegisterForReflection
public record CreateApiKeyRequest(@NotBlank @Size(max = ApiKeyService.MAX_NAME_LENGTH) String name,
                                  @Future Instant expiresAt) {
}
