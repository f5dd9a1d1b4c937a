package io.jvmpool;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering, stated in one place: the README's Layout shows the same arrows. A new arrow
 * between packages is a decision made here.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jvmpool");

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.jvmpool.cli..")
                .layer("warm").definedBy("io.jvmpool.warm..")
                .layer("boot").definedBy("io.jvmpool.boot..")
                .layer("job").definedBy("io.jvmpool.job..")
                .layer("progress").definedBy("io.jvmpool.progress..")
                .layer("web").definedBy("io.jvmpool.web..")
                .layer("pool").definedBy("io.jvmpool.pool..")
                .layer("launch").definedBy("io.jvmpool.launch..")
                .layer("output").definedBy("io.jvmpool.output..")
                .layer("rows").definedBy("io.jvmpool.rows..")
                .layer("args").definedBy("io.jvmpool.args..")
                // the worker module: what both ends of the wire use
                .layer("worker").definedBy("io.jvmpool.worker..", "io.jvmpool.tasks..")
                .layer("shared").definedBy("io.jvmpool.shared..", "io.jvmpool.proto..", "io.jvmpool.api..")

                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("warm").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("boot").mayOnlyBeAccessedByLayers("cli", "warm")
                .whereLayer("job").mayOnlyBeAccessedByLayers("cli", "web")
                .whereLayer("web").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("progress").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("pool").mayOnlyBeAccessedByLayers("cli", "boot", "job", "progress", "web")
                .whereLayer("launch").mayOnlyBeAccessedByLayers("boot", "pool")
                .whereLayer("output").mayOnlyBeAccessedByLayers("cli", "job")
                .whereLayer("rows").mayOnlyBeAccessedByLayers("cli", "job", "pool", "output")
                .whereLayer("args").mayOnlyBeAccessedByLayers("cli", "job", "pool")
                .whereLayer("worker").mayOnlyBeAccessedByLayers("job", "pool", "launch")
                .check(CLASSES);
    }

    @Test
    void noTwoPackagesNeedEachOther() {
        slices().matching("io.jvmpool.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theWorkerModuleKnowsNothingOfTheCoordinator() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAnyPackage("io.jvmpool.worker..", "io.jvmpool.tasks..", "io.jvmpool.shared..", "io.jvmpool.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jvmpool.cli..", "io.jvmpool.warm..", "io.jvmpool.boot..", "io.jvmpool.job..",
                        "io.jvmpool.progress..", "io.jvmpool.pool..", "io.jvmpool.launch..", "io.jvmpool.output..", "io.jvmpool.rows..",
                        "io.jvmpool.args..")
                .check(CLASSES);
    }
}
