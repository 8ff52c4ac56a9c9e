package io.switchboard.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key sent by an AI agent, to be checked by {@link ApiKeyIdentityProvider}. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    // Never the key: requests can end up in log and exception messages.
    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest";
    }
}
