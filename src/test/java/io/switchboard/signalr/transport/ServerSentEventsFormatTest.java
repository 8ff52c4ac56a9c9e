package io.switchboard.signalr.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Frames as Server-Sent Events, as ASP.NET Core's ServerSentEventsMessageFormatter writes them. */
class ServerSentEventsFormatTest {

    private static String event(String payload) {
        return ServerSentEventsFormat.event(payload.getBytes(StandardCharsets.UTF_8)).toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSingleLineFrameIsOneDataLineAndABlankLine() {
        assertEquals("data: {\"type\":6}\u001e\r\n\r\n", event("{\"type\":6}\u001e"));
    }

    @Test
    void aFrameWithLineBreaksIsSplitIntoSeveralDataLines() {
        assertEquals("data: first\r\ndata: second\r\ndata: third\r\n\r\n", event("first\nsecond\r\nthird"));
    }

    @Test
    void aTrailingLineBreakKeepsAnEmptyLastLine() {
        assertEquals("data: line\r\ndata: \r\n\r\n", event("line\n"));
    }

    @Test
    void anEmptyFrameIsJustTheBlankLine() {
        assertEquals("\r\n", event(""));
    }

    @Test
    void aLoneCarriageReturnEndsALineTooSoNoFieldCanBeSmuggledIn() {
        assertEquals("data: a\r\ndata: data: injected\r\ndata: \r\ndata: \r\n\r\n", event("a\rdata: injected\r\r"));
    }
}
