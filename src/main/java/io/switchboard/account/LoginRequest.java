package io.switchboard.account;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/auth/login}. Reflection-registered because Jackson reads it in a native image. */
@RegisterForReflection
public record LoginRequest(@NotNull String username, @NotNull String password) {

    // Never the password: requests can end up in log and exception messages.
    @Override
    public String toString() {
        return "LoginRequest[username=" + username + "]";
    }
}
