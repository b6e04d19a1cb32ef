package dev.statehouse.checkpoints;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.statehouse.StatehouseApplication;
import dev.statehouse.support.Http;
import dev.statehouse.support.Sqlite3;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/** Checkpoints are files plus metadata, not open connections: they outlive the service. */
class CheckpointRestartTest {

    private static ConfigurableApplicationContext start(Path dir) {
        return new SpringApplicationBuilder(StatehouseApplication.class).run(
                "--server.port=0",
                "--statehouse.auth.tokens.test.token=" + Http.TOKEN,
                "--statehouse.storage.path=" + dir.resolve("state.db"),
                "--statehouse.resources.root=" + dir.resolve("resources"),
                "--statehouse.checkpoints.dir=" + dir.resolve("checkpoints"));
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void checkpointsSurviveARestartAndTheStoreIsReconciled() throws Exception {
        Path dir = ServerTestSupport.tempDir("statehouse-restart-");
        Path db = dir.resolve("resources/ledger.db");
        String plan;
        String keep;
        String lost;
        String before;
        try (ConfigurableApplicationContext first = start(dir)) {
            Http http = http(first);
            Sqlite3.createResource(db, 4);
            before = Sqlite3.dump(db);
            plan = http.post("/api/plans", map("id", "restart_plan")).json().get("id").asString();
            keep = http.post("/api/plans/" + plan + "/checkpoints", map("resource", "ledger.db", "label", "keep")).json().get("id").asString();
            lost = http.post("/api/plans/" + plan + "/checkpoints", map("resource", "ledger.db", "label", "lost")).json().get("id").asString();
        }
        // while the service is down: a snapshot file vanishes, an orphan and a half-written snapshot appear
        Path store = dir.resolve("checkpoints");
        Files.delete(store.resolve(plan).resolve(lost + ".db"));
        Files.writeString(store.resolve(plan).resolve("cp_orphan.db"), "left behind");
        Files.writeString(store.resolve(plan).resolve("cp_crashed.db.tmp"), "half");
        Files.createDirectories(store.resolve("plan_gone"));
        Files.writeString(store.resolve("plan_gone/cp_x.db"), "no metadata");
        Sqlite3.run(db, "DELETE FROM items; INSERT INTO items(name, qty) VALUES ('changed while down', 0);");

        try (ConfigurableApplicationContext second = start(dir)) {
            Http http = http(second);
            JsonNode checkpoints = http.get("/api/plans/" + plan + "/checkpoints").json().get("items");
            assertThat(checkpoints).hasSize(2);
            assertThat(checkpoints.get(0).get("state").asString()).isEqualTo("ok");
            assertThat(checkpoints.get(1).get("state").asString()).isEqualTo("missing");
            assertThat(store.resolve(plan).resolve("cp_orphan.db")).doesNotExist();
            assertThat(store.resolve(plan).resolve("cp_crashed.db.tmp")).doesNotExist();
            assertThat(store.resolve("plan_gone")).doesNotExist();

            Http.Response rolled = http.post("/api/plans/" + plan + "/checkpoints/" + keep + "/rollback", map());
            assertThat(rolled.status()).as(rolled.raw().body()).isEqualTo(200);
            assertThat(Sqlite3.dump(db)).isEqualTo(before);
            assertThat(http.post("/api/plans/" + plan + "/checkpoints/" + lost + "/rollback", map()).status()).isEqualTo(410);
        }
    }
}
