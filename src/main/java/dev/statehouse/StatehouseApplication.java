package dev.statehouse;

import dev.statehouse.hermes.HermesImportCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class StatehouseApplication {

    /** Runs the service, or with {@code import hermes PATH} imports a hermes state.db and exits. */
    public static void main(String[] args) {
        if (HermesImportCommand.wanted(args)) {
            System.exit(HermesImportCommand.run(StatehouseApplication.class, args, System.out, System.err));
        }
        SpringApplication.run(StatehouseApplication.class, args);
    }
}
