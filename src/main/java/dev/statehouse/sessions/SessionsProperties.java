package dev.statehouse.sessions;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code statehouse.sessions.*}, validated once at start.
 *
 * @param sidebarCacheTtl     how long a write made by another process directly in the database file
 *                            can go unseen by the sidebar (its cache and ETags); 0 turns the cache off
 * @param sidebarCacheEntries sidebar pages kept (least recently used pages go first)
 * @param backgroundSources   session sources the sidebar hides unless asked ({@code include_background})
 */
@Validated
@ConfigurationProperties("statehouse.sessions")
public record SessionsProperties(
        @NotNull @DefaultValue("1s") Duration sidebarCacheTtl,
        @Min(1) @Max(100_000) @DefaultValue("256") int sidebarCacheEntries,
        @NotNull @DefaultValue({"cron", "webhook", "kanban"}) List<String> backgroundSources) {
}
