package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SignalR JSON text into records: each ends with the record separator 0x1E, one WebSocket
 * message may hold several, and a record may continue in the next message (the tail is kept).
 */
final class Records {
    static final char RS = '\u001e';
    private final StringBuilder tail = new StringBuilder();

    List<String> feed(String text) {
        List<String> out = new ArrayList<>(2);
        int from = 0;
        int end;
        while ((end = text.indexOf(RS, from)) >= 0) {
            if (tail.length() > 0) {
                out.add(tail.append(text, from, end).toString());
                tail.setLength(0);
            } else {
                out.add(text.substring(from, end));
            }
            from = end + 1;
        }
        if (from < text.length()) {
            tail.append(text, from, text.length());
        }
        return out;
    }
}
