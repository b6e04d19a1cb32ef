package dev.statehouse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line is parsed before anything starts: help and version print and exit 0, a wrong
 * command line exits 2 with the command's usage, and only a well-formed one reaches a command (the
 * recorded actions stand for the import and the restore; serving is the caller's, on {@code SERVE}).
 */
class StatehouseCommandTest {

    private final List<String> ran = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final StatehouseCommand.Actions actions = new StatehouseCommand.Actions() {
        @Override
        public int importHermes(Path file, String[] settings) {
            ran.add("import " + file + " " + Arrays.toString(settings));
            return 0;
        }

        @Override
        public int restore(Path backup, String[] settings) {
            ran.add("restore " + backup + " " + Arrays.toString(settings));
            return 0;
        }

        @Override
        public int vacuum(String[] settings) {
            ran.add("vacuum " + Arrays.toString(settings));
            return 0;
        }

        @Override
        public int copy(String targetUrl, String[] settings) {
            ran.add("copy " + targetUrl + " " + Arrays.toString(settings));
            return 0;
        }
    };

    private int run(String... args) {
        out.reset();
        err.reset();
        return StatehouseCommand.execute(args, actions, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpAndVersionPrintAndRunNothing() {
        for (String[] help : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"})) {
            assertThat(run(help)).as(String.join(" ", help)).isZero();
            assertThat(out()).contains("serve").contains("import").contains("restore").contains("vacuum").contains("--version");
        }
        assertThat(run("restore", "--help")).isZero();
        assertThat(out()).contains("BACKUP").contains("Exit codes").doesNotContain("is not a file");
        assertThat(run("help", "restore")).isZero();
        assertThat(out()).contains("BACKUP");
        assertThat(run("import", "hermes", "--help")).isZero();
        assertThat(out()).contains("PATH");
        assertThat(run("--version")).isZero();
        assertThat(out()).startsWith("statehouse ");
        assertThat(run("serve", "--help")).isZero();
        assertThat(ran).as("no command ran").isEmpty();
    }

    @Test
    void aWrongCommandLineIsRefusedWithExit2() {
        assertThat(run("import", "hermes", "--x=y")).as("an option is never taken as the path").isEqualTo(2);
        assertThat(err()).contains("Usage:");
        assertThat(run("import", "hermes", "h.db", "--x=y")).isEqualTo(2);
        assertThat(err()).contains("Unknown option").contains("--x=y").contains("Usage:");
        assertThat(run("import", "hermes")).isEqualTo(2);
        assertThat(err()).contains("PATH");
        assertThat(run("import")).isEqualTo(2);
        assertThat(run("import", "chatgpt", "x.db")).isEqualTo(2);
        assertThat(run("restore")).isEqualTo(2);
        assertThat(run("restore", "a.db", "b.db")).isEqualTo(2);
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(run("serv")).isEqualTo(2);
        assertThat(err()).contains("serv");
        assertThat(ran).as("no command ran").isEmpty();
    }

    @Test
    void settingsGoToTheCommandThatRuns() {
        assertThat(run()).isEqualTo(StatehouseCommand.SERVE);
        assertThat(run("--server.port=0", "--statehouse.storage.path=/tmp/x.db")).isEqualTo(StatehouseCommand.SERVE);
        assertThat(run("serve", "--server.port=0")).isEqualTo(StatehouseCommand.SERVE);
        assertThat(StatehouseCommand.settings(new String[] {"serve", "--server.port=0", "--x=y", "--logging.level.root=warn"}))
                .containsExactly("--server.port=0", "--logging.level.root=warn");
        assertThat(run("import", "hermes", "h.db", "--statehouse.storage.path=/tmp/s.db")).isZero();
        assertThat(run("restore", "--statehouse.storage.path=/tmp/s.db", "b.db")).isZero();
        assertThat(run("vacuum", "--statehouse.storage.path=/tmp/s.db")).isZero();
        assertThat(run("vacuum", "extra.db")).as("vacuum takes no file: the settings name the database").isEqualTo(2);
        assertThat(run("copy", "--to", "jdbc:postgresql://h:5432/d?user=u", "--statehouse.storage.path=/tmp/s.db")).isZero();
        assertThat(run("copy")).as("copy needs --to").isEqualTo(2);
        assertThat(ran).containsExactly("import h.db [--statehouse.storage.path=/tmp/s.db]", "restore b.db [--statehouse.storage.path=/tmp/s.db]",
                "vacuum [--statehouse.storage.path=/tmp/s.db]", "copy jdbc:postgresql://h:5432/d?user=u [--statehouse.storage.path=/tmp/s.db]");
    }
}
