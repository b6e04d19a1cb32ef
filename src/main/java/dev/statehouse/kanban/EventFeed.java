package dev.statehouse.kanban;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How board events reach this process's watchers ({@link BoardEvents}), one implementation per
 * engine. The contract:
 * <ul>
 * <li>Every committed event of a board is handed to the sink once, in the one order every watcher
 * sees ({@link EventPosition}), never before its transaction commits.</li>
 * <li>{@link #subscribe} reads a new watcher's backlog so that backlog and live events meet with no
 * gap: an event is either in the backlog or handed to the sink after the watcher is registered (or
 * both: the watcher is sent only events after its position).</li>
 * <li>A backlog holds at most {@code maxReplay} events; a watcher further behind gets none, a
 * position from which every later event will come, and {@code reloadAfter} (never a silent gap).</li>
 * </ul>
 * SQLite ({@code kanban.sqlite}): ids are handed out in commit order by the one writer, so a committed
 * event goes to the sink at once and a backlog is the events after an id. PostgreSQL
 * ({@code kanban.postgres}): a relay reads events in commit order from every replica's writes.
 */
public interface EventFeed {

    /** An event and its place in the order. */
    record Positioned(EventPosition position, TaskEvent event) {
    }

    /**
     * What a new watcher is sent before live events: the events it missed and the position it then
     * has; or, when it missed more than {@code maxReplay} ({@code reloadAfter} is its Last-Event-ID),
     * no events and the position the stream goes on from.
     */
    record Backlog(List<Positioned> events, EventPosition after, String reloadAfter) {

        /** Live events only: a watcher without a Last-Event-ID. */
        public static Backlog none() {
            return new Backlog(List.of(), EventPosition.START, null);
        }
    }

    /** Called once, at start: where live events go, and whether this process has any watcher. */
    void attach(BiConsumer<TaskEvent, EventPosition> sink, BooleanSupplier watched);

    /** This process committed {@code event} (called after commit). */
    void committed(TaskEvent event);

    /**
     * Opens a watcher: {@code open} registers it and then calls the supplier for its backlog; the
     * feed makes that atomic with respect to its deliveries.
     */
    <T> T subscribe(String board, String lastEventId, int maxReplay, Function<Supplier<Backlog>, T> open);

    /** The newest position among the stored events {@code eventIds}, per board (what retention is about to prune). */
    java.util.Map<String, EventPosition> newestPositions(List<Long> eventIds);
}
