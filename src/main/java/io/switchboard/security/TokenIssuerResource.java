package io.switchboard.security;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.switchboard.api.OpenApi;
import io.switchboard.api.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/auth/token}: the service signs its own JWTs when enabled (see {@link TokenIssuerConfig}). */
@Path("/api/auth/token")
@Tag(name = "Development", description = "Off unless switchboard.auth.token-issuer.enabled is true.")
public class TokenIssuerResource {

    private final TokenIssuerConfig config;
    private final Optional<String> verifyIssuer;
    private final Optional<List<String>> audiences;

    TokenIssuerResource(TokenIssuerConfig config,
                        @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> verifyIssuer,
                        @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<List<String>> audiences) {
        this.config = config;
        this.verifyIssuer = verifyIssuer;
        this.audiences = audiences;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a JWT for any identity (only when switchboard.auth.token-issuer.enabled is true)")
    @SecurityRequirements
    @APIResponse(responseCode = "200", description = "A signed JWT.")
    @APIResponse(responseCode = "400", ref = OpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND, description = "The token issuer is off.")
    @APIResponse(responseCode = "413", ref = OpenApi.PAYLOAD_TOO_LARGE)
    public TokenResponse issue(@Valid @NotNull TokenRequest request) {
        if (!config.enabled()) {
            throw ProblemException.notFound("The built-in token issuer is off (switchboard.auth.token-issuer.enabled):"
                    + " get a token from your identity provider.");
        }
        JwtClaimsBuilder claims = Jwt.subject(request.userId())
                .claim(JwtUserAugmentor.TENANT_CLAIM, request.tenantId())
                .claim("preferred_username", request.displayName() == null ? request.userId() : request.displayName())
                .groups(new HashSet<>(request.roles() == null ? List.of() : request.roles()))
                .expiresIn(config.lifespan());
        config.issuer().or(() -> verifyIssuer).ifPresent(claims::issuer);
        audiences.ifPresent(list -> claims.audience(new HashSet<>(list)));
        return new TokenResponse(claims.sign(), "Bearer", config.lifespan().toSeconds());
    }
}
