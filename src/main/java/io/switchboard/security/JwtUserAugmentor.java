package io.switchboard.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.HubUser;
import io.switchboard.identity.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified JWT into a Switchboard user: {@code sub} is the user id, {@code preferred_username}
 * or {@code upn} the display name, {@code tenant_id} the tenant, {@code groups} the roles, plus the
 * {@code user} role every valid token has (never {@code agent}, which only API keys carry). A token
 * without a tenant is refused: nothing may run outside a tenant. So is a token of a deleted built-in
 * account, whose subject is the account id ({@link DeletedAccounts}).
 */
@ApplicationScoped
public class JwtUserAugmentor implements SecurityIdentityAugmentor {

    static final String TENANT_CLAIM = "tenant_id";

    /** As much as clocks may disagree, as smallrye-jwt allows for {@code exp} by default. */
    private static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(60);

    /** Bounds the memory: past it, the users are dropped and read from their tokens again. */
    static final int MAX_USERS = 10_000;

    /** Whether an {@code iat} (epoch seconds) lies further in the future than clocks may disagree. */
    static boolean issuedInTheFuture(long issuedAtEpochSeconds) {
        return issuedAtEpochSeconds > Instant.now().plus(CLOCK_SKEW).getEpochSecond();
    }

    /** The user a verified token stands for, read from that very token instance and its roles. */
    private record TokenUser(JsonWebToken token, Set<String> grantedRoles, HubUser user) {
    }

    private final DeletedSubjects deletedAccounts;
    /*
     * By token text. The verified token instance is remembered by CachingJwtParser, so the claims of a
     * token seen again need not be read (each read converts JSON) nor its user built again, once per
     * request or connection; the instance check keeps this to the very token that verified.
     */
    private final CappedCache<String, TokenUser> users = new CappedCache<>(MAX_USERS);

    JwtUserAugmentor(DeletedSubjects deletedAccounts) {
        this.deletedAccounts = deletedAccounts;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        HubUser user;
        try {
            user = userOf(jwt, identity.getRoles());
        } catch (RuntimeException refused) {
            return Uni.createFrom().failure(refused);
        }
        // A token from the future is forged or from a badly set clock; either way it is not valid yet.
        if (issuedInTheFuture(jwt.getIssuedAtTime())) {
            return Uni.createFrom().failure(CredentialRefused.because(AccessProblems.ISSUED_IN_THE_FUTURE));
        }
        String subject = user.id();
        SecurityIdentity augmented = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(user.roles())
                .addAttribute(CurrentUser.ATTRIBUTE, user)
                .build();
        Optional<Boolean> known = deletedAccounts.known(subject);
        if (known.isPresent()) {
            return known.get() ? refusedAsDeleted() : Uni.createFrom().item(augmented);
        }
        // The look-up is JDBC: it must not run on the event loop.
        return context.runBlocking(() -> {
            if (deletedAccounts.lookUp(subject)) {
                throw deletedAccount();
            }
            return augmented;
        });
    }

    /** The user the token stands for; throws the refusal when a claim every user needs is missing. */
    private HubUser userOf(JsonWebToken jwt, Set<String> grantedRoles) {
        String raw = jwt.getRawToken();
        TokenUser known = raw == null ? null : users.get(raw);
        if (known != null && known.token() == jwt && known.grantedRoles().equals(grantedRoles)) {
            return known.user();
        }
        HubUser user = readUser(jwt, grantedRoles);
        if (raw != null) {
            users.put(raw, new TokenUser(jwt, Set.copyOf(grantedRoles), user));
        }
        return user;
    }

    private static HubUser readUser(JsonWebToken jwt, Set<String> grantedRoles) {
        String subject = jwt.getSubject();
        Object tenant = jwt.getClaim(TENANT_CLAIM);
        if (subject == null || subject.isBlank()) {
            throw CredentialRefused.because("The token has no subject: claim sub missing (it names the user).");
        }
        if (tenant == null || unquote(tenant.toString()).isBlank()) {
            throw CredentialRefused.because(
                    "The token has no tenant: claim " + TENANT_CLAIM + " missing (every user belongs to a tenant).");
        }
        Set<String> roles = new HashSet<>(grantedRoles);
        // "agent" belongs to API keys only: a token's groups cannot make a person an agent.
        roles.remove(Roles.AGENT);
        roles.add(Roles.USER);
        // A connection lives no longer than its token (as ASP.NET Core's CloseOnAuthenticationExpiration).
        Instant expiresAt = jwt.getExpirationTime() > 0 ? Instant.ofEpochSecond(jwt.getExpirationTime()) : null;
        return new HubUser(subject, displayName(jwt, subject), unquote(tenant.toString()), roles, expiresAt);
    }

    private static Uni<SecurityIdentity> refusedAsDeleted() {
        return Uni.createFrom().failure(deletedAccount());
    }

    private static RuntimeException deletedAccount() {
        return CredentialRefused.because("The token's account was deleted: sign in with an existing account.");
    }

    private static String displayName(JsonWebToken jwt, String fallback) {
        String preferred = jwt.getClaim("preferred_username");
        if (preferred != null && !preferred.isBlank()) {
            return preferred;
        }
        String upn = jwt.getClaim("upn");
        return upn != null && !upn.isBlank() ? upn : fallback;
    }

    // Claims of JSON type may come back as JsonString, whose toString() keeps the quotes.
    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
