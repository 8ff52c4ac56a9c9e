package io.switchboard.apikey;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.PathIds;
import io.switchboard.api.ProblemException;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.Roles;
import io.switchboard.identity.HubUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import io.switchboard.api.OpenApi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/api-keys}: a tenant's admins create, list and revoke the keys of its AI agents. Another
 * tenant's key is "not found", exactly like one that does not exist.
 */
@Path("/api/api-keys")
@RolesAllowed(Roles.ADMIN)
@Tag(name = "API keys", description = "A tenant's admins manage its agents' keys.")
@SecurityRequirement(name = OpenApi.JWT)
@APIResponse(responseCode = "401", ref = OpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApi.FORBIDDEN)
// The 403 detail reads @RolesAllowed reflectively, in a native image too.
@RegisterForReflection(methods = true, fields = false)
public class ApiKeyResource {

    private static final String NOT_FOUND = "API key not found";

    private final ApiKeyService keys;
    private final CurrentUser users;
    private final SecurityIdentity identity;

    ApiKeyResource(ApiKeyService keys, CurrentUser users, SecurityIdentity identity) {
        this.keys = keys;
        this.users = users;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key; the answer is the only time the key is shown")
    @APIResponse(responseCode = "201", description = "Created; key is the secret, shown this once.",
            headers = {@Header(name = "Location", description = "The key's URL.",
                    schema = @Schema(type = SchemaType.STRING, format = "uri")),
                    @Header(name = "Cache-Control", description = "no-store: the body holds a secret.",
                            schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreatedApiKey.class)))
    @APIResponse(responseCode = "400", ref = OpenApi.BAD_REQUEST)
    public Response create(@Valid @NotNull CreateApiKeyRequest request, @Context UriInfo uri) {
        HubUser admin = users.resolve(identity);
        CreatedApiKey created = keys.create(admin.tenantId(), admin.id(), request.name().strip(), request.expiresAt());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                // The body holds a secret: no cache on the way may keep it.
                .header("Cache-Control", "no-store")
                .entity(created)
                .build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's API keys, newest first, without their secrets")
    @APIResponse(responseCode = "200", description = "Revoked and expired keys included.")
    public List<ApiKeyView> list() {
        return keys.list(tenantId());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One API key of the tenant, without its secret")
    @APIResponse(responseCode = "200", description = "The key, without its secret.")
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND)
    public ApiKeyView get(@PathParam("id") String id) {
        return keys.find(tenantId(), parse(id)).orElseThrow(() -> ProblemException.notFound(NOT_FOUND));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an API key; its open hub connections are closed. Repeating it is harmless (204).")
    @APIResponse(responseCode = "204", description = "Revoked; its connections close on every replica within 2 s.")
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND)
    public void revoke(@PathParam("id") String id) {
        if (!keys.revoke(tenantId(), parse(id))) {
            throw ProblemException.notFound(NOT_FOUND);
        }
    }

    private String tenantId() {
        return users.resolve(identity).tenantId();
    }

    private static UUID parse(String id) {
        return PathIds.uuidOrNotFound(id, NOT_FOUND);
    }
}
