package dev.statehouse.sessions;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.statehouse.storage.DataChanged;

import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SidebarCacheTest extends ServerTestSupport {

    @Test
    void aPageIsServedFromTheCacheUntilAWriteCommitsOrTheTtlPasses() throws Exception {
        AtomicLong dataVersion = new AtomicLong(1); // the data_versions row, as another process may bump it
        AtomicInteger versionReads = new AtomicInteger();
        SidebarCache cache = new SidebarCache(Duration.ofMillis(300), 4, () -> {
            versionReads.incrementAndGet();
            return Long.toString(dataVersion.get());
        }, true);
        AtomicInteger computed = new AtomicInteger();
        byte[] first = cache.get("k", cache.version(), () -> new byte[] {(byte) computed.incrementAndGet()});
        assertThat((byte[]) cache.get("k", cache.version(), () -> new byte[] {(byte) computed.incrementAndGet()})).isEqualTo(first);
        assertThat(computed).hasValue(1);
        assertThat(versionReads).as("the version read is reused within the TTL").hasValue(1);

        dataVersion.incrementAndGet(); // a write by this process: committed, then heard
        cache.changed(DataChanged.SESSIONS);
        assertThat(((byte[]) cache.get("k", cache.version(), () -> new byte[] {(byte) computed.incrementAndGet()}))[0]).isEqualTo((byte) 2);

        dataVersion.incrementAndGet(); // a write by another process: seen once the TTL has passed
        assertThat(((byte[]) cache.get("k", cache.version(), () -> new byte[] {(byte) computed.incrementAndGet()}))[0]).isEqualTo((byte) 2);
        Thread.sleep(350);
        assertThat(((byte[]) cache.get("k", cache.version(), () -> new byte[] {(byte) computed.incrementAndGet()}))[0]).isEqualTo((byte) 3);

        SidebarCache off = new SidebarCache(Duration.ZERO, 4, () -> Long.toString(dataVersion.get()), true);
        off.get("k", off.version(), () -> new byte[] {(byte) computed.incrementAndGet()});
        off.get("k", off.version(), () -> new byte[] {(byte) computed.incrementAndGet()});
        assertThat(computed).hasValue(5);
        assertThat(off.enabled()).isFalse();

        // a shared server (PostgreSQL replicas): the version is read for every request, pages still come from the cache
        AtomicInteger sharedReads = new AtomicInteger();
        SidebarCache shared = new SidebarCache(Duration.ofSeconds(10), 4, () -> {
            sharedReads.incrementAndGet();
            return Long.toString(dataVersion.get());
        }, false);
        shared.get("k", shared.version(), () -> new byte[] {(byte) computed.incrementAndGet()});
        assertThat(((byte[]) shared.get("k", shared.version(), () -> new byte[] {(byte) computed.incrementAndGet()}))[0]).isEqualTo((byte) 6);
        dataVersion.incrementAndGet(); // committed through another replica: the very next read sees it
        assertThat(((byte[]) shared.get("k", shared.version(), () -> new byte[] {(byte) computed.incrementAndGet()}))[0]).isEqualTo((byte) 7);
        assertThat(sharedReads).hasValue(3);
    }

    @Test
    void clientsReadTheirOwnWritesAndAnotherProcessesWriteShowsWithinTheTtl() throws Exception {
        String source = unique("cache");
        String id = source + "_s";
        assertThat(http.get("/api/sessions?include_empty=true&source=" + source).json().get("items")).isEmpty();
        assertThat(http.post("/api/sessions", map("id", id, "source", source, "title", "mine")).status()).isEqualTo(201);
        assertThat(http.get("/api/sessions?include_empty=true&source=" + source).json().get("items").get(0).get("title").asString()).isEqualTo("mine");
        assertThat(http.patch("/api/sessions/" + id, map("title", "renamed")).status()).isEqualTo(200);
        assertThat(http.get("/api/sessions?include_empty=true&source=" + source).json().get("items").get(0).get("title").asString()).isEqualTo("renamed");

        Process p = new ProcessBuilder("sqlite3", database.file().toString(),
                ".timeout 5000", "UPDATE sessions SET title = 'from outside' WHERE id = '" + id + "'").start();
        assertThat(p.waitFor()).isZero();
        await().atMost(java.time.Duration.ofSeconds(3)).pollInterval(java.time.Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(http.get("/api/sessions?include_empty=true&source=" + source).json().get("items").get(0).get("title").asString())
                        .as("an outside write shows within the 1 s TTL").isEqualTo("from outside"));
    }
}
