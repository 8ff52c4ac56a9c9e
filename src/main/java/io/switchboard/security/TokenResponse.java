package io.switchboard.security;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Answer of {@code POST /api/auth/token}. Reflection-registered for Jackson in a native image. */
@RegisterForReflection
public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
}
