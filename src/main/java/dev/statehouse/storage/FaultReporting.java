package dev.statehouse.storage;

import java.sql.SQLException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Storage notices its own faults: every SQL exception the pool's {@code JdbcTemplate} or transaction
 * manager translates (a statement, a commit), and every failed BEGIN, is shown to {@link StorageHealth}
 * on the way, so a full
 * disk, a read-only mount or an I/O error is recorded wherever it happens — a request, a dispatcher
 * tick, the event relay, an import — and the layers above only map the exception they get.
 */
final class FaultReporting implements SQLExceptionTranslator {

    private final SQLExceptionTranslator translator;
    /** Looked up when a fault happens: StorageHealth itself needs the JdbcTemplate this translator serves. */
    private final ObjectProvider<StorageHealth> health;

    private FaultReporting(SQLExceptionTranslator translator, ObjectProvider<StorageHealth> health) {
        this.translator = translator;
        this.health = health;
    }

    @Override
    public DataAccessException translate(String task, String sql, SQLException ex) {
        DataAccessException translated = translator.translate(task, sql, ex);
        health.getObject().writeFailed(translated == null ? ex : translated);
        return translated;
    }

    /** A transaction manager that says when BEGIN fails (Spring does not translate that failure). */
    interface BeginFailures {
        void onBeginFailure(java.util.function.Consumer<Throwable> listener);
    }

    /**
     * Wraps the translator of every {@code JdbcTemplate} and JDBC transaction manager of the context,
     * and listens to the failed BEGINs of the transaction managers that say so.
     */
    static BeanPostProcessor installer(ObjectProvider<StorageHealth> health) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof JdbcTemplate jdbc && !(jdbc.getExceptionTranslator() instanceof FaultReporting)) {
                    jdbc.setExceptionTranslator(new FaultReporting(jdbc.getExceptionTranslator(), health));
                } else if (bean instanceof JdbcTransactionManager tm && !(tm.getExceptionTranslator() instanceof FaultReporting)) {
                    tm.setExceptionTranslator(new FaultReporting(tm.getExceptionTranslator(), health));
                }
                if (bean instanceof BeginFailures begins) {
                    begins.onBeginFailure(e -> health.getObject().writeFailed(e));
                }
                return bean;
            }
        };
    }
}
