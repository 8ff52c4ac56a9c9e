package io.switchboard.signalr.transport;

import io.quarkus.websockets.next.HttpUpgradeCheck.CheckResult;
import io.switchboard.signalr.server.Refusal;
import io.switchboard.signalr.server.RefusalRenderer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link Refusal}: the one place a refused request on a hub path (or in a filter ahead of
 * REST) gets its status, headers and rendered body, whichever way the response is written.
 */
@Singleton
public class RefusalResponses {

    private final RefusalRenderer renderer;

    public RefusalResponses(RefusalRenderer renderer) {
        this.renderer = renderer;
    }

    /** Answers {@code response}, unless it was answered or closed already. */
    public void write(HttpServerResponse response, Refusal refusal) {
        if (response.ended() || response.closed()) {
            return;
        }
        RefusalRenderer.Rendered rendered = renderer.render(refusal);
        refusal.headers().forEach(response::putHeader);
        response.setStatusCode(refusal.status()).putHeader(HttpHeaders.CONTENT_TYPE, rendered.contentType())
                .end(rendered.body());
    }

    /** The refusal as a Quarkus REST answer. */
    public Response toResponse(Refusal refusal) {
        RefusalRenderer.Rendered rendered = renderer.render(refusal);
        Response.ResponseBuilder response = Response.status(refusal.status())
                .type(rendered.contentType()).entity(rendered.body());
        refusal.headers().forEach(response::header);
        return response.build();
    }

    /** The refusal as a WebSocket upgrade check's answer, which carries no body. */
    static CheckResult rejectUpgrade(Refusal refusal) {
        Map<String, List<String>> headers = refusal.headers().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, header -> List.of(header.getValue())));
        return CheckResult.rejectUpgradeSync(refusal.status(), headers);
    }
}
