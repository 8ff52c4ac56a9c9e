package io.switchboard.security;

import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /api/auth/token}: the service signs a JWT for any identity it is asked for — a
 * development and test convenience (see {@link TokenIssuerConfig}). Never in the {@code prod} profile,
 * whatever the configuration says: there people sign in with {@code POST /api/auth/login} or an
 * outside identity provider.
 */
@Path("/api/auth/token")
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
    public TokenResponse issue(@Valid @NotNull TokenRequest request) {
        if (!enabled) {
            throw new NotFoundException();
        }
        return signer.sign(request.userId(), request.displayName() == null ? request.userId() : request.displayName(),
                request.tenantId(), new HashSet<>(request.roles() == null ? List.of() : request.roles()),
                config.lifespan(), config.issuer());
    }
}
