package io.switchboard.mcpserver;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/** Runs blocking work (JDBC) on a worker thread; the event loop goes on meanwhile. */
@ApplicationScoped
class Blocking {

    private final Vertx vertx;

    Blocking(Vertx vertx) {
        this.vertx = vertx;
    }

    <T> CompletionStage<T> run(Callable<T> work) {
        // Unordered: calls of one session need not wait for each other.
        return vertx.executeBlocking(work, false).toCompletionStage();
    }
}
