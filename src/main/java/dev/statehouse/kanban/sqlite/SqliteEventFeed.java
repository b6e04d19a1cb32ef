package dev.statehouse.kanban.sqlite;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.statehouse.kanban.EventFeed;
import dev.statehouse.kanban.EventPosition;
import dev.statehouse.kanban.TaskEvent;
import dev.statehouse.kanban.TaskEventRepository;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import org.springframework.stereotype.Component;

/**
 * Board events on SQLite: one process, one writer, ids handed out in commit order. A committed event
 * goes to the watchers at once; a backlog is the events after the watcher's id, read after it is
 * registered (an event committed meanwhile is in the backlog, or handed over live, or both).
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class SqliteEventFeed implements EventFeed {

    private final TaskEventRepository journal;
    private volatile BiConsumer<TaskEvent, EventPosition> sink = (e, position) -> { };

    public SqliteEventFeed(TaskEventRepository journal) {
        this.journal = journal;
    }

    @Override
    public void attach(BiConsumer<TaskEvent, EventPosition> sink, BooleanSupplier watched) {
        this.sink = sink;
    }

    @Override
    public void committed(TaskEvent event) {
        sink.accept(event, new EventPosition(0, event.id()));
    }

    @Override
    public <T> T subscribe(String board, String lastEventId, int maxReplay, Function<Supplier<Backlog>, T> open) {
        if (lastEventId == null) {
            return open.apply(Backlog::none);
        }
        long after = eventId(lastEventId);
        return open.apply(() -> {
            List<TaskEvent> missed = journal.boardEventsAfter(board, after, maxReplay + 1);
            if (missed.size() > maxReplay) { // every event up to the newest id has committed
                return new Backlog(List.of(), new EventPosition(0, journal.lastBoardEventId(board)), lastEventId);
            }
            return new Backlog(missed.stream().map(e -> new Positioned(new EventPosition(0, e.id()), e)).toList(),
                    new EventPosition(0, after), null);
        });
    }

    /** The event id in a Last-Event-ID ({@code "tx.id"} from a PostgreSQL replica carries it after the dot). */
    private static long eventId(String lastEventId) {
        return EventPosition.parse(lastEventId).id(); // the controller admits only digits or digits.digits
    }

    @Override
    public java.util.Map<String, EventPosition> newestPositions(List<Long> eventIds) {
        java.util.Map<String, EventPosition> newest = new java.util.HashMap<>();
        journal.newestIdsByBoard(eventIds).forEach((board, id) -> newest.put(board, new EventPosition(0, id)));
        return newest;
    }
}
