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
}
