package io.switchboard.api;

import java.util.Collection;

/**
 * Sentences for refused REST requests that say what the caller should fix, from whoever knows the
 * credentials (the security package). They go into problem bodies, so they never quote a credential.
 */
public interface AccessSentences {

    /**
     * Why a request is {@code 401}: {@code failure} is what refused the credential, or null when the
     * request carried none. Also logs the reason at DEBUG, with {@code path} (never the query).
     */
    String unauthenticated(Throwable failure, String path);

    /** Why a REST call is {@code 403}: the roles the operation allows, said the way a caller can act on. */
    String forbidden(Collection<String> allowedRoles, String path);
}
