package io.switchboard.pendingchange;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The API key that proposed a change, so an approver sees which agent asks. Reflection-registered for
 * Jackson in a native image.
 *
 * @param apiKeyId the key's id
 * @param name     the key's name when the change was proposed (null only for a change older than this
 *                 field whose key no longer exists)
 */
@RegisterForReflection
@Schema(description = "The API key that proposed the change.")
public record ProposedBy(@Schema(description = "The key's id.") String apiKeyId,
                         @Schema(description = "The key's name when it proposed the change.", nullable = true) String name) {
}
