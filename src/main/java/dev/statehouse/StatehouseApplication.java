package dev.statehouse;

import dev.statehouse.hermes.HermesImportCommand;
import dev.statehouse.storage.sqlite.RestoreCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class StatehouseApplication {

    /** Runs the service; {@code import hermes PATH} imports a hermes state.db, {@code restore BACKUP} puts a backup in place, and exit. */
    public static void main(String[] args) {
        if (RestoreCommand.wanted(args)) {
            System.exit(RestoreCommand.run(args, System.out, System.err));
        }
        if (HermesImportCommand.wanted(args)) {
            System.exit(HermesImportCommand.run(StatehouseApplication.class, args, System.out, System.err));
        }
        SpringApplication.run(StatehouseApplication.class, args);
    }
}
