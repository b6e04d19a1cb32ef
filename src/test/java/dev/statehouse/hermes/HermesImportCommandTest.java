package dev.statehouse.hermes;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/** A failure is said in words: the innermost message that says something, never a Java class name. */
class HermesImportCommandTest {

    @Test
    void failuresAreSaidWithoutClassNames() {
        SQLException full = new SQLException("[SQLITE_FULL] Insertion failed because database is full (database or disk is full)");
        RuntimeException wrapped = new DataAccessResourceFailureException("StatementCallback; SQL [INSERT ...]; java.sql.SQLException: x", full);
        assertThat(HermesImportCommand.describe(wrapped))
                .isEqualTo("[SQLITE_FULL] Insertion failed because database is full (database or disk is full)");
        assertThat(HermesImportCommand.describe(new IllegalStateException("java.io.IOException: No space left on device")))
                .isEqualTo("No space left on device");
        assertThat(HermesImportCommand.describe(new NullPointerException())).isEqualTo("an unexpected error");
    }
}
