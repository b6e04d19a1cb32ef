package dev.statehouse.sessions;

/** What the default list leaves out and a filter can ask for. */
public record SidebarFilter(String source, String projectId, boolean includeArchived, boolean includeEmpty,
                            boolean includeBackground) {
}
