package dev.statehouse.projects;

import java.time.Instant;
import java.util.List;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.DataChanged;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The use cases of projects: reads (a missing project is 404), and writes, each one transaction that
 * announces {@link DataChanged#SESSIONS} (the sidebar shows projects). The controller reaches the
 * repository only through this class.
 */
@Service
public class ProjectService {

    private final ProjectRepository projects;
    private final ApplicationEventPublisher events;

    public ProjectService(ProjectRepository projects, ApplicationEventPublisher events) {
        this.projects = projects;
        this.events = events;
    }

    /** Up to {@code limit} projects after the cursor, with their session counts. */
    public List<Project> list(Cursor after, int limit) {
        return projects.list(after, limit);
    }

    public Project project(String id) {
        return projects.find(id).orElseThrow(() -> DomainException.notFound("project", id));
    }

    @Transactional
    public Project create(String id, String name, String color, Instant now) {
        events.publishEvent(DataChanged.SESSIONS);
        if (!projects.insert(id, name, color, now)) {
            throw DomainException.conflict(ErrorKind.ALREADY_EXISTS, "project '" + id + "' already exists");
        }
        return projects.find(id).orElseThrow();
    }

    @Transactional
    public Project update(String id, String name, boolean setColor, String color) {
        events.publishEvent(DataChanged.SESSIONS);
        if (!projects.update(id, name, setColor, color)) {
            throw DomainException.notFound("project", id);
        }
        return projects.find(id).orElseThrow();
    }

    /** Deletes the project; its sessions stay, unassigned. */
    @Transactional
    public void delete(String id) {
        events.publishEvent(DataChanged.SESSIONS);
        if (!projects.delete(id)) {
            throw DomainException.notFound("project", id);
        }
    }
}
