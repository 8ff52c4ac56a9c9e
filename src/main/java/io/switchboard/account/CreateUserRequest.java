package io.switchboard.account;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /api/users}. The password's length is checked in characters by
 * {@link AccountService}; roles default to none (a plain user). Reflection-registered because Jackson
 * reads it in a native image.
 */
@RegisterForReflection
public record CreateUserRequest(
        @NotNull @Pattern(regexp = Usernames.PATTERN, message = Usernames.RULE) String username,
        @NotNull String password,
        @Size(max = AccountService.MAX_DISPLAY_NAME_LENGTH) String displayName,
        List<String> roles) {

    // The default record toString would print the password into any log line that mentions this object.
    @Override
    public String toString() {
        return "CreateUserRequest[username=" + username + "]";
    }
}
