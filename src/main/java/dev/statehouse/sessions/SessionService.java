package dev.statehouse.sessions;

import java.util.List;

import dev.statehouse.domain.DomainException;
import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.DataChanged;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The use cases of sessions, messages and the sidebar. Reads check what the request names (a missing
 * session is 404, a cursor that is not one of the session's messages is 400); writes are each one
 * transaction (BEGIN IMMEDIATE) that announces {@link DataChanged#SESSIONS}, which the sidebar cache
 * hears after the commit. The controllers reach the repositories only through this class.
 */
@Service
public class SessionService {

    private final SessionRepository sessions;
    private final MessageRepository messages;
    private final SidebarRepository sidebar;
    private final ApplicationEventPublisher events;

    public SessionService(SessionRepository sessions, MessageRepository messages, SidebarRepository sidebar,
                          ApplicationEventPublisher events) {
        this.sessions = sessions;
        this.messages = messages;
        this.sidebar = sidebar;
        this.events = events;
    }

    /** Up to {@code limit} sidebar rows after the cursor, newest activity first. */
    public List<SidebarRow> sidebar(SidebarFilter filter, Cursor after, int limit) {
        return sidebar.sidebar(filter, after, limit);
    }

    public Session session(String id) {
        return sessions.find(id).orElseThrow(() -> DomainException.notFound("session", id));
    }

    /**
     * Up to {@code limit} of a session's messages before message {@code before} (null: the newest),
     * oldest first.
     */
    public List<Message> messages(String sessionId, Long before, int limit) {
        if (!sessions.exists(sessionId)) {
            throw DomainException.notFound("session", sessionId);
        }
        if (before != null && !messages.messageExists(sessionId, before)) {
            throw new DomainException.InvalidInput("cursor", "must be the next_cursor of a page of this session's messages");
        }
        return messages.messages(sessionId, before, limit);
    }

    public Message message(String sessionId, long messageId) {
        return messages.message(sessionId, messageId).orElseThrow(() -> DomainException.notFound("message", String.valueOf(messageId)));
    }

    /** Creates a session; a continuation joins (and recomputes) its parent's chain. */
    @Transactional
    public Session create(NewSession session) {
        events.publishEvent(DataChanged.SESSIONS);
        return sessions.create(session);
    }

    @Transactional
    public Session update(String id, SessionPatch patch) {
        events.publishEvent(DataChanged.SESSIONS);
        return sessions.update(id, patch);
    }

    @Transactional
    public boolean delete(String id) {
        events.publishEvent(DataChanged.SESSIONS);
        return sessions.delete(id);
    }

    /** Appends a message and keeps the session's counters and its chain's tip in the same transaction. */
    @Transactional
    public Message append(String sessionId, NewMessage message) {
        events.publishEvent(DataChanged.SESSIONS);
        return messages.appendMessage(sessionId, message);
    }

    /** Recomputes every chain (after a bulk import). */
    @Transactional
    public void relineageAll() {
        events.publishEvent(DataChanged.SESSIONS);
        sessions.relineageAll();
    }
}
