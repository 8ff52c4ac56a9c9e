package io.switchboard.signalr.redis;

/**
 * Every Redis pub/sub channel of one hub, in one place (as ASP.NET Core's RedisChannels):
 * {@code <prefix><hub>:all}, {@code :connection:<id>}, {@code :user:<userKey>} and {@code :group:<name>}.
 * The prefix keeps deployments (and test runs) sharing one Redis apart.
 */
public final class RedisChannels {

    private final String prefix;

    public RedisChannels(String keyPrefix, String hubName) {
        this.prefix = keyPrefix + hubName + ":";
    }

    public String all() {
        return prefix + "all";
    }

    public String connection(String connectionId) {
        return prefix + "connection:" + connectionId;
    }

    public String user(String userKey) {
        return prefix + "user:" + userKey;
    }

    public String group(String group) {
        return prefix + "group:" + group;
    }
}
