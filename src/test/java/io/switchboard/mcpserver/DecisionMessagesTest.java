package io.switchboard.mcpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.pendingchange.PendingChangeStatus;
import io.switchboard.pendingchange.PendingChangeView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The decision messages replicas exchange for MCP waits: the id readable without parsing the JSON. */
class DecisionMessagesTest {

    private final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();

    @Test
    void theChangeIdComesFirstAndTheRestIsTheDecision() throws Exception {
        String id = UUID.randomUUID().toString();
        PendingChangeView change = new PendingChangeView(id, PendingChangeStatus.Approved, "t", null, null,
                Instant.parse("2026-12-06T10:00:00Z"), null, null, null, null, null);
        byte[] payload = DecisionWaits.encode(json, new DecisionWaits.Decision("tenant-a", change));

        assertEquals(id, DecisionWaits.changeIdOf(payload));
        String text = new String(payload, StandardCharsets.UTF_8);
        DecisionWaits.Decision read = json.readValue(text.substring(text.indexOf('\n') + 1), DecisionWaits.Decision.class);
        assertEquals("tenant-a", read.tenantId());
        assertEquals(PendingChangeStatus.Approved, read.change().status());
    }

    @Test
    void aMessageOfTheVersionBeforeHasNoIdLine() {
        assertNull(DecisionWaits.changeIdOf("{\"tenantId\":\"a\",\"change\":{}}".getBytes(StandardCharsets.UTF_8)));
    }
}
