package io.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordsTest {

    @Test
    void splitsRecordsAndKeepsAnUnfinishedTail() {
        Records records = new Records();
        assertEquals(List.of("{}", "{\"type\":6}"), records.feed("{}\u001e{\"type\":6}\u001e{\"type\":1,"));
        assertEquals(List.of("{\"type\":1,\"target\":\"X\"}"), records.feed("\"target\":\"X\"}\u001e"));
        assertEquals(List.of(), records.feed(""));
    }

    @Test
    void readsMembersByScanning() {
        String record = "{\"type\":1,\"target\":\"PendingChangeApproved\",\"arguments\":[{\"pendingChangeId\":\"a-1\",\"note\":\"x\\\"y\"}]}";
        assertEquals(1, Json.integer(record, "type"));
        assertEquals("PendingChangeApproved", Json.string(record, "target"));
        assertEquals("a-1", Json.string(record, "pendingChangeId"));
        assertEquals("x\\\"y", Json.string(record, "note"));
        assertNull(Json.string(record, "missing"));
        assertEquals(-1, Json.integer("{}", "type"));
    }

    @Test
    void quotesWhatJsonNeedsQuoted() {
        assertEquals("\"a\\\"b\\\\c\\u000a\"", Json.quote("a\"b\\c\n"));
    }
}
