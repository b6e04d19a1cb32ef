package dev.statehouse;

import javax.sql.DataSource;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Only the storage package may open JDBC connections; controllers call services and repositories,
 * services call repositories, repositories call neither; the domain knows no HTTP.
 */
class ArchitectureTest {

    private static final String STORAGE = "dev.statehouse.storage..";

    /** Imported once for all rules (JUnit makes an instance per test; each import reads every class again). */
    private static final JavaClasses classes = new ClassFileImporter()
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

    /** Every feature has the same shape: controller -> service -> repository; a controller never reads a repository itself. */
    @Test
    void controllersReachRepositoriesOnlyThroughServices() {
        ArchRule rule = noClasses().that().haveSimpleNameEndingWith("Controller")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository");
        rule.check(classes);
    }

    /** A feature's repositories are its own: another feature goes through that feature's service. */
    @Test
    void noFeatureReachesIntoAnotherFeaturesRepositories() {
        for (String feature : java.util.List.of("sessions", "projects", "kanban", "checkpoints", "hermes")) {
            ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.statehouse." + feature + "..")
                    .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                            "are repositories of " + feature, (com.tngtech.archunit.core.domain.JavaClass c) ->
                                    c.getPackageName().startsWith("dev.statehouse." + feature) && c.getSimpleName().endsWith("Repository")));
            rule.check(classes);
        }
    }

    /**
     * No two classes of one package use each other, directly or around a loop (a nested class counts
     * as its top-level class): a package reads from its entry points down, and a class can be
     * understood, and changed, with what it uses below it.
     */
    @Test
    void noCyclesBetweenTheClassesOfAPackage() {
        java.util.Map<String, java.util.Set<String>> uses = new java.util.TreeMap<>();
        for (com.tngtech.archunit.core.domain.JavaClass c : classes) {
            String from = c.getName().replaceAll("\\$.*", "");
            java.util.Set<String> targets = uses.computeIfAbsent(from, k -> new java.util.TreeSet<>());
            for (com.tngtech.archunit.core.domain.Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getName().replaceAll("\\$.*", "");
                if (!to.equals(from) && d.getTargetClass().getPackageName().equals(c.getPackageName()) && to.startsWith("dev.statehouse.")) {
                    targets.add(to);
                }
            }
        }
        java.util.Set<String> cycles = new java.util.TreeSet<>();
        java.util.Set<String> inACycle = new java.util.HashSet<>();
        for (String start : uses.keySet()) { // a class that reaches itself again (each loop said once)
            java.util.Deque<java.util.List<String>> paths = new java.util.ArrayDeque<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            paths.add(java.util.List.of(start));
            while (!paths.isEmpty()) {
                java.util.List<String> path = paths.poll();
                for (String next : uses.getOrDefault(path.get(path.size() - 1), java.util.Set.of())) {
                    if (next.equals(start) && !inACycle.contains(start)) {
                        inACycle.addAll(path);
                        java.util.List<String> loop = new java.util.ArrayList<>(path);
                        loop.add(start);
                        cycles.add(String.join(" -> ", loop.stream().map(n -> n.substring(n.lastIndexOf('.') + 1)).toList())
                                + " (" + start.substring(0, start.lastIndexOf('.')) + ")");
                        paths.clear();
                        break;
                    }
                    if (!next.equals(start) && seen.add(next)) {
                        java.util.List<String> longer = new java.util.ArrayList<>(path);
                        longer.add(next);
                        paths.add(longer);
                    }
                }
            }
        }
        assertThat(cycles).as("classes of one package that use each other").isEmpty();
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

    /** What selects the engine: the enum, its condition, and the storage configuration that reads it. */
    private static final java.util.List<String> ENGINE_SELECTION = java.util.List.of("Engine", "ConditionalOnEngine",
            "StorageConfig", "SqliteStorageConfig", "PostgresStorageConfig");

    private static DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> notTheEngineSelection() {
        java.util.Set<String> allowed = new java.util.HashSet<>();
        ENGINE_SELECTION.forEach(c -> allowed.add("dev.statehouse.storage." + c));
        return new DescribedPredicate<>("are not the engine's selection") {
            @Override
            public boolean test(com.tngtech.archunit.core.domain.JavaClass c) {
                return !allowed.contains(c.getName().replaceAll("\\$.*", ""));
            }
        };
    }

    /**
     * Issue 26: no class outside the per-engine subpackages ({@code ..sqlite}, {@code ..postgres}) and
     * the configuration that selects the engine knows which engine runs: an engine difference is a
     * strategy interface with one implementation per engine, selected by {@code @ConditionalOnEngine}.
     */
    @Test
    void onlyEngineSubpackagesKnowTheEngine() {
        ArchRule rule = noClasses().that().resideOutsideOfPackages("dev.statehouse..sqlite..", "dev.statehouse..postgres..")
                .and(notTheEngineSelection())
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.statehouse.storage.Engine");
        rule.check(classes);
    }

    /**
     * ... nor reaches into an engine's subpackage: it uses the strategy, never one engine's
     * implementation. The one exception is the command line's entry point, which runs the offline
     * {@code restore} command (SQLite files only) before any context starts.
     */
    @Test
    void nothingOutsideAnEngineSubpackageUsesOneEnginesClasses() {
        ArchRule rule = noClasses().that().resideOutsideOfPackages("dev.statehouse..sqlite..", "dev.statehouse..postgres..")
                .and(notTheEngineSelection())
                .and().haveNameNotMatching("dev\\.statehouse\\.StatehouseApplication(\\$.*)?") // main runs restore (SQLite's)
                .should().dependOnClassesThat().resideInAnyPackage("dev.statehouse..sqlite..", "dev.statehouse..postgres..");
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
