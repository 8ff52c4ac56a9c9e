package io.switchboard.chat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.switchboard.testing.HubClient;
import io.switchboard.testing.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/** What the ChatHub tests share: people connecting with their JWT, unique names, the quiet period. */
abstract class ChatHubTesting {

    static final Duration QUIET = Duration.ofMillis(800);

    @TestHTTPResource("/")
    URI base;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    HubClient connect(String userId, String tenant) {
        return HubClient.connect(base, ChatHub.PATH, TestTokens.user(userId, tenant));
    }
}
