package io.switchboard.signalr.transport;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The answer to {@code POST {hub}/negotiate} (TransportProtocols.md). {@code connectionToken} is
 * absent for negotiate version 0; {@code useStatefulReconnect} is present (true) only when the client
 * asked for it and the server grants it. Registered for reflection because Jackson reads records
 * reflectively in a native image.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NegotiateResponse(String connectionId, String connectionToken, int negotiateVersion,
                                List<AvailableTransport> availableTransports, Boolean useStatefulReconnect) {

    /** One transport the client may use, with the transfer formats it carries. */
    @RegisterForReflection
    public record AvailableTransport(String transport, List<String> transferFormats) {
    }
}
