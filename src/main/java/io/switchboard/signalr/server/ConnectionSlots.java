package io.switchboard.signalr.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The connections each user holds, counted so that a cap holds: taking a slot checks the count and
 * adds to it in one atomic step, over every replica when they share Redis. A slot is a lease named by
 * its connection id; it is given back when the connection ends or its negotiation expires unclaimed,
 * and the engine renews the slots of open connections, so those of a replica that died lapse on their
 * own ({@link SignalRConfig#connectionSlotLease()}).
 */
public interface ConnectionSlots {

    /**
     * Takes a slot for {@code connectionId} among those of {@code userKey} when the user holds fewer
     * than {@code cap}; completes with whether it was taken. Never fails: when the shared count cannot
     * be reached, the replica counts on its own.
     */
    CompletionStage<Boolean> take(String userKey, String connectionId, int cap);

    /** Gives the slot back; nothing happens when it is not held. */
    void release(String userKey, String connectionId);

    /**
     * Extends the leases of these open connections, by user. A shared count may add back ones it lost
     * (Redis restarted), so that open connections count again.
     */
    void renew(Map<String, List<String>> connectionIdsByUser);

    /** The ids of {@code holders} by owner, as {@link #renew} takes them. */
    static <T> Map<String, List<String>> byOwner(Collection<T> holders, Function<T, String> owner,
                                                 Function<T, String> id) {
        Map<String, List<String>> grouped = new HashMap<>();
        holders.forEach(holder -> grouped.computeIfAbsent(owner.apply(holder), key -> new ArrayList<>()).add(id.apply(holder)));
        return grouped;
    }
}
