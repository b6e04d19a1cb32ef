package dev.statehouse.storage.sqlite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/backup}: {@code GET} lists the backups kept, {@code POST} takes one now
 * ({@link Backups}). Like every actuator endpoint but health: scope {@code metrics}, or the management port.
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
@Endpoint(id = "backup")
public class BackupEndpoint {

    private final Backups backups;

    public BackupEndpoint(Backups backups) {
        this.backups = backups;
    }

    @ReadOperation
    public Map<String, Object> list() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dir", backups.dir().toString());
        List<Backups.Backup> kept = backups.list();
        out.put("backups", kept);
        return out;
    }

    @WriteOperation
    public Backups.Backup backup() {
        return backups.backup();
    }
}
