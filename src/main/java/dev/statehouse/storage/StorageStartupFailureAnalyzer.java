package dev.statehouse.storage;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link StorageStartupException} anywhere in a start-up failure into Boot's short
 * "APPLICATION FAILED TO START" report: one line naming the database and the reason, one line
 * saying what to do, and no stack trace.
 */
class StorageStartupFailureAnalyzer extends AbstractFailureAnalyzer<StorageStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StorageStartupException cause) {
        return new FailureAnalysis("statehouse " + cause.getMessage(),
                cause.path() == null
                        ? "Fix the server or database named above, or point spring.datasource.url elsewhere. See HELP.md, 'PostgreSQL'."
                        : "Fix or move the file named above (Statehouse never rewrites a database it did not create), "
                        + "or point statehouse.storage.path elsewhere. See HELP.md, 'Start-up checks'.", cause);
    }
}
