package dev.statehouse.web;

import java.util.HashSet;
import java.util.Set;

/**
 * Base of a PATCH body: remembers which fields the client sent, so "set to null" ({@code
 * "title": null}) and "leave alone" (no {@code title}) stay apart. Subclasses call
 * {@link #sent(String)} from each setter; Jackson calls setters only for fields present.
 */
public abstract class PatchRequest {

    private final Set<String> sent = new HashSet<>();

    protected final void sent(String field) {
        sent.add(field);
    }

    /** True when the body held {@code field}, even as null. */
    public final boolean has(String field) {
        return sent.contains(field);
    }
}
