package io.switchboard.apikey;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * Answer of {@code POST /api/api-keys}, the only place the key itself ever appears.
 * Reflection-registered because Jackson writes it in a native image.
 */
@RegisterForReflection
public record CreatedApiKey(String id, String name, String key, String prefix, Instant createdAt,
                            Instant expiresAt) {

    // The default record toString would print the key into any log line that mentions this object.
    @Override
    public String toString() {
        return "CreatedApiKey[id=" + id + ", prefix=" + prefix + "]";
    }
}
