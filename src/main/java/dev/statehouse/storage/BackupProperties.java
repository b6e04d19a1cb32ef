package dev.statehouse.storage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code statehouse.backup.*}: online copies of the database ({@code POST /actuator/backup}, or on a schedule).
 *
 * @param dir      where backups go ({@code state-<UTC time>.db}); must not be the database's own folder's parent of it
 * @param keep     the newest this many good backups are kept; older ones are deleted after each new one
 * @param schedule a Spring cron expression ({@code 0 0 * * * *}: hourly), or {@code -} for none
 */
@Validated
@ConfigurationProperties("statehouse.backup")
public record BackupProperties(
        @NotBlank @DefaultValue("./data/backups") String dir,
        @Min(1) @Max(10_000) @DefaultValue("7") int keep,
        @NotBlank @DefaultValue("-") String schedule) {
}
