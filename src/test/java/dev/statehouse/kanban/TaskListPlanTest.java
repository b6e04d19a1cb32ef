package dev.statehouse.kanban;

import java.util.List;

import dev.statehouse.storage.Cursor;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 30: a board's task list (polled by workers) seeks {@code idx_tasks_board_created} for its
 * first page and to a cursor for the next ones; before, SQLite sorted the whole board for every page
 * ({@code USE TEMP B-TREE FOR ORDER BY}) and, with the cursor written as an OR, could not seek to it.
 */
class TaskListPlanTest extends ServerTestSupport {

    @Autowired
    TaskRepository tasks;

    private List<String> plan(TaskRepository.Query query) {
        return jdbc.queryForList("EXPLAIN QUERY PLAN " + query.sql(), query.args()).stream()
                .map(row -> String.valueOf(row.get("detail"))).toList();
    }

    @Test
    void pagesOfABoardSeekItsIndexInsteadOfSortingTheBoard() {
        assertThat(plan(tasks.listQuery("b", null, null, null, 51))).as("the first page")
                .anyMatch(d -> d.startsWith("SEARCH tasks USING INDEX idx_tasks_board_created (board=?)"))
                .noneMatch(d -> d.contains("TEMP B-TREE"));
        assertThat(plan(tasks.listQuery("b", null, null, new Cursor(1_780_000_000.5, "t_x"), 51))).as("a cursor page")
                .anyMatch(d -> d.startsWith("SEARCH tasks USING INDEX idx_tasks_board_created") && d.contains("(created_at,id)<(?,?)"))
                .noneMatch(d -> d.contains("TEMP B-TREE"));
    }
}
