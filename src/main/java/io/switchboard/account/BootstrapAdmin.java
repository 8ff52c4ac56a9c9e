package io.switchboard.account;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.identity.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Creates the first admin at start from {@link BootstrapAdminConfig} when no account of that username
 * exists. Every replica does this at start, possibly at the same moment; one of them creates it and
 * the others find it there (the unique username decides). An admin who is deleted comes back at the
 * next start for as long as the variables are set.
 */
@ApplicationScoped
class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    private final BootstrapAdminConfig config;
    private final AccountService accounts;

    BootstrapAdmin(BootstrapAdminConfig config, AccountService accounts) {
        this.config = config;
        this.accounts = accounts;
    }

    // After Flyway has migrated the schema, which Quarkus does before start-up observers run.
    void onStart(@Observes StartupEvent start) {
        if (config.username().isEmpty() && config.password().isEmpty() && config.tenant().isEmpty()) {
            return;
        }
        if (config.username().isEmpty() || config.password().isEmpty() || config.tenant().isEmpty()) {
            throw new IllegalStateException("Set all of SWITCHBOARD_BOOTSTRAP_ADMIN_USERNAME, _PASSWORD and _TENANT "
                    + "to create the first admin, or none of them");
        }
        String username = config.username().get();
        String tenant = config.tenant().get();
        boolean created;
        try {
            created = accounts.createIfAbsent(tenant, username, config.password().get(), Set.of(Roles.ADMIN));
        } catch (AccountService.InvalidAccount e) {
            throw new IllegalStateException("The bootstrap admin cannot be created: " + e.getMessage());
        }
        if (created) {
            LOG.infof("Bootstrap admin %s created in tenant %s", username, tenant);
        } else {
            LOG.debugf("Bootstrap admin %s exists", username);
        }
    }
}
