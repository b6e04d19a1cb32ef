package dev.statehouse.health;

/** What an open file descriptor points at. */
public enum FdKind {
    DB_MAIN("db_main"),
    DB_WAL("db_wal"),
    DB_SHM("db_shm"),
    DB_JOURNAL("db_journal"),
    RESOURCE("resource"),
    /** A client connection accepted on one of the process's listening ports: the load brings and takes it. */
    SOCKET_INBOUND("socket_inbound"),
    /** TCP connections to the database server (PostgreSQL): the pool's, and any leaked outside it. */
    SOCKET_DATABASE("socket_database"),
    /** Any other socket: listening, outbound (the process opened it), Unix domain. */
    SOCKET("socket"),
    PIPE("pipe"),
    ANON("anon_inode"),
    FILE("file"),
    OTHER("other");

    private final String tag;

    FdKind(String tag) {
        this.tag = tag;
    }

    /** The name used in health details and as the {@code kind} metric tag. */
    public String tag() {
        return tag;
    }
}
