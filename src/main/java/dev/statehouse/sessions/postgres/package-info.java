/**
 * The sessions feature's PostgreSQL forms ({@link dev.statehouse.sessions.ChainStatements}). Invariant:
 * only engine-specific statements live here; a chain's head row is locked before anything changes it.
 */
package dev.statehouse.sessions.postgres;
