package dev.statehouse.sessions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.statehouse.storage.DataChanged;
import dev.statehouse.storage.DataVersions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The sidebar pages, shared by every client polling the same page, and the version their ETags
 * carry. Pages are kept under the sessions scope's data version ({@link DataVersions}, bumped by
 * triggers on every write by anyone); an entry is served only while that version is current.
 *
 * <p>The version read is reused for at most {@code ttl}, unless this process commits a change to
 * sessions, messages or projects meanwhile ({@link DataChanged}, heard after the commit, before the
 * write's response is sent): a client always reads its own writes, and a write made by another
 * process directly in the database file shows within {@code ttl}. A TTL of 0 turns the cache off
 * (every request reads the version and computes its page).
 *
 * <p>On PostgreSQL the cache stays on but the version is read for every request (one
 * {@code pg_current_snapshot()}, no reuse): a write acknowledged by any replica is seen by the next
 * read on every replica, and a page is served from the cache only while nothing was committed
 * anywhere since it was computed.
 *
 * <p>Beside the pages it keeps, per raw query string, the answer last sent ({@link Prepared}): the
 * lean path ({@link SidebarLeanRoute}) serves it, or its 304, while the version is still the one it
 * was computed at. Only a validated query is there (one the controller answered, or one
 * {@link SidebarQuery#parseStrict} read), so nothing unvalidated is served.
 * Both maps hold at most {@code maxEntries}, the least recently used going first.
 */
@Component
public class SidebarCache {

    private record Entry(String version, Object value) {
    }

    /**
     * A sidebar answer as sent ({@link SidebarPages}), for {@link SidebarLeanRoute}: the data version it
     * was computed at, its ETag, its {@code Link} header (or null) and its bytes.
     */
    record Prepared(String version, String etag, String link, byte[] body) {
    }

    private record VersionRead(long localChanges, String version, long readAtNanos) {
    }

    private final long ttlNanos;
    private final boolean reuseVersion;
    private final Supplier<String> readVersion;
    private final AtomicLong localChanges = new AtomicLong();
    private volatile VersionRead lastRead;
    private final Map<String, Entry> entries;
    private final Map<String, Prepared> prepared;

    @Autowired
    public SidebarCache(SessionsProperties props, DataVersions versions) {
        this(props.sidebarCacheTtl(), props.sidebarCacheEntries(), () -> versions.current(DataVersions.Scope.SESSIONS),
                versions.reusable());
    }

    SidebarCache(Duration ttl, int maxEntries, Supplier<String> readVersion, boolean reuseVersion) {
        this.ttlNanos = ttl.toNanos();
        this.reuseVersion = reuseVersion;
        this.readVersion = readVersion;
        this.entries = lru(maxEntries);
        this.prepared = lru(maxEntries);
    }

    /** A map of at most {@code maxEntries}, the least recently used going first (callers synchronize on it). */
    private static <V> Map<String, V> lru(int maxEntries) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Remembers the answer given to {@code query} (raw, null for none; validated by the caller), while the cache is on. */
    public void prepare(String query, Prepared answer) {
        if (enabled()) {
            synchronized (prepared) {
                prepared.put(query == null ? "" : query, answer);
            }
        }
    }

    /** The answer last given to {@code query} (at whatever version: the caller compares), or null. */
    Prepared prepared(String query) {
        if (!enabled()) {
            return null;
        }
        synchronized (prepared) {
            return prepared.get(query == null ? "" : query);
        }
    }

    public boolean enabled() {
        return ttlNanos > 0;
    }

    /** The sessions scope's data version, as fresh as the class comment says. */
    public String version() {
        if (!enabled() || !reuseVersion) {
            return readVersion.get();
        }
        long local = localChanges.get();
        long now = System.nanoTime();
        VersionRead last = lastRead;
        if (last != null && last.localChanges() == local && now - last.readAtNanos() < ttlNanos) {
            return last.version();
        }
        String version = readVersion.get();
        lastRead = new VersionRead(local, version, now);
        return version;
    }

    /** The value cached for {@code key} at {@code version}, or {@code compute}'s result, remembered under it. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key, String version, Supplier<T> compute) {
        if (!enabled()) {
            return compute.get();
        }
        Entry entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry != null && entry.version().equals(version)) {
            return (T) entry.value();
        }
        T value = compute.get();
        synchronized (entries) {
            entries.put(key, new Entry(version, value));
        }
        return value;
    }

    /** A commit of this process changed sessions, messages or projects: read the version again. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void changed(DataChanged event) {
        if (event.scope() == DataVersions.Scope.SESSIONS) {
            localChanges.incrementAndGet();
        }
    }
}
