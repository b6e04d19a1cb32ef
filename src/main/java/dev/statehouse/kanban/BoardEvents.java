package dev.statehouse.kanban;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.statehouse.domain.DomainException;

/**
 * Server-Sent Events for board watchers. The number of watchers is bounded; events fan out on one
 * sender thread (a slow watcher never holds a request thread), a periodic ping finds watchers
 * whose connection is gone, and every ended stream is removed at once.
 */
@Component
public class BoardEvents {

    private static final Logger log = LoggerFactory.getLogger(BoardEvents.class);

    private record Watcher(String board, SseEmitter emitter) {
    }

    private final KanbanProperties props;
    private final Map<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final ExecutorService sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "board-events");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardOldestPolicy());

    public BoardEvents(KanbanProperties props, MeterRegistry registry) {
        this.props = props;
        Gauge.builder("statehouse.kanban.watchers", count, AtomicInteger::get)
                .description("Open board event streams").register(registry);
    }

    public int watchers() {
        return count.get();
    }

    /** Opens a stream, first replaying {@code backlog} (events after the client's Last-Event-ID). */
    public SseEmitter subscribe(String board, List<TaskEvent> backlog) {
        if (count.incrementAndGet() > props.maxWatchers()) {
            count.decrementAndGet();
            throw new DomainException.Unavailable("Too many watchers",
                    "at most " + props.maxWatchers() + " event streams may be open at once", 5);
        }
        SseEmitter emitter = new SseEmitter(props.watcherTimeout().toMillis());
        Watcher watcher = new Watcher(board, emitter);
        watchers.computeIfAbsent(board, b -> ConcurrentHashMap.newKeySet()).add(watcher);
        Runnable remove = () -> remove(watcher);
        emitter.onCompletion(remove);
        emitter.onTimeout(() -> {
            remove(watcher);
            emitter.complete();
        });
        emitter.onError(e -> remove(watcher));
        sender.execute(() -> {
            try {
                emitter.send(SseEmitter.event().comment("watching " + board));
                for (TaskEvent event : backlog) {
                    send(watcher, event);
                }
            } catch (IOException | IllegalStateException e) {
                drop(watcher, e);
            }
        });
        return emitter;
    }

    /** Fans a committed event out to the board's watchers (never before its transaction commits). */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void publish(TaskEvent event) {
        Set<Watcher> set = watchers.get(event.board());
        if (set == null || set.isEmpty()) {
            return;
        }
        sender.execute(() -> {
            for (Watcher w : set) {
                try {
                    send(w, event);
                } catch (IOException | IllegalStateException e) {
                    drop(w, e);
                }
            }
        });
    }

    private static void send(Watcher w, TaskEvent event) throws IOException {
        w.emitter().send(SseEmitter.event().id(Long.toString(event.id())).name(event.kind()).data(event));
    }

    /** A comment to every watcher: the write fails for a vanished client, which frees it. */
    @Scheduled(fixedDelayString = "${statehouse.kanban.watcher-ping:15s}")
    public void ping() {
        if (count.get() == 0) {
            return;
        }
        sender.execute(() -> {
            for (Set<Watcher> set : watchers.values()) {
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
        Set<Watcher> set = watchers.get(w.board());
        if (set != null && set.remove(w)) {
            count.decrementAndGet();
        }
    }

    @PreDestroy
    void shutdown() {
        for (Set<Watcher> set : watchers.values()) {
            for (Watcher w : set) {
                try {
                    w.emitter().complete();
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
        }
        sender.shutdownNow();
    }
}
