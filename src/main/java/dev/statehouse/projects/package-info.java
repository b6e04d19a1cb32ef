/**
 * Projects, the sidebar's groups of sessions: {@code /api/projects}. SQL in
 * {@link dev.statehouse.projects.ProjectRepository}; writes through
 * {@link dev.statehouse.projects.ProjectService}. Deleting a project unassigns its sessions (the
 * foreign key's ON DELETE SET NULL); every write changes the sessions data version.
 */
package dev.statehouse.projects;
