package io.switchboard.signalr.transport;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * One frame as one Server-Sent Event (TransportProtocols.md): each line of the payload becomes a
 * {@code data: } line, and a blank line ends the event. The client joins the lines again with
 * {@code \n}, so a {@code \r\n} or a lone {@code \r} in the payload arrives as {@code \n}, which the
 * protocol allows.
 * Only text frames travel this way; negotiate offers the transport for the Text transfer format only.
 */
final class ServerSentEventsFormat {

    /** Sent first: a comment line, so clients (and Firefox, per ASP.NET Core) see the stream open at once. */
    static final Buffer OPENING = Buffer.buffer(":\r\n");

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private ServerSentEventsFormat() {
    }

    static Buffer event(byte[] payload) {
        Buffer event = Buffer.buffer(payload.length + DATA.length + 2 * CRLF.length);
        if (payload.length > 0) {
            // EventSource ends a line at LF, CR or CRLF: each becomes a line of its own here, or a lone CR
            // in a frame would end the data line early and let the rest pass as another field.
            int lineStart = 0;
            for (int i = 0; i <= payload.length; i++) {
                if (i == payload.length || payload[i] == '\n' || payload[i] == '\r') {
                    event.appendBytes(DATA).appendBytes(payload, lineStart, i - lineStart).appendBytes(CRLF);
                    if (i < payload.length && payload[i] == '\r' && i + 1 < payload.length && payload[i + 1] == '\n') {
                        i++;
                    }
                    lineStart = i + 1;
                }
            }
        }
        return event.appendBytes(CRLF);
    }
}
