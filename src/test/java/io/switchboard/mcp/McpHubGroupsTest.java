package io.switchboard.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class McpHubGroupsTest {

    @Test
    void subscribersOfTheSameChangeIdInTwoTenantsAreDifferentGroups() {
        String id = UUID.randomUUID().toString();
        assertNotEquals(McpHub.subscribers("tenant-a", id), McpHub.subscribers("tenant-b", id));
    }

    @Test
    void theChangeIdIsReadBackFromTheGroupName() {
        UUID id = UUID.randomUUID();
        assertEquals(Optional.of(id), McpHub.changeIdOf(McpHub.subscribers("tenant:with:colons", id.toString())));
        assertEquals(Optional.empty(), McpHub.changeIdOf("workflow:1:a/b"));
    }
}
