package dev.statehouse.sessions;

import dev.statehouse.storage.DataChanged;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The writing use cases of sessions and messages, each one transaction (BEGIN IMMEDIATE) that
 * announces {@link DataChanged#SESSIONS}; the sidebar cache hears it after the commit.
 */
@Service
public class SessionService {

    private final SessionRepository sessions;
    private final MessageRepository messages;
    private final ApplicationEventPublisher events;

    public SessionService(SessionRepository sessions, MessageRepository messages, ApplicationEventPublisher events) {
        this.sessions = sessions;
        this.messages = messages;
        this.events = events;
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
