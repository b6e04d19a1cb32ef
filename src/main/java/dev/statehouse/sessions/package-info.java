/**
 * Agent sessions, their messages and lineage, and the sidebar: {@code /api/sessions}.
 * <p>
 * SQL: sessions in {@link dev.statehouse.sessions.SessionRepository} (with lineage), messages in
 * {@link dev.statehouse.sessions.MessageRepository}, the sidebar's one query in
 * {@link dev.statehouse.sessions.SidebarRepository}. Writes go through
 * {@link dev.statehouse.sessions.SessionService}, one transaction each.
 * <p>
 * Invariants: the lineage columns (root, tip, segments, last activity, message count) are kept
 * exact in the same transaction as the write that changes them ({@code LineageConsistencyTest}
 * checks them against a recomputation); the sidebar shows a client its own write at once and another
 * process's within {@code statehouse.sessions.sidebar-cache-ttl}; its ETag changes whenever its bytes
 * could. A sidebar answer is made in one place ({@link dev.statehouse.sessions.SidebarPages}) for the
 * controller and the lean path alike, so both send the same bytes and headers; the lean path takes
 * only queries {@link dev.statehouse.sessions.SidebarQuery#parseStrict} reads exactly.
 */
package dev.statehouse.sessions;
