package io.switchboard.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.switchboard.apikey.ApiKeyService;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads the credential the way SignalR clients send it: {@code Authorization: Bearer}, or on hub paths
 * the {@code access_token} query parameter (browsers cannot set headers on WebSockets and EventSource);
 * agents may also use {@code X-Api-Key} on any path. A credential starting with {@code sb_} is an API
 * key, checked by {@link ApiKeyIdentityProvider}; anything else is a JWT, verified by smallrye-jwt's
 * identity provider with the standard {@code mp.jwt.verify.*} settings. Runs before smallrye-jwt's own
 * mechanism, which only knows the header and only JWTs.
 */
@ApplicationScoped
public class HubTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String ACCESS_TOKEN_PARAMETER = "access_token";
    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String BEARER_PREFIX = "bearer ";
    private static final String HUB_PATH_PREFIX = "/hubs/";
    private static final String WEBSOCKET_KEY_HEADER = "Sec-WebSocket-Key";
    private static final BiConsumer<RoutingContext, Throwable> LEAVE_TO_UPGRADE_CHECKS = (context, failure) -> {
    };

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviders) {
        Optional<AuthenticationRequest> request = authenticationRequest(context.request(), context.normalizedPath());
        if (request.isEmpty()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        if (context.request().headers().contains(WEBSOCKET_KEY_HEADER)) {
            // On an upgrade the failure also reaches the WebSocket upgrade checks, which answer the request
            // (401). The default failure handler would answer it a second time, and that second answer
            // fails with an error log line quoting the whole URI, access_token included.
            context.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, LEAVE_TO_UPGRADE_CHECKS);
        }
        return identityProviders.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request.get(), context));
    }

    /**
     * The request for the credential sent, if any. The standard header wins, then {@code X-Api-Key};
     * the query parameter is the fallback for clients that cannot set headers.
     */
    private static Optional<AuthenticationRequest> authenticationRequest(HttpServerRequest request, String path) {
        Optional<String> bearer = bearerToken(request);
        if (bearer.isPresent()) {
            return bearer.map(HubTokenAuthenticationMechanism::byPrefix);
        }
        Optional<String> apiKey = nonBlank(request.getHeader(API_KEY_HEADER));
        if (apiKey.isPresent()) {
            // The header names the credential type: whatever it holds is checked as an API key.
            return apiKey.map(ApiKeyAuthenticationRequest::new);
        }
        // The path as routed (dot segments resolved): /hubs/../api/... is a REST path, and takes no query credential.
        if (path.startsWith(HUB_PATH_PREFIX)) {
            return nonBlank(request.getParam(ACCESS_TOKEN_PARAMETER)).map(HubTokenAuthenticationMechanism::byPrefix);
        }
        return Optional.empty();
    }

    private static Optional<String> bearerToken(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            return nonBlank(header.substring(BEARER_PREFIX.length()));
        }
        return Optional.empty();
    }

    private static AuthenticationRequest byPrefix(String credential) {
        return credential.startsWith(ApiKeyService.KEY_PREFIX)
                ? new ApiKeyAuthenticationRequest(credential)
                : new TokenAuthenticationRequest(new JsonWebTokenCredential(credential));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class, ApiKeyAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // Ahead of smallrye-jwt's header-only mechanism (DEFAULT_PRIORITY).
        return DEFAULT_PRIORITY + 100;
    }
}
