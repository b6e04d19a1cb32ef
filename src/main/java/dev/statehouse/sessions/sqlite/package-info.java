/**
 * The sessions feature's SQLite forms ({@link dev.statehouse.sessions.ChainStatements}). Invariant:
 * only engine-specific statements live here; the rules they keep are the feature's (HELP.md, "The sidebar").
 */
package dev.statehouse.sessions.sqlite;
