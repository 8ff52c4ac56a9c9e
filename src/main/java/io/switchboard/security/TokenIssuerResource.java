package io.switchboard.security;

import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.List;
import io.switchboard.api.OpenApi;
import io.switchboard.api.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/auth/token}: the service signs a JWT for any identity it is asked for — a
 * development and test convenience (see {@link TokenIssuerConfig}). Never in the {@code prod} profile,
 * whatever the configuration says: there people sign in with {@code POST /api/auth/login} or an
 * outside identity provider.
 */
@Path("/api/auth/token")
@Tag(name = "Development", description = "Off unless switchboard.auth.token-issuer.enabled is true.")
public class TokenIssuerResource {

    private final TokenIssuerConfig config;
    private final TokenSigner signer;
    private final boolean enabled;

    TokenIssuerResource(TokenIssuerConfig config, TokenSigner signer) {
        this.config = config;
        this.signer = signer;
        this.enabled = config.enabled() && !ConfigUtils.isProfileActive("prod");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Development and tests only: issue a JWT for any identity (404 unless "
            + "switchboard.auth.token-issuer.enabled is true; always 404 in the prod profile)")
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "A signed JWT.")
    @APIResponse(responseCode = "400", ref = OpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND, description = "The token issuer is off.")
    public TokenResponse issue(@Valid @NotNull TokenRequest request) {
        if (!enabled) {
            throw ProblemException.notFound("The built-in token issuer is off (switchboard.auth.token-issuer.enabled,"
                    + " never in prod): get a token from POST /api/auth/login or your identity provider.");
        }
        return signer.sign(request.userId(), request.displayName() == null ? request.userId() : request.displayName(),
                request.tenantId(), new HashSet<>(request.roles() == null ? List.of() : request.roles()),
                config.lifespan(), config.issuer());
    }
}
