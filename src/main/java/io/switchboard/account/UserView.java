package io.switchboard.account;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * An account as admins see it: never a password or its hash. Reflection-registered because Jackson
 * writes it in a native image.
 */
@RegisterForReflection
public record UserView(String id, String username, String displayName, String tenantId, List<String> roles,
                       Instant createdAt) {
}
