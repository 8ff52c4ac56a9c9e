package io.switchboard.apikey;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * An API key as listed: no secret, no hash. Reflection-registered because Jackson writes it in a
 * native image.
 */
@RegisterForReflection
public record ApiKeyView(String id, String name, String prefix, Instant createdAt, Instant expiresAt,
                         Instant revokedAt) {
}
