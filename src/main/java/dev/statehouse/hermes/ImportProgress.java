package dev.statehouse.hermes;

/** Told how far an import is: a phase, rows done, rows in all. */
public interface ImportProgress {

    void update(String phase, long done, long total);
}
