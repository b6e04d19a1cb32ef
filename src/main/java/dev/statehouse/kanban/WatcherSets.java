package dev.statehouse.kanban;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watchers of each board, for {@link BoardEvents}. A board's entry exists only while it has a
 * watcher: added with its first and removed with its last, atomically per board (a watcher added
 * while the last one leaves is never lost), so nothing here grows with the boards ever watched.
 */
final class WatcherSets<W> {

    private final Map<String, Set<W>> byBoard = new ConcurrentHashMap<>();

    void add(String board, W watcher) {
        byBoard.compute(board, (b, set) -> {
            Set<W> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(watcher);
            return s;
        });
    }

    /** Whether {@code watcher} was there. */
    boolean remove(String board, W watcher) {
        boolean[] removed = {false};
        byBoard.computeIfPresent(board, (b, set) -> {
            removed[0] = set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }

    /** The board's watchers now (a live view; empty when none). */
    Set<W> of(String board) {
        return byBoard.getOrDefault(board, Set.of());
    }

    Iterable<Set<W>> all() {
        return byBoard.values();
    }

    /** Boards with at least one watcher. */
    int boards() {
        return byBoard.size();
    }
}
