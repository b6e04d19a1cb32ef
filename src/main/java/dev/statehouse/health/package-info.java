/**
 * Probes that tell the truth: the descriptor-leak indicator ({@code fdLeak}: ratio, growth, budget
 * of database handles, deleted-inode heal), the storage indicator (writes, disk, WAL pinning) and
 * load shedding near the descriptor limit.
 * <p>
 * Invariants: descriptors are inspected with readlink on {@code /proc/self/fd} and text reads of
 * {@code /proc} only, never by opening what they point at; liveness counts only descriptors the
 * process holds (accepted client sockets are not a leak); a probe answers within a second even
 * under a socket flood; a probe never does I/O that can hang on the database: liveness reads the
 * sampler's state (the server-side session check, {@code ServerSessionCheck}, runs on a thread of
 * its own) and readiness' {@code db} reads the verdict of the {@code db-probe} thread. Thresholds live in {@code statehouse.fd-leak.*}, documented in HELP.md.
 */
package dev.statehouse.health;
