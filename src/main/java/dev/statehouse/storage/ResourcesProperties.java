package dev.statehouse.storage;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code statehouse.resources.*}.
 *
 * @param root the folder whose SQLite files plans may checkpoint; must not contain the service's own database
 */
@Validated
@ConfigurationProperties("statehouse.resources")
public record ResourcesProperties(@NotBlank @DefaultValue("./data/resources") String root) {
}
