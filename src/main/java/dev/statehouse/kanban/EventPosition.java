package dev.statehouse.kanban;

/**
 * Where a board event stands in the one order every watcher sees: by writing transaction, then id
 * ({@code tx} is 0 on SQLite, where ids are handed out in commit order). Its SSE id is
 * {@code "tx.id"} on PostgreSQL and the bare id on SQLite; a {@code Last-Event-ID} in either form
 * names a position, and a watcher is sent only events strictly after the last position it has.
 */
public record EventPosition(long tx, long id) implements Comparable<EventPosition> {

    /** Before every event: a watcher without a Last-Event-ID takes whatever comes live. */
    public static final EventPosition START = new EventPosition(0, 0);

    /** The position a Last-Event-ID names: {@code "tx.id"}, or a bare id (transaction 0). Null when it is neither. */
    public static EventPosition parse(String sseId) {
        int dot = sseId.indexOf('.');
        try {
            return dot < 0 ? new EventPosition(0, Long.parseLong(sseId))
                    : new EventPosition(Long.parseLong(sseId.substring(0, dot)), Long.parseLong(sseId.substring(dot + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int compareTo(EventPosition other) {
        int byTx = Long.compare(tx, other.tx);
        return byTx != 0 ? byTx : Long.compare(id, other.id);
    }

    public boolean isAfter(EventPosition other) {
        return compareTo(other) > 0;
    }

    /** The SSE id: {@code "tx.id"} where a transaction orders events (PostgreSQL), else the id. */
    public String sseId() {
        return tx == 0 ? Long.toString(id) : tx + "." + id;
    }
}
