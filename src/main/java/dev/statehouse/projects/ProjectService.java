package dev.statehouse.projects;

import java.time.Instant;

import dev.statehouse.domain.DomainException;
import dev.statehouse.storage.DataChanged;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The writing use cases of projects, each one transaction that announces {@link DataChanged#SESSIONS} (the sidebar shows projects). */
@Service
public class ProjectService {

    private final ProjectRepository projects;
    private final ApplicationEventPublisher events;

    public ProjectService(ProjectRepository projects, ApplicationEventPublisher events) {
        this.projects = projects;
        this.events = events;
    }

    @Transactional
    public Project create(String id, String name, String color, Instant now) {
        events.publishEvent(DataChanged.SESSIONS);
        if (!projects.insert(id, name, color, now)) {
            throw DomainException.conflict("project '" + id + "' already exists");
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
