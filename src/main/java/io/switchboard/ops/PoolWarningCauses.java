package io.switchboard.ops;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;

/**
 * The connection pool's warnings keep their exception. Quarkus's Agroal listener
 * ({@code AgroalEventLoggingListener.onWarning(Throwable)}) logs a pool failure (a connection that
 * could not be opened, say) as two records on {@code io.agroal.pool}: a WARN with the exception's
 * message only, then the exception itself at DEBUG ({@code "Cause: "}), which the INFO level hides. So
 * the log read "Something unusual has occurred to cause the driver to fail. Please report this
 * exception." and nothing of what happened.
 *
 * <p>At start this lets the logger's DEBUG records through to a filter of its own that joins the
 * two: such a WARN waits (on its thread) for the cause the listener logs right after it, and is
 * written once, at WARN, with the exception. Every other record of the logger is written exactly as
 * the configured level decides ({@code quarkus.log.category."io.agroal.pool".level}).
 */
@ApplicationScoped
class PoolWarningCauses {

    static final String CATEGORY = "io.agroal.pool";
    private static final String LISTENER = "io.quarkus.agroal.runtime.AgroalEventLoggingListener";
    private static final String CAUSE = "Cause:";

    // A strong reference: a logger nobody holds may be collected, taking its level and filter with it.
    private static Logger logger;

    void onStart(@Observes StartupEvent start) {
        install();
    }

    /** Idempotent; the configured level still decides what is written. */
    static synchronized void install() {
        Logger pool = LogContext.getLogContext().getLogger(CATEGORY);
        if (pool.getFilter() instanceof JoinCause) {
            return;
        }
        int configured = pool.getEffectiveLevel();
        pool.setFilter(new JoinCause(configured, pool.getFilter()));
        if (configured > Level.FINE.intValue()) {
            pool.setLevel(Level.FINE);
        }
        logger = pool;
    }

    /** Joins the listener's WARN with the DEBUG record of its cause; otherwise applies the configured level. */
    static final class JoinCause implements Filter {

        private final int configuredLevel;
        private final Filter previous;
        private final ThreadLocal<ExtLogRecord> waiting = new ThreadLocal<>();

        JoinCause(int configuredLevel, Filter previous) {
            this.configuredLevel = configuredLevel;
            this.previous = previous;
        }

        @Override
        public boolean isLoggable(LogRecord record) {
            ExtLogRecord warning = waiting.get();
            if (warning != null && record.getThrown() != null && isCause(record.getMessage())) {
                waiting.remove();
                record.setLevel(warning.getLevel());
                String text = warning.getFormattedMessage();
                if (record instanceof ExtLogRecord ext) {
                    ext.setMessage(text, ExtLogRecord.FormatStyle.NO_FORMAT);
                } else {
                    record.setMessage(text);
                }
                record.setParameters(null);
                return passesPrevious(record);
            }
            if (record.getLevel().intValue() < configuredLevel) {
                return false;
            }
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && record.getThrown() == null
                    && record instanceof ExtLogRecord ext && fromWarningWithThrowable()) {
                // The listener logs the cause right after, on this thread: written then, joined.
                ext.copyAll();
                waiting.set(ext);
                return false;
            }
            return passesPrevious(record);
        }

        private static boolean isCause(String message) {
            return message != null && message.strip().equals(CAUSE);
        }

        private boolean passesPrevious(LogRecord record) {
            return previous == null || previous.isLoggable(record);
        }

        /** Logged by the listener's {@code onWarning(Throwable)}, which always logs the cause next. */
        private static boolean fromWarningWithThrowable() {
            return StackWalker.getInstance().walk(frames -> frames.limit(24).anyMatch(frame ->
                    frame.getClassName().equals(LISTENER) && frame.getMethodName().equals("onWarning")
                            && frame.getDescriptor().equals("(Ljava/lang/Throwable;)V")));
        }
    }
}
