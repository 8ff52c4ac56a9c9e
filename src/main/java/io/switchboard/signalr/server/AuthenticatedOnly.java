package io.switchboard.signalr.server;

import io.quarkus.arc.DefaultBean;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The engine's {@link HubAdmission} when the application has none: any authenticated caller. */
@DefaultBean
@Singleton
class AuthenticatedOnly implements HubAdmission {

    @Override
    public CompletionStage<Optional<Refusal>> decide(AdmissionRequest request) {
        return CompletableFuture.completedFuture(request.authenticated() ? Optional.empty()
                : Optional.of(Refusal.unauthenticated("This needs a valid credential.")));
    }
}
