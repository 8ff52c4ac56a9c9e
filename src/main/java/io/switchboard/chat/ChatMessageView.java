package io.switchboard.chat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A chat message as clients see it: the {@code ReceiveMessage} payload and a history entry. */
@RegisterForReflection // Jackson serializes records reflectively in a native image.
public record ChatMessageView(String messageId, String workflowId, String userId, String displayName,
                              String content, Instant timestamp) {
}
