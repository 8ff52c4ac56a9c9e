package io.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, checked on the compiled main classes: the SignalR
 * engine ({@code io.switchboard.signalr..}) knows no application, so it could be lifted into its own
 * jar as it stands; and no two packages of {@code io.switchboard} depend on each other, directly or
 * through others.
 */
class PackageRulesTest {

    static final String ROOT = "io.switchboard";

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** The engine may use its own packages, libraries and the JDK; nothing else of io.switchboard. */
    static final ArchRule ENGINE_KNOWS_NO_APPLICATION = noClasses()
            .that().resideInAPackage(ROOT + ".signalr..")
            .should().dependOnClassesThat(
                    com.tngtech.archunit.base.DescribedPredicate.describe("belong to the application",
                            (com.tngtech.archunit.core.domain.JavaClass target) ->
                                    target.getPackageName().startsWith(ROOT)
                                            && !target.getPackageName().startsWith(ROOT + ".signalr")))
            .because("the SignalR engine stands alone: the application plugs in through the engine's SPI");

    /** Every package of io.switchboard is a slice (signalr.server and signalr.transport apart). */
    static final ArchRule NO_PACKAGE_CYCLES = slices()
            .matching(ROOT + ".(**)")
            .should().beFreeOfCycles()
            .because("a package cycle means neither side can change or be understood alone");

    @Test
    void theEngineImportsNothingOfTheApplication() {
        ENGINE_KNOWS_NO_APPLICATION.check(MAIN);
    }

    @Test
    void noPackageCycles() {
        NO_PACKAGE_CYCLES.check(MAIN);
    }
}
