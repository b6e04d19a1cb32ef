/**
 * Authentication on PostgreSQL (N replicas must accept the same tokens):
 * {@link dev.statehouse.security.postgres.ProvidedToken}. Invariant: only what differs by engine lives here.
 */
package dev.statehouse.security.postgres;
