package io.switchboard.apikey;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.Roles;
import io.switchboard.identity.HubUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Test-only endpoint that requires the agent role and shows who the caller is, until a real agent
 * endpoint ({@code GET /api/pending-changes/{id}}) exists.
 */
@Path("/test/agent/whoami")
@RolesAllowed(Roles.AGENT)
public class AgentWhoAmIResource {

    private final CurrentUser users;
    private final SecurityIdentity identity;

    AgentWhoAmIResource(CurrentUser users, SecurityIdentity identity) {
        this.users = users;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> whoAmI() {
        HubUser user = users.resolve(identity);
        return Map.of("principal", identity.getPrincipal().getName(), "roles", identity.getRoles(),
                "userId", user.id(), "displayName", user.displayName(), "tenantId", user.tenantId(),
                "userRoles", user.roles());
    }
}
