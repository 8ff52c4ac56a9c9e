package io.switchboard.signalr.server;

import io.quarkus.arc.DefaultBean;
import jakarta.inject.Singleton;

/** The engine's {@link RefusalRenderer}: {@code application/problem+json}. */
@DefaultBean
@Singleton
public class ProblemJsonRenderer implements RefusalRenderer {

    @Override
    public Rendered render(Refusal refusal) {
        return new Rendered(ProblemDetails.MEDIA_TYPE, ProblemDetails.of(refusal.status(), refusal.detail()).toJson());
    }
}
