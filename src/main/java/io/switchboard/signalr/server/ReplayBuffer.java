package io.switchboard.signalr.server;

import io.switchboard.signalr.protocol.HubInvocationMessage;
import io.switchboard.signalr.protocol.HubMessage;
import io.switchboard.signalr.protocol.HubProtocolException;
import io.switchboard.signalr.protocol.SequenceMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The stateful-reconnect bookkeeping of one connection (ASP.NET Core's {@code MessageBuffer}): numbers
 * the invocation messages sent and keeps them until the client acknowledges them, so they can be
 * replayed on a new transport; numbers those received, so a message the client replays is processed
 * once. Sequence ids start at 1 in both directions (HubProtocol.md, "Sequence IDs").
 *
 * <p>Unlike ASP.NET Core, a full buffer does not block the writer (writes come from event loops and
 * from fan-outs to many connections): {@link #add} refuses the message and the caller closes the
 * connection, so memory stays bounded and nothing is ever dropped silently.
 */
final class ReplayBuffer {

    /** When the buffer is full: the most bytes and the most messages it keeps unacknowledged. */
    record Limits(long maxBytes, int maxMessages) {
    }

    private record Sent(long sequenceId, EncodedFrame frame) {
    }

    private final Limits limits;
    private final ArrayDeque<Sent> unacknowledged = new ArrayDeque<>();
    private long bufferedBytes;
    private long lastSentId;

    private long nextReceivedId = 1;
    private long latestReceivedId;
    private long lastAcknowledgedId;
    private boolean waitingForSequence;

    ReplayBuffer(Limits limits) {
        this.limits = limits;
    }

    /** Whether a message of this kind is numbered, kept and replayed (HubProtocol.md, "Trackable messages"). */
    static boolean isSequenced(HubMessage message) {
        return message instanceof HubInvocationMessage;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Numbers and keeps a sequenced message about to be sent; false, keeping nothing, when the buffer
     * is already full. A single message larger than the limit is still kept when the buffer is empty.
     */
    synchronized boolean add(EncodedFrame frame) {
        if (!unacknowledged.isEmpty()
                && (bufferedBytes >= limits.maxBytes() || unacknowledged.size() >= limits.maxMessages())) {
            return false;
        }
        unacknowledged.addLast(new Sent(++lastSentId, frame));
        bufferedBytes += frame.bytes().length;
        return true;
    }

    /** The client has every message up to {@code sequenceId}: they need no replay any more. */
    synchronized void acknowledge(long sequenceId) {
        while (!unacknowledged.isEmpty() && unacknowledged.peekFirst().sequenceId() <= sequenceId) {
            bufferedBytes -= unacknowledged.removeFirst().frame().bytes().length;
        }
    }

    /** The id the next replayed (or, with nothing to replay, the next new) message carries. */
    synchronized long resendFrom() {
        return unacknowledged.isEmpty() ? lastSentId + 1 : unacknowledged.peekFirst().sequenceId();
    }

    /** Every sent message the client has not acknowledged, oldest first. */
    synchronized List<EncodedFrame> unacknowledgedFrames() {
        List<EncodedFrame> frames = new ArrayList<>(unacknowledged.size());
        for (Sent sent : unacknowledged) {
            frames.add(sent.frame());
        }
        return frames;
    }

    synchronized int size() {
        return unacknowledged.size();
    }

    // ---------------------------------------------------------------- receiving

    /** After a reattach the client's messages count only from its Sequence message on. */
    synchronized void expectSequence() {
        waitingForSequence = true;
        // The last Ack may have been lost with the old transport: acknowledge again.
        lastAcknowledgedId = 0;
    }

    /**
     * Whether a received message is new: false for anything before the awaited Sequence and for a
     * sequenced message already processed (a replayed duplicate).
     */
    synchronized boolean shouldProcess(HubMessage message) {
        if (waitingForSequence) {
            if (message instanceof SequenceMessage) {
                waitingForSequence = false;
                return true;
            }
            return false;
        }
        if (!isSequenced(message)) {
            return true;
        }
        long id = nextReceivedId++;
        if (id <= latestReceivedId) {
            return false;
        }
        latestReceivedId = id;
        return true;
    }

    /**
     * The client's next message carries {@code sequenceId}.
     *
     * @throws HubProtocolException when it claims messages the server never received
     */
    synchronized void resetSequence(long sequenceId) {
        if (sequenceId > nextReceivedId || sequenceId < 1) {
            throw new HubProtocolException("The Sequence message's id is ahead of the messages received.");
        }
        nextReceivedId = sequenceId;
    }

    /** The id to acknowledge, when messages were received since the last Ack; it counts as sent. */
    synchronized OptionalLong acknowledgementDue() {
        if (latestReceivedId <= lastAcknowledgedId) {
            return OptionalLong.empty();
        }
        lastAcknowledgedId = latestReceivedId;
        return OptionalLong.of(latestReceivedId);
    }
}
