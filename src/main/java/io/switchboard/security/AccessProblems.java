package io.switchboard.security;

import io.quarkus.security.UnauthorizedException;
import io.switchboard.api.AccessSentences;
import io.switchboard.identity.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Turns a refused credential or a missing role into a sentence that says what to fix: the token
 * expired, its issuer does not match, a claim is missing, the hub takes the other kind of credential,
 * the role needed. The same sentence is logged at DEBUG, so wiring up an identity provider is not
 * guesswork. Unknown, revoked and expired API keys read the same (see {@link ApiKeyIdentityProvider}).
 */
@ApplicationScoped
public class AccessProblems implements AccessSentences {

    private static final Logger LOG = Logger.getLogger(AccessProblems.class);

    static final String NO_CREDENTIAL = "This needs a credential: a person's JWT as 'Authorization: Bearer <token>', "
            + "or an agent's API key as 'X-Api-Key: <key>' (on hub paths either may also go in the access_token query "
            + "parameter).";
    static final String INVALID_TOKEN = "The token is not a valid JWT for this service: check its signature, "
            + "issuer (iss), audience (aud) and expiry (exp).";

    static final String ISSUED_IN_THE_FUTURE =
            "The token is issued in the future (claim iat): check the identity provider's clock.";

    private final Optional<String> issuer;
    private final Optional<List<String>> audiences;

    AccessProblems(@ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
                   @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<List<String>> audiences) {
        this.issuer = issuer;
        this.audiences = audiences;
    }

    @Override
    public String unauthenticated(Throwable failure, String path) {
        String detail = describe(failure);
        LOG.debugf("401 on %s: %s", path, detail);
        return detail;
    }

    /** Why a valid credential is {@code 403} on the hub at {@code hubPath}, which requires {@code role}. */
    public String forbiddenOnHub(String hubPath, String role, String path) {
        String detail = switch (role) {
            case Roles.AGENT -> "The hub " + hubPath + " takes an agent's API key (role agent), not a person's JWT.";
            case Roles.USER -> "The hub " + hubPath + " needs a person's JWT (role user); API keys connect to the "
                    + "agents' hub.";
            default -> "The hub " + hubPath + " needs the role " + role + ".";
        };
        LOG.debugf("403 on %s: %s", path, detail);
        return detail;
    }

    @Override
    public String forbidden(Collection<String> allowedRoles, String path) {
        String detail;
        if (allowedRoles.isEmpty()) {
            detail = "You may not call this.";
        } else if (allowedRoles.equals(List.of(Roles.AGENT))) {
            detail = "This takes an agent's API key (role agent), not a person's JWT.";
        } else if (allowedRoles.equals(List.of(Roles.USER))) {
            detail = "This needs a person's JWT (role user); an API key cannot call it.";
        } else {
            detail = "This needs the role " + String.join(" or ", allowedRoles)
                    + " (a JWT whose groups claim holds it).";
        }
        LOG.debugf("403 on %s: %s", path, detail);
        return detail;
    }

    private String describe(Throwable failure) {
        if (failure == null || failure instanceof UnauthorizedException) {
            return NO_CREDENTIAL;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CredentialRefused refused) {
                return refused.detail();
            }
            if (cause instanceof InvalidJwtException invalid) {
                return describe(invalid);
            }
        }
        return INVALID_TOKEN;
    }

    private String describe(InvalidJwtException invalid) {
        // Checked first: a token issued in the future whose exp lies before its iat is refused by jose4j
        // with a code of its own (MISCELLANEOUS), and would otherwise get the generic sentence.
        if (issuedInTheFuture(invalid)) {
            return ISSUED_IN_THE_FUTURE;
        }
        if (invalid.hasExpired()) {
            return "The token expired: get a new one (a connection opened with it closes when it expires).";
        }
        if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "The token's issuer (iss) does not match this service's mp.jwt.verify.issuer"
                    + issuer.map(expected -> " (" + expected + ")").orElse("") + ".";
        }
        if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "The token's audience (aud) does not include this service's mp.jwt.verify.audiences"
                    + audiences.map(expected -> " (" + String.join(", ", expected) + ")").orElse("") + ".";
        }
        if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "The token's signature does not verify with this service's key (mp.jwt.verify.publickey.location):"
                    + " it was signed by another issuer or key.";
        }
        if (invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return ISSUED_IN_THE_FUTURE;
        }
        if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "The token is not valid yet (claim nbf lies in the future): check the clocks.";
        }
        if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "The token has no expiry: claim exp missing.";
        }
        return INVALID_TOKEN;
    }

    /** Whether the refused token's {@code iat} lies further in the future than clocks may disagree. */
    static boolean issuedInTheFuture(InvalidJwtException invalid) {
        try {
            if (invalid.getJwtContext() == null || invalid.getJwtContext().getJwtClaims() == null) {
                return false;
            }
            NumericDate issuedAt = invalid.getJwtContext().getJwtClaims().getIssuedAt();
            return issuedAt != null && JwtUserAugmentor.issuedInTheFuture(issuedAt.getValue());
        } catch (MalformedClaimException e) {
            return false;
        }
    }
}
