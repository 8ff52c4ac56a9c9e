package io.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSourceListener;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * In production the console writes JSON lines (application.properties, {@code %prod}); this profile
 * turns them on with the same {@code quarkus.log.console.json.*} settings, and the lines are written by
 * the console handler's own formatter, then read back. A WARN with an exception carries its type,
 * message and frames (the {@code exception-output-type} setting); the pool's "driver failed" warning
 * carries the driver's exception and its cause (before, its line held the message alone).
 */
@QuarkusTest
@TestProfile(JsonLogKeepsExceptionsTest.JsonConsole.class)
class JsonLogKeepsExceptionsTest {

    /** The production console: JSON lines. */
    public static class JsonConsole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.console.json.enabled", "true");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL_CATEGORY = "io.agroal.pool";

    @Test
    void aWarningWithAnExceptionCarriesItsTypeMessageAndStack() throws Exception {
        Formatter console = consoleJsonFormatter();
        ExtLogRecord record = new ExtLogRecord(org.jboss.logmanager.Level.WARN, "Something failed", "test");
        record.setLoggerName("io.switchboard.test");
        record.setThrown(new IllegalStateException("the reason", new java.io.IOException("the cause")));

        JsonNode line = JSON.readTree(console.format(record));

        assertEquals("WARN", line.path("level").asText());
        JsonNode exception = line.path("exception");
        assertEquals(IllegalStateException.class.getName(), exception.path("exceptionType").asText(), line.toString());
        assertEquals("the reason", exception.path("message").asText());
        assertTrue(exception.path("frames").size() > 0, "the stack's frames: " + line);
        assertEquals(java.io.IOException.class.getName(),
                exception.path("causedBy").path("exception").path("exceptionType").asText(), line.toString());
    }

    @Test
    void thePoolsDriverFailedWarningCarriesTheDriversExceptionAndItsCause() throws Exception {
        Formatter console = consoleJsonFormatter();
        List<String> lines = new ArrayList<>();
        ExtHandler capture = new ExtHandler() {
            @Override
            protected void doPublish(ExtLogRecord record) {
                lines.add(console.format(record));
            }
        };
        Logger pool = LogContext.getLogContext().getLogger(POOL_CATEGORY);
        pool.addHandler(capture);
        try {
            // What Agroal tells its listener when a connection being opened fails; pgJDBC's words when the
            // thread opening it is interrupted (its login-timeout wait).
            poolListener().onWarning(new PSQLException(
                    "Something unusual has occurred to cause the driver to fail. Please report this exception.",
                    PSQLState.UNEXPECTED_ERROR, new RuntimeException("Interrupted while attempting to connect.")));
        } finally {
            pool.removeHandler(capture);
        }

        assertEquals(1, lines.size(), "one line: " + lines);
        JsonNode line = JSON.readTree(lines.get(0));
        assertEquals("WARN", line.path("level").asText(), line.toString());
        assertEquals("Datasource '<default>': Something unusual has occurred to cause the driver to fail. Please report this exception.",
                line.path("message").asText(), line.toString());
        JsonNode exception = line.path("exception");
        assertEquals(PSQLException.class.getName(), exception.path("exceptionType").asText(), line.toString());
        assertTrue(exception.path("frames").size() > 0, "the stack's frames: " + line);
        JsonNode cause = exception.path("causedBy").path("exception");
        assertEquals(RuntimeException.class.getName(), cause.path("exceptionType").asText(), line.toString());
        assertEquals("Interrupted while attempting to connect.", cause.path("message").asText());
    }

    @Test
    void thePoolsOtherRecordsKeepTheConfiguredLevel() {
        Logger pool = LogContext.getLogContext().getLogger(POOL_CATEGORY);
        List<ExtLogRecord> written = new ArrayList<>();
        ExtHandler capture = new ExtHandler() {
            @Override
            protected void doPublish(ExtLogRecord record) {
                written.add(record);
            }
        };
        pool.addHandler(capture);
        try {
            AgroalDataSourceListener listener = poolListener();
            listener.onWarning("a warning without an exception");
            org.jboss.logging.Logger.getLogger(POOL_CATEGORY).debug("below the configured INFO");
        } finally {
            pool.removeHandler(capture);
        }
        assertEquals(1, written.size(), "the WARN only, as soon as it is logged");
        assertEquals("Datasource '<default>': a warning without an exception", written.get(0).getFormattedMessage());
    }

    /** The listener Quarkus gives every data source: it logs what the pool tells it (not public). */
    private static AgroalDataSourceListener poolListener() {
        try {
            var constructor = Class.forName("io.quarkus.agroal.runtime.AgroalEventLoggingListener")
                    .getDeclaredConstructor(String.class, boolean.class);
            constructor.setAccessible(true);
            return (AgroalDataSourceListener) constructor.newInstance("<default>", false);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Formatter consoleJsonFormatter() {
        Formatter found = find(LogContext.getLogContext().getLogger("").getHandlers());
        assertNotNull(found, "the console handler's JSON formatter");
        return found;
    }

    private static Formatter find(Handler[] handlers) {
        for (Handler handler : handlers) {
            if (handler.getFormatter() instanceof JsonFormatter json) {
                return json;
            }
            if (handler instanceof ExtHandler ext) {
                Formatter nested = find(ext.getHandlers());
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }
}
