package io.switchboard.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test observer of {@link ApiKeyRevoked}, the way the connection closer observes it: after commit. */
@ApplicationScoped
public class RecordedRevocations {

    private final List<ApiKeyRevoked> committed = new CopyOnWriteArrayList<>();

    void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) ApiKeyRevoked event) {
        committed.add(event);
    }

    List<ApiKeyRevoked> committed() {
        return List.copyOf(committed);
    }
}
