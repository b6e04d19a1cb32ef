package dev.statehouse.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar's command line: help and version never start the service, never create
 * {@code ./data} and never spend the one-time token print-out; a wrong command line exits 2.
 */
class CommandLineIT {

    @TempDir
    Path work;

    private record Run(int exit, String output) {
    }

    private Run jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(PackagedJar.plain());
        command.addAll(List.of(args));
        Path log = work.resolve("out.log");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits by itself: " + String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(log));
    }

    @Test
    void helpVersionAndRefusalsTouchNothing() throws Exception {
        Run help = jar("--help");
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: statehouse").contains("serve").contains("import").contains("restore")
                .doesNotContain("Started").doesNotContain("sh_");
        Run restoreHelp = jar("restore", "--help");
        assertThat(restoreHelp.exit()).isZero();
        assertThat(restoreHelp.output()).contains("BACKUP").doesNotContain("is not a file");
        Run version = jar("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.output()).matches("(?s)statehouse \\d+\\.\\d+.*");
        Run wrong = jar("import", "hermes", "x.db", "--x=y");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.output()).contains("Unknown option").doesNotContain("\tat ");
        Run typo = jar("serv");
        assertThat(typo.exit()).isEqualTo(2);
        try (var files = Files.list(work)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("nothing created").containsExactly("out.log");
        }
    }
}
