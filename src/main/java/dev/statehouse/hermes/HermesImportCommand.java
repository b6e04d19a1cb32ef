package dev.statehouse.hermes;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import dev.statehouse.storage.ResourceDatabases;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar statehouse.jar import hermes PATH [--key=value ...]}: imports a hermes
 * {@code state.db} into the database the same settings point the service at, prints progress and a
 * summary, and exits: 0 when done, 2 when the file was refused (nothing written), 1 on any other
 * failure. It runs a non-web, lazily initialised context, so only what the import needs starts
 * (no HTTP server, no scheduled work). It may run while the service runs on the same database.
 */
public final class HermesImportCommand {

    private HermesImportCommand() {
    }

    /** Whether {@code args} ask for an import (the first argument is {@code import}). */
    public static boolean wanted(String[] args) {
        return args.length > 0 && args[0].equals("import");
    }

    public static int run(Class<?> application, String[] args, PrintStream out, PrintStream err) {
        if (args.length < 3 || !args[1].equals("hermes")) {
            err.println("usage: java -jar statehouse.jar import hermes PATH [--statehouse.storage.path=...]");
            return 2;
        }
        Path source = Path.of(args[2]).toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            err.println("statehouse import: " + source + " is not a file");
            return 2;
        }
        String[] settings = Arrays.copyOfRange(args, 3, args.length);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .lazyInitialization(true)
                .logStartupInfo(false)
                .properties(Map.of("spring.main.banner-mode", "off", "logging.level.root", "warn"));
        try (ConfigurableApplicationContext context = builder.run(settings)) {
            HermesImport.Summary s = context.getBean(HermesImport.class).run(source, new ProgressLine(out));
            out.println();
            out.printf(Locale.ROOT, "imported %s (hermes schema %d) in %.1f s%n", source, s.schemaVersion(), s.seconds());
            out.printf(Locale.ROOT, "  sessions: %d read, %d new or changed, %d skipped (ids the API cannot address)%n",
                    s.sessions(), s.sessionsWritten(), s.sessionsSkipped());
            out.printf(Locale.ROOT, "  messages: %d read, %d new, %d changed, %d removed, %d rewound left out, %d skipped; %.0f messages/s%n",
                    s.messages(), s.messagesNew(), s.messagesChanged(), s.messagesRemoved(), s.rewoundLeftOut(), s.messagesSkipped(),
                    s.messagesPerSecond());
            if (s.toolCallsAsText() > 0) {
                out.printf(Locale.ROOT, "  tool_calls: %d were not JSON and are kept as JSON strings holding their text%n", s.toolCallsAsText());
            }
            return 0;
        } catch (HermesSchema.Refused | ResourceDatabases.OwnDatabaseException e) {
            err.println("statehouse import: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("statehouse import failed: " + e);
            return 1;
        }
    }

    /** One progress line per phase, rewritten in place, at most every 200 ms. */
    private static final class ProgressLine implements HermesImport.Progress {
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
