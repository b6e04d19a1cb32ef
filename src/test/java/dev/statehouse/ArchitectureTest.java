package dev.statehouse;

import javax.sql.DataSource;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Only the storage package may open JDBC connections; controllers call services and repositories,
 * services call repositories, repositories call neither; the domain knows no HTTP.
 */
class ArchitectureTest {

    private static final String STORAGE = "dev.statehouse.storage..";

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.statehouse");

    private static final DescribedPredicate<JavaMethodCall> DATA_SOURCE_GET_CONNECTION =
            new DescribedPredicate<>("call DataSource.getConnection()") {
                @Override
                public boolean test(JavaMethodCall call) {
                    return call.getName().equals("getConnection")
                            && call.getTargetOwner().isAssignableTo(DataSource.class);
                }
            };

    @Test
    void importedTheProductionClasses() {
        // guards the rules below against passing on an empty import
        org.assertj.core.api.Assertions.assertThat(classes.size()).isGreaterThan(20);
    }

    @Test
    void noDriverManagerOutsideStorage() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(STORAGE)
                .should().accessClassesThat().haveFullyQualifiedName("java.sql.DriverManager");
        rule.check(classes);
    }

    @Test
    void noSqliteDataSourceOutsideStorage() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(STORAGE)
                .should().dependOnClassesThat().resideInAPackage("org.sqlite..");
        rule.check(classes);
    }

    @Test
    void noDataSourceGetConnectionOutsideStorage() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(STORAGE)
                .should().callMethodWhere(DATA_SOURCE_GET_CONNECTION);
        rule.check(classes);
    }

    @Test
    void repositoriesAndServicesKnowNoHttp() {
        ArchRule rule = noClasses().that().haveSimpleNameEndingWith("Repository").or().haveSimpleNameEndingWith("Service")
                .or().resideInAPackage("dev.statehouse.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.statehouse.web..", "org.springframework.http..",
                        "org.springframework.web..", "jakarta.servlet..");
        rule.check(classes);
    }

    @Test
    void repositoriesCallNoServiceOrController() {
        ArchRule rule = noClasses().that().haveSimpleNameEndingWith("Repository")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Service")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Controller");
        rule.check(classes);
    }

    @Test
    void servicesCallNoController() {
        ArchRule rule = noClasses().that().haveSimpleNameEndingWith("Service")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Controller");
        rule.check(classes);
    }

    @Test
    void onlyControllersAndTheWebLayerAreCalledByNobodyButSpring() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.statehouse.web..")
                .and().haveSimpleNameNotEndingWith("Controller")
                .and().haveSimpleNameNotEndingWith("Requests")
                .and().resideOutsideOfPackage("dev.statehouse.security..")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Controller");
        rule.check(classes);
    }

    @Test
    void noClassIsOverAboutTwoHundredFiftyLines() throws Exception {
        java.util.List<String> big = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long lines = java.nio.file.Files.lines(f).count();
                if (lines > 300) {
                    big.add(f + ": " + lines);
                }
                org.assertj.core.api.Assertions.assertThat(java.nio.file.Files.readString(f)).as(f.toString())
                        .doesNotContain("// ----");
            }
        }
        org.assertj.core.api.Assertions.assertThat(big).isEmpty();
    }

    @Test
    void everyPackageSaysWhatLivesThere() throws Exception {
        try (var dirs = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java/dev/statehouse"))) {
            for (java.nio.file.Path d : dirs.filter(java.nio.file.Files::isDirectory).toList()) {
                org.assertj.core.api.Assertions.assertThat(d.resolve("package-info.java")).as(d.toString()).exists();
            }
        }
    }
}
