package io.switchboard.signalr.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Two checks on a hub's WebSocket that only the Netty pipeline can make, put right behind the frame
 * decoder when the socket opens:
 * <ul>
 * <li>A text frame that is not valid UTF-8 is refused with close code 1007, as RFC 6455 requires.
 * Vert.x decodes text frames itself, replacing invalid bytes, so by the time a hub sees a message the
 * difference is gone; Netty's validator sees the bytes. (Netty's own WebSocket protocol handler would
 * add it; Vert.x does the handshake without it.)</li>
 * <li>A frame longer than the transport's bound: Vert.x would close the socket at once (1006 for the
 * client, nothing said). Caught here instead, it becomes the hub's "message too large" Close message,
 * as for any message over the hub's limit. The decoder discards everything after such a frame.</li>
 * </ul>
 * Frames a client sent in the same packets as its upgrade request may already have passed before
 * the checks are in place.
 */
final class WebSocketFrameGuards {

    private static final Logger LOG = Logger.getLogger(WebSocketFrameGuards.class);
    private static final String UTF8_VALIDATOR = "switchboard-utf8-validator";
    private static final String OVERSIZED_FRAMES = "switchboard-oversized-frames";

    private WebSocketFrameGuards() {
    }

    /**
     * Adds the checks to an upgraded connection's {@code channel}, once its socket is open;
     * {@code onOversizedFrame} runs (on the channel's event loop) when a frame is too long.
     */
    static void install(Channel channel, Runnable onOversizedFrame) {
        if (channel.eventLoop().inEventLoop()) {
            install(channel.pipeline(), onOversizedFrame); // before another frame is read
        } else {
            channel.eventLoop().execute(() -> install(channel.pipeline(), onOversizedFrame));
        }
    }

    private static void install(ChannelPipeline pipeline, Runnable onOversizedFrame) {
        if (pipeline.get(UTF8_VALIDATOR) != null) {
            return;
        }
        // Behind both the frame decoder and the frame encoder: frames reach the validator decoded, and the
        // close frame it writes on a violation (1007, true below) passes through the encoder.
        String after = null;
        for (Map.Entry<String, ChannelHandler> handler : pipeline) {
            if (handler.getValue() instanceof WebSocketFrameDecoder || handler.getValue() instanceof WebSocketFrameEncoder) {
                after = handler.getKey();
            }
        }
        if (after == null) {
            LOG.debugf("No WebSocket frame decoder in the pipeline %s: frames are not checked", pipeline.names());
            return;
        }
        pipeline.addAfter(after, UTF8_VALIDATOR, new Utf8FrameValidator(true));
        pipeline.addAfter(after, OVERSIZED_FRAMES, new OversizedFrames(onOversizedFrame));
    }

    /** Turns the decoder's "frame too long" into the hub's Close; other failures pass on to Vert.x. */
    private static final class OversizedFrames extends ChannelInboundHandlerAdapter {

        private final Runnable onOversizedFrame;
        private boolean reported;

        OversizedFrames(Runnable onOversizedFrame) {
            this.onOversizedFrame = onOversizedFrame;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            if (cause instanceof CorruptedWebSocketFrameException corrupted
                    && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
                if (!reported) {
                    reported = true;
                    onOversizedFrame.run();
                }
                return;
            }
            context.fireExceptionCaught(cause);
        }
    }
}
