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

/** Only the storage package may open JDBC connections. */
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
}
