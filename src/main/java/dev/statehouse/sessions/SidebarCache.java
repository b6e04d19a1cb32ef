package dev.statehouse.sessions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The serialized sidebar pages, shared by every client polling the same page. An entry is served
 * only while no session, message or project write of this service has committed since it was
 * computed (a version bumped after each commit, before the write's response is sent, so a client
 * always reads its own writes), and for at most {@code ttl}, which bounds how long a write made
 * by another process directly in the database file can go unseen. A TTL of 0 turns the cache off.
 */
@Component
public class SidebarCache {

    private record Entry(long version, long expiresAtNanos, byte[] body) {
    }

    private final AtomicLong version = new AtomicLong();
    private final long ttlNanos;
    private final int maxEntries;
    private final Map<String, Entry> entries;

    public SidebarCache(@Value("${statehouse.sessions.sidebar-cache-ttl:1s}") Duration ttl,
                        @Value("${statehouse.sessions.sidebar-cache-entries:256}") int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > SidebarCache.this.maxEntries;
            }
        };
    }

    public boolean enabled() {
        return ttlNanos > 0;
    }

    /** The cached page for {@code key}, or {@code compute}'s result, remembered under the version read first. */
    public byte[] get(String key, Supplier<byte[]> compute) {
        if (!enabled()) {
            return compute.get();
        }
        long current = version.get();
        long now = System.nanoTime();
        Entry entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry != null && entry.version() == current && now - entry.expiresAtNanos() < 0) {
            return entry.body();
        }
        byte[] body = compute.get();
        synchronized (entries) {
            entries.put(key, new Entry(current, now + ttlNanos, body));
        }
        return body;
    }

    /** Marks every cached page stale once the current transaction commits (at once outside one). */
    public void invalidateAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    version.incrementAndGet();
                }
            });
        } else {
            version.incrementAndGet();
        }
    }
}
