package dev.statehouse.hermes;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import dev.statehouse.storage.ResourceDatabases;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar statehouse.jar import hermes PATH [--key=value ...]} (parsed by
 * {@code dev.statehouse.StatehouseCommand}): imports a hermes
 * {@code state.db} into the database the same settings point the service at, prints progress and a
 * summary, and exits: 0 when done, 2 when the file was refused (nothing written: not a readable file,
 * not a SQLite or hermes database, damaged, of an unknown schema version, or the service's own
 * database), 1 on any other failure (said in words; what was written stays, and running the same
 * import again completes it). It runs a non-web, lazily initialised context, so only what the import needs starts
 * (no HTTP server, no scheduled work). It may run while the service runs on the same database.
 */
public final class HermesImportCommand {

    private HermesImportCommand() {
    }

    /** Imports {@code file} with the service's {@code settings} ({@code --key=value}); returns the exit code. */
    public static int run(Class<?> application, Path file, String[] settings, PrintStream out, PrintStream err) {
        Path source = file.toAbsolutePath().normalize();
        // checked before anything starts, so a refused import creates nothing (no database, no directory)
        String refused = !Files.exists(source) ? "does not exist"
                : !Files.isRegularFile(source) ? "is not a file"
                : !Files.isReadable(source) ? "cannot be read: permission denied" : null;
        if (refused != null) {
            err.println("statehouse import: " + source + " " + refused + "; nothing was imported");
            return 2;
        }
        try {
            HermesImport.check(source, 5_000);
        } catch (HermesSchema.Refused e) {
            err.println("statehouse import: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("statehouse import failed: " + describe(e) + "; nothing was imported");
            return 1;
        }
        SpringApplicationBuilder builder = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .lazyInitialization(true)
                .logStartupInfo(false)
                // no actuator endpoints (nothing to answer them): health contributors would otherwise start the service's probes
                .properties(Map.of("spring.main.banner-mode", "off", "logging.level.root", "warn",
                        "management.endpoints.access.default", "none"));
        boolean started = false;
        try (ConfigurableApplicationContext context = builder.run(settings)) {
            started = true;
            HermesImport.Summary s = context.getBean(HermesImport.class).run(source, new ProgressLine(out));
            out.println();
            print(out, source, s);
            return 0;
        } catch (HermesSchema.Refused | ResourceDatabases.OwnDatabaseException e) {
            err.println();
            err.println("statehouse import: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println();
            err.println("statehouse import failed: " + describe(e));
            if (started) {
                err.println("  what was written before the failure stays; run the same command again to complete the import"
                        + " (it adds only what is missing)");
            }
            return 1;
        }
    }

    private static void print(PrintStream out, Path source, HermesImport.Summary s) {
        out.printf(Locale.ROOT, "imported %s (hermes schema %d) in %.1f s%n", source, s.schemaVersion(), s.seconds());
        out.printf(Locale.ROOT, "  source: %s (%s)%n", s.source(), s.recognised() > 0
                ? "imported before: " + s.recognised() + " of its oldest sessions came from it" : "new: none of its sessions came from an earlier import");
        out.printf(Locale.ROOT, "  sessions: %d read, %d new or changed, %d skipped%n", s.sessions(), s.sessionsWritten(),
                s.sessionsSkipped().total());
        tally(out, "skipped", s.sessionsSkipped());
        tally(out, "already in Statehouse, not from this source (reconciled, kept)", s.sessionsElsewhere());
        out.printf(Locale.ROOT, "  messages: %d read, %d new, %d changed, %d removed, %d rewound left out, %d skipped; %.0f messages/s%n",
                s.messages(), s.messagesNew(), s.messagesChanged(), s.messagesRemoved(), s.rewoundLeftOut(), s.messagesSkipped().total(),
                s.messagesPerSecond());
        tally(out, "skipped", s.messagesSkipped());
        if (s.toolCallsAsText() > 0) {
            out.printf(Locale.ROOT, "  tool_calls: %d were not JSON and are kept as JSON strings holding their text%n", s.toolCallsAsText());
        }
    }

    private static void tally(PrintStream out, String what, ImportTally tally) {
        tally.counts().forEach((reason, n) -> out.printf(Locale.ROOT, "    %s, %s: %d (e.g. %s)%n", what, reason, n,
                String.join(", ", tally.examples(reason))));
    }

    /** A failure in words: the innermost message that says something, never a class name. */
    static String describe(Throwable e) {
        String said = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                said = t.getMessage();
            }
        }
        return said == null ? "an unexpected error" : said.replaceAll("(?:[a-z_$][a-z0-9_$]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ?", "");
    }

    /** One progress line per phase, rewritten in place, at most every 200 ms. */
    private static final class ProgressLine implements ImportProgress {
        private final PrintStream out;
        private long lastNanos;
        private String lastPhase;

        ProgressLine(PrintStream out) {
            this.out = out;
        }

        @Override
        public void update(String phase, long done, long total) {
            long now = System.nanoTime();
            boolean finished = done >= total;
            if (phase.equals(lastPhase) && !finished && now - lastNanos < 200_000_000L) {
                return;
            }
            if (lastPhase != null && !phase.equals(lastPhase)) {
                out.println();
            }
            lastPhase = phase;
            lastNanos = now;
            int width = 30;
            int filled = total == 0 ? width : (int) (width * done / total);
            out.printf(Locale.ROOT, "\r%-9s [%s%s] %d/%d", phase, "#".repeat(filled), " ".repeat(width - filled), done, total);
            out.flush();
        }
    }
}
