package io.switchboard.account;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The first admin, created at start when no account of that username exists
 * ({@code SWITCHBOARD_BOOTSTRAP_ADMIN_USERNAME}, {@code _PASSWORD}, {@code _TENANT}). With none of them
 * set nothing happens; with only some set the service refuses to start.
 */
@ConfigMapping(prefix = "switchboard.bootstrap-admin")
public interface BootstrapAdminConfig {

    /** Username of the first admin. */
    Optional<String> username();

    /** Its password (8..128 characters); only its hash is stored. */
    Optional<String> password();

    /** The tenant it administers. */
    Optional<String> tenant();
}
