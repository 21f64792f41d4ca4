package dev.sluice;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package map of docs/ARCHITECTURE.md, held by the build rather than by reading. */
@AnalyzeClasses(packages = "dev.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The buffer depends on the sink's input contract, never the other way round. */
    @ArchTest
    static final ArchRule sinkImportsNothingOfTheBuffer =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.sink..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.sluice.buffer..");

    /** The store seam serves the writer, the committer and the tools, and knows none of them. */
    @ArchTest
    static final ArchRule storeKnowsNoWriterOrCommitter =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.sink.store..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.sluice.sink.writer..", "dev.sluice.sink.committer..");

    /** Writer and committer share the sink's API and its park policy, not each other. */
    @ArchTest
    static final ArchRule writerKnowsNoCommitter =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.sink.writer..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.sluice.sink.committer..");

    @ArchTest
    static final ArchRule committerKnowsNoWriter =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.sink.committer..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("dev.sluice.sink.writer..");

    /** Stages depend one way: config, then route, encode, buffer and sink. */
    @ArchTest
    static final ArchRule stagesAreFreeOfCycles =
            slices().matching("dev.sluice.(*)..").should().beFreeOfCycles();

    /** Configuration is what every stage reads; it reads no stage. */
    @ArchTest
    static final ArchRule configReadsNoStage =
            noClasses()
                    .that()
                    .resideInAPackage("dev.sluice.config..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "dev.sluice.route..",
                            "dev.sluice.encode..",
                            "dev.sluice.buffer..",
                            "dev.sluice.sink..");
}
