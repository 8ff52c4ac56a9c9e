package io.switchboard.signalr.transport;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Shrinks Mutiny's "small" buffer from 256 to 16 slots before the first connection opens.
 * websockets-next gives every connection a Mutiny multi-producer queue for its callbacks, and Mutiny
 * allocates that queue's first chunk at the small-buffer size: 257 references, about 1 KB of heap per
 * connection for its whole life, mostly empty (a connection has at most a few callbacks waiting; the
 * hub's own invocation queue holds 32). The queue is unbounded and links a new chunk when one fills,
 * so a smaller chunk limits nothing. The same size is the default prefetch of a few Mutiny stream
 * operators, which the service does not use on any path that streams much.
 */
@ApplicationScoped
class SmallCallbackQueues {

    static final int SLOTS = 16;

    void onStart(@Observes StartupEvent start) {
        Infrastructure.setBufferSizeS(SLOTS);
    }
}
