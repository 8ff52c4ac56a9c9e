package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Any frame written as a Server-Sent Event reaches an EventSource parser (the WHATWG rules the
 * browser applies) as exactly one event whose data is the frame, line breaks normalized to LF: a
 * frame can never end its event early or smuggle in another field or event.
 */
class ServerSentEventsFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void everyFrameArrivesAsExactlyOneEventWithItsOwnData(byte[] payload) {
        if (payload.length == 0) {
            return; // never sent: every frame holds at least one message
        }
        List<String> events = eventSourceDataOf(ServerSentEventsFormat.event(payload).getBytes());
        assertEquals(List.of(normalizedLineBreaks(payload)), events);
    }

    /** The same for ten minutes: `.ci/fuzz --long` (docs/security.md). */
    @FuzzTest(maxDuration = "10m")
    void everyFrameArrivesAsExactlyOneEventWithItsOwnDataLong(byte[] payload) {
        everyFrameArrivesAsExactlyOneEventWithItsOwnData(payload);
    }

    /** LF, CR and CRLF all end a line for EventSource; its data lines are joined with LF. */
    private static String normalizedLineBreaks(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == '\r') {
                out.write('\n');
                if (i + 1 < payload.length && payload[i + 1] == '\n') {
                    i++;
                }
            } else {
                out.write(payload[i]);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The data of every event dispatched while reading {@code stream} (html.spec.whatwg.org, "server-sent events"). */
    static List<String> eventSourceDataOf(byte[] stream) {
        List<String> events = new ArrayList<>();
        StringBuilder data = null;
        int lineStart = 0;
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] != '\r' && stream[i] != '\n') {
                continue;
            }
            String line = new String(stream, lineStart, i - lineStart, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (stream[i] == '\r' && i + 1 < stream.length && stream[i + 1] == '\n') {
                i++;
            }
            lineStart = i + 1;
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(data.toString());
                }
                data = null;
            } else if (line.startsWith("data")) {
                String value = line.startsWith("data:") ? line.substring(5) : "";
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
            // comments (":") and other fields carry no data
        }
        return events;
    }
}
