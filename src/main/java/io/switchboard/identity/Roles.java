package io.switchboard.identity;

/** Role names, as they appear in the JWT {@code groups} claim and on API-key identities. */
public final class Roles {

    /** Every valid JWT: a person using the web chat. */
    public static final String USER = "user";
    /** May approve and reject pending changes. */
    public static final String APPROVER = "approver";
    /** May approve, reject and manage API keys. */
    public static final String ADMIN = "admin";
    /** An AI agent signed in with an API key. */
    public static final String AGENT = "agent";

    private Roles() {
    }
}
