package dev.statehouse;

import java.nio.file.Path;

import dev.statehouse.hermes.HermesImportCommand;
import dev.statehouse.storage.sqlite.CopyCommand;
import dev.statehouse.storage.sqlite.RestoreCommand;
import dev.statehouse.storage.sqlite.VacuumCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class StatehouseApplication {

    /**
     * Runs the service ({@code serve}, the default), or {@code import hermes PATH}, {@code restore BACKUP},
     * {@code vacuum}, {@code copy}, {@code help}, {@code --version} and exits: see {@link StatehouseCommand}.
     */
    public static void main(String[] args) {
        int exit = StatehouseCommand.execute(args, new Commands(), System.out, System.err);
        if (exit != StatehouseCommand.SERVE) {
            System.exit(exit);
        }
        SpringApplication.run(StatehouseApplication.class, StatehouseCommand.settings(args));
    }

    /** The commands that run and exit: the import and the restore. */
    private static final class Commands implements StatehouseCommand.Actions {
        @Override
        public int importHermes(Path file, String[] settings) {
            return HermesImportCommand.run(StatehouseApplication.class, file, settings, System.out, System.err);
        }

        @Override
        public int restore(Path backup, String[] settings) {
            return RestoreCommand.run(backup, settings, System.out, System.err);
        }

        @Override
        public int vacuum(String[] settings) {
            return VacuumCommand.run(settings, System.out, System.err);
        }

        @Override
        public int copy(String targetUrl, String[] settings) {
            return CopyCommand.run(targetUrl, settings, System.out, System.err);
        }
    }
}
