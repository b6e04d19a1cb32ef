/**
 * Authentication on SQLite (one process owns the data): {@link dev.statehouse.security.sqlite.GeneratedToken}.
 * Invariant: only what differs by engine lives here.
 */
package dev.statehouse.security.sqlite;
