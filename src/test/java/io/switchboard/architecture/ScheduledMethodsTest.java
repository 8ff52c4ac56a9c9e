package io.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.quarkus.scheduler.Scheduled;
import org.junit.jupiter.api.Test;

/**
 * A CI run failed on two "Error while firing SkippedExecution event" lines: Quarkus's skip predicate
 * ({@code ApplicationNotRunning}) skipped sweeps just after a test application shut down, and firing the
 * event that announces a skip failed. {@code ConcurrentExecution.SKIP} fires the same event. Scheduled
 * methods skip through {@link io.switchboard.ops.ScheduledJobs} instead, which fires nothing.
 */
class ScheduledMethodsTest {

    static final ArchRule NO_QUARKUS_SKIPPING = methods()
            .that().areAnnotatedWith(Scheduled.class)
            .should(new ArchCondition<JavaMethod>("neither skip through skipExecutionIf nor ConcurrentExecution.SKIP") {
                @Override
                public void check(JavaMethod method, ConditionEvents events) {
                    Scheduled scheduled = method.getAnnotationOfType(Scheduled.class);
                    boolean predicate = scheduled.skipExecutionIf() != Scheduled.Never.class;
                    boolean concurrent = scheduled.concurrentExecution() == Scheduled.ConcurrentExecution.SKIP;
                    if (predicate || concurrent) {
                        events.add(SimpleConditionEvent.violated(method, method.getFullName()
                                + (predicate ? " has skipExecutionIf" : " has ConcurrentExecution.SKIP")
                                + "; use ScheduledJobs.runAlone"));
                    }
                }
            })
            .because("a skip after shutdown began logs an ERROR");

    @Test
    void scheduledMethodsSkipWithoutQuarkusEvents() {
        NO_QUARKUS_SKIPPING.check(PackageRulesTest.MAIN);
    }
}
