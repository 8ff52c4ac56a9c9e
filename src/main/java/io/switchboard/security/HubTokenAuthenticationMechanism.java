package io.switchboard.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads a JWT the way SignalR clients send it: {@code Authorization: Bearer}, or on hub paths the
 * {@code access_token} query parameter (browsers cannot set headers on WebSockets and EventSource).
 * The token is verified by smallrye-jwt's identity provider with the standard {@code mp.jwt.verify.*}
 * settings. Runs before smallrye-jwt's own mechanism, which only knows the header.
 */
@ApplicationScoped
public class HubTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String ACCESS_TOKEN_PARAMETER = "access_token";
    private static final String BEARER_PREFIX = "bearer ";
    private static final String HUB_PATH_PREFIX = "/hubs/";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviders) {
        String token = bearerToken(context);
        if (token == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        AuthenticationRequest request = new TokenAuthenticationRequest(new JsonWebTokenCredential(token));
        return identityProviders.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    static String bearerToken(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            String token = header.substring(BEARER_PREFIX.length()).trim();
            return token.isEmpty() ? null : token;
        }
        if (context.request().path().startsWith(HUB_PATH_PREFIX)) {
            String token = context.request().getParam(ACCESS_TOKEN_PARAMETER);
            return token == null || token.isBlank() ? null : token;
        }
        return null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // Ahead of smallrye-jwt's header-only mechanism (DEFAULT_PRIORITY).
        return DEFAULT_PRIORITY + 100;
    }
}
