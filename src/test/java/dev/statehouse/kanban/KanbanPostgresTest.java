package dev.statehouse.kanban;

import dev.statehouse.support.Postgres;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link KanbanWalTest} — the kanban contract, claim concurrency and dispatcher ticks — on PostgreSQL. */
@DirtiesContext
class KanbanPostgresTest extends KanbanWalTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "kanban");
    }

    /** psql, claiming with SKIP LOCKED in its own transactions, as another service would. */
    @Override
    public Process externalClaimer(String board, int count) {
        StringBuilder script = new StringBuilder("\\set ON_ERROR_STOP 1\n\\pset tuples_only on\n\\pset format unaligned\n");
        for (int i = 0; i < count; i++) {
            script.append(i == 0 ? "" : "SELECT pg_sleep(0.004) \\g /dev/null\n")
                    .append("UPDATE tasks SET status = 'running', claim_lock = 'ext-' || md5(random()::text),")
                    .append(" claimed_by = 'external', claim_expires = extract(epoch from now()) + 600, updated_at = extract(epoch from now())")
                    .append(" WHERE id = (SELECT id FROM tasks WHERE board = '").append(board)
                    .append("' AND status = 'ready' ORDER BY priority DESC, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)")
                    .append(" AND status = 'ready' RETURNING id;\n");
        }
        script.append("SELECT 'external-done';\n");
        try {
            ProcessBuilder psql = new ProcessBuilder("psql", "-q", "-X", datasourceUrl.replace("jdbc:", ""), "-U", "postgres")
                    .redirectErrorStream(true);
            psql.environment().put("PGPASSWORD", "postgres");
            return ClaimConcurrencyContract.feed(psql.start(), script.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Not run here: group commit is SQLite's (its writers take turns); on PostgreSQL each step is a
     * transaction of its own and the concurrent outcomes are covered by the claim race above and
     * {@code PostgresConcurrencyTest}.
     */
    @Override
    public void workerStepsCommittedTogetherEachGetTheOutcomeTheyWouldHaveAlone() {
    }

    /** Not run here: SQLite's pragmas (PostgreSQL's session settings are checked by the start-up checks). */
    @Override
    void everyPooledConnectionHasTheStoragePragmas() {
    }
}
