package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.junit.jupiter.api.Test;

/** Every WebSocket's callback queue starts at 16 slots, not Mutiny's default of 256 (about 1 KB less each). */
@QuarkusTest
class SmallCallbackQueuesTest {

    @Test
    void theServiceStartsWithSmallMutinyBuffers() {
        assertEquals(SmallCallbackQueues.SLOTS, Infrastructure.getBufferSizeS());
    }
}
