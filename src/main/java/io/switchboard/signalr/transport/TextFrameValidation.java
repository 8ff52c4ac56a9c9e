package io.switchboard.signalr.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Refuses a WebSocket text frame that is not valid UTF-8 with close code 1007, as RFC 6455 requires.
 * Vert.x decodes text frames itself, replacing invalid bytes, so by the time a hub sees a message the
 * difference is gone; Netty's validator, put right behind the WebSocket frame decoder, sees the bytes.
 * (Netty's own WebSocket protocol handler would add it; Vert.x does the handshake without it.) It is
 * added when the socket opens: frames a client sent in the same packets as its upgrade request may
 * already have passed unchecked.
 */
final class TextFrameValidation {

    private static final Logger LOG = Logger.getLogger(TextFrameValidation.class);
    private static final String NAME = "switchboard-utf8-validator";

    private TextFrameValidation() {
    }

    /** What to run once the upgrade of {@code request} is done: adds the validator to its connection. */
    static Runnable installer(HttpServerRequest request) {
        if (!(request.connection() instanceof ConnectionBase connection)) {
            return () -> {
            };
        }
        return () -> {
            io.netty.channel.EventLoop eventLoop = connection.channel().eventLoop();
            if (eventLoop.inEventLoop()) {
                install(connection.channel().pipeline()); // before another frame is read
            } else {
                eventLoop.execute(() -> install(connection.channel().pipeline()));
            }
        };
    }

    private static void install(ChannelPipeline pipeline) {
        if (pipeline.get(NAME) != null) {
            return;
        }
        // Behind both the frame decoder and the frame encoder: frames reach it decoded, and the close
        // frame it writes on a violation (1007, true below) passes through the encoder.
        String after = null;
        for (Map.Entry<String, ChannelHandler> handler : pipeline) {
            if (handler.getValue() instanceof WebSocketFrameDecoder || handler.getValue() instanceof WebSocketFrameEncoder) {
                after = handler.getKey();
            }
        }
        if (after != null) {
            pipeline.addAfter(after, NAME, new Utf8FrameValidator(true));
            return;
        }
        LOG.debugf("No WebSocket frame decoder in the pipeline %s: text frames are not validated", pipeline.names());
    }
}
