package dev.statehouse.kanban;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;

/**
 * Server-Sent Events for board watchers. The number of watchers is bounded; events fan out on one
 * sender thread (a slow watcher never holds a request thread), a periodic ping finds watchers
 * whose connection is gone, and every ended stream is removed at once. On shutdown every stream
 * ends first, before the web server's graceful shutdown waits for active requests (a stream never
 * ends by itself: it would hold every SIGTERM for the whole shutdown timeout); its watcher
 * reconnects, to another replica, with its Last-Event-ID.
 */
@Component
public class BoardEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BoardEvents.class);

    /**
     * One open stream, and the position of the last event it has (its Last-Event-ID at first): it
     * is sent only events after that position, so it never gets an event twice or goes backwards,
     * whatever this process's feed has read. Until its backlog is sent, live events are kept in
     * {@code pending} (a delivery queued before the subscription may run after it: sent at once, it
     * would overtake the backlog, and the backlog then count as already had: a gap), then sent after
     * the backlog. Read and moved on the sender thread only.
     */
    private static final class Watcher {
        final String board;
        final SseEmitter emitter;
        EventPosition after;
        List<EventFeed.Positioned> pending = new java.util.ArrayList<>();

        Watcher(String board, SseEmitter emitter) {
            this.board = board;
            this.emitter = emitter;
            this.after = EventPosition.START; // set from its backlog before anything is sent
        }

        String board() {
            return board;
        }

        SseEmitter emitter() {
            return emitter;
        }
    }

    private final KanbanProperties props;
    private final WatcherSets<Watcher> watchers = new WatcherSets<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean running;
    private final ExecutorService sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "board-events");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardOldestPolicy());

    /** Where committed events and backlogs come from (per engine: {@link EventFeed}). */
    private final EventFeed feed;
    private final RetentionRepository retention;

    public BoardEvents(KanbanProperties props, MeterRegistry registry, EventFeed feed, RetentionRepository retention) {
        this.props = props;
        this.feed = feed;
        this.retention = retention;
        feed.attach(this::deliver, () -> count.get() > 0);
        Gauge.builder("statehouse.kanban.watchers", count, AtomicInteger::get)
                .description("Open board event streams").register(registry);
    }

    public int watchers() {
        return count.get();
    }

    /**
     * Opens a stream, first replaying what the client missed after {@code lastEventId} (its
     * Last-Event-ID: an event id, or {@code "tx.id"} on PostgreSQL; null for live events only). A
     * client that missed more than {@code max-replay} events is sent a {@code reload} event instead of
     * them (its id is where the stream goes on), never a silent gap.
     */
    public SseEmitter subscribe(String board, String lastEventId) {
        return feed.subscribe(board, lastEventId, replayLimit(board, lastEventId), backlog -> open(board, backlog));
    }

    /**
     * How many missed events the watcher may be sent: {@code max-replay}, or none (so a {@code reload})
     * when it resumes from before the board's retention horizon: events after its position may have
     * been pruned ({@link Retention}).
     */
    private int replayLimit(String board, String lastEventId) {
        if (lastEventId == null) {
            return props.maxReplay();
        }
        EventPosition from = EventPosition.parse(lastEventId);
        EventPosition horizon = retention.horizon(board).orElse(null);
        return horizon != null && from != null && horizon.isAfter(from) ? -1 : props.maxReplay();
    }

    /** Registers a watcher (live events pending), then reads its backlog, and sends the backlog and then what is pending. */
    private SseEmitter open(String board, java.util.function.Supplier<EventFeed.Backlog> backlogReader) {
        if (!running) {
            throw new DomainException.Unavailable(ErrorKind.SHUTTING_DOWN, "this instance is stopping; watch again (another replica)", 1);
        }
        if (count.incrementAndGet() > props.maxWatchers()) {
            count.decrementAndGet();
            throw new DomainException.Unavailable(ErrorKind.TOO_MANY_WATCHERS,
                    "at most " + props.maxWatchers() + " event streams may be open at once", 5);
        }
        SseEmitter emitter = new SseEmitter(props.watcherTimeout().toMillis());
        Watcher watcher = new Watcher(board, emitter);
        watchers.add(board, watcher);
        Runnable remove = () -> remove(watcher);
        emitter.onCompletion(remove);
        emitter.onTimeout(() -> {
            remove(watcher);
            emitter.complete();
        });
        emitter.onError(e -> remove(watcher));
        EventFeed.Backlog backlog;
        try {
            backlog = backlogReader.get();
        } catch (RuntimeException e) {
            remove(watcher);
            throw e;
        }
        try {
            // sent before the emitter is returned: Spring holds it until the request thread takes the
            // emitter on, so that thread commits the response (status and headers); a first send from
            // the sender thread could commit it while the request thread still writes headers
            // (seen once: Tomcat's header buffer NPE, a 500 on opening a stream)
            emitter.send(SseEmitter.event().comment("watching " + board));
        } catch (IOException e) {
            remove(watcher);
            throw new UncheckedIOException(e);
        }
        sender.execute(() -> {
            try {
                watcher.after = backlog.after();
                if (backlog.reloadAfter() != null) {
                    watcher.emitter().send(SseEmitter.event().id(backlog.after().sseId()).name("reload").data(Map.of(
                            "board", board, "missed_after", backlog.reloadAfter(), "resumes_after", backlog.after().sseId(),
                            "detail", "events after missed_after are no longer replayed (more than " + props.maxReplay()
                                    + " were missed, or retention pruned some): reload the board; this stream goes on with the"
                                    + " events after resumes_after")));
                }
                for (EventFeed.Positioned event : backlog.events()) {
                    send(watcher, event.event(), event.position());
                }
                List<EventFeed.Positioned> live = watcher.pending;
                watcher.pending = null;
                for (EventFeed.Positioned event : live) {
                    send(watcher, event.event(), event.position());
                }
            } catch (IOException | IllegalStateException e) {
                drop(watcher, e);
            }
        });
        return emitter;
    }

    /** This process committed an event: its feed hands it to the watchers, never before the commit. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void publish(TaskEvent event) {
        feed.committed(event);
    }

    private void deliver(TaskEvent event, EventPosition position) {
        Set<Watcher> set = watchers.of(event.board());
        if (set.isEmpty()) {
            return;
        }
        sender.execute(() -> {
            for (Watcher w : set) {
                if (w.pending != null) { // its backlog is not sent yet
                    w.pending.add(new EventFeed.Positioned(position, event));
                    continue;
                }
                try {
                    send(w, event, position);
                } catch (IOException | IllegalStateException e) {
                    drop(w, e);
                }
            }
        });
    }

    /** Sends the event unless the watcher already has it (its position is at or past the event's). */
    private static void send(Watcher w, TaskEvent event, EventPosition position) throws IOException {
        if (!position.isAfter(w.after)) {
            return;
        }
        w.emitter().send(SseEmitter.event().id(position.sseId()).name(event.kind()).data(event));
        w.after = position;
    }

    /** A comment to every watcher: the write fails for a vanished client, which frees it. */
    @Scheduled(fixedDelayString = "${statehouse.kanban.watcher-ping:15s}")
    public void ping() {
        if (count.get() == 0) {
            return;
        }
        sender.execute(() -> {
            for (Set<Watcher> set : watchers.all()) {
                for (Watcher w : set) {
                    try {
                        w.emitter().send(SseEmitter.event().comment("ping"));
                    } catch (IOException | IllegalStateException e) {
                        drop(w, e);
                    }
                }
            }
        });
    }

    private void drop(Watcher w, Exception e) {
        log.debug("watcher of {} gone: {}", w.board(), e.toString());
        remove(w);
        try {
            w.emitter().completeWithError(e);
        } catch (RuntimeException ignored) {
            // already completed
        }
    }

    private void remove(Watcher w) {
        if (watchers.remove(w.board(), w)) {
            count.decrementAndGet();
        }
    }

    /** Boards with at least one watcher (for tests: nothing grows with boards watched once). */
    int watchedBoards() {
        return watchers.boards();
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream, cleanly; later subscriptions get 503 until the process exits. */
    @Override
    public void stop() {
        running = false;
        for (Set<Watcher> set : watchers.all()) {
            for (Watcher w : set) {
                remove(w);
                try {
                    w.emitter().complete();
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown (phase {@code DEFAULT_PHASE - 1024}) starts waiting. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    @PreDestroy
    void shutdown() {
        stop();
        sender.shutdownNow();
    }
}
