package dev.statehouse.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogBudgetTest {

    @Test
    void eachClientGetsItsOwnBudgetAndLearnsWhatWasSuppressed() {
        LogBudget budget = new LogBudget(3);
        assertThat(budget.take("a")).isZero();
        assertThat(budget.take("a")).isZero();
        assertThat(budget.take("a")).isZero();
        assertThat(budget.take("a")).as("past the budget").isEqualTo(-1);
        assertThat(budget.take("a")).isEqualTo(-1);
        assertThat(budget.take("b")).as("another client is not affected").isZero();
    }

    /** Issue 28: clients that come and go over months never fill the table and make every new one share a budget. */
    @Test
    void addressesQuietForAMinuteMakeRoomForNewOnes() {
        long[] now = {0};
        LogBudget budget = new LogBudget(1, () -> now[0]);
        for (int i = 0; i < 4096; i++) {
            assertThat(budget.take("10.0." + i)).isZero();
        }
        assertThat(budget.clients()).isEqualTo(4096);
        assertThat(budget.take("flood-1")).as("a flood within the minute shares one budget").isZero();
        assertThat(budget.take("flood-2")).isEqualTo(-1);
        now[0] += 61_000_000_000L;
        assertThat(budget.take("tomorrow")).as("a minute later the quiet ones are gone: its own budget").isZero();
        assertThat(budget.clients()).isLessThanOrEqualTo(2);
        assertThat(budget.take("tomorrow")).isEqualTo(-1);
        assertThat(budget.take("another")).as("and the next new client has its own too").isZero();
    }
}
