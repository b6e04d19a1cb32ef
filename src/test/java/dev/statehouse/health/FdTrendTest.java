package dev.statehouse.health;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FdTrendTest {

    /** A monotonic reading {@code seconds} after an arbitrary (here negative) origin, as System.nanoTime() may be. */
    private static long at(long seconds) {
        return Long.MIN_VALUE / 2 + seconds * 1_000_000_000L;
    }

    @Test
    void steadyGrowthIsSustainedAndProjectsExhaustion() {
        FdTrend trend = new FdTrend(Duration.ofMinutes(30));
        for (int i = 0; i <= 360; i++) { // 30 min of 5 s samples, +1 descriptor per sample
            trend.add(at(5L * i), 100 + i);
        }
        FdTrend.Result r = trend.evaluate(1024, 32);
        assertThat(r.sustained()).isTrue();
        assertThat(r.growthPerHour()).isCloseTo(720, within(0.5));
        // 1024 - 460 left at 0.2/s
        assertThat(r.etaSeconds()).isCloseTo((1024 - 460) / 0.2, within(1.0));
        assertThat(r.spanSeconds()).isCloseTo(1800, within(0.001));
    }

    @Test
    void oneBurstIsNotSustainedWhereverItFalls() {
        for (int burstAt : new int[] {10, 60, 120, 180, 300}) {
            FdTrend trend = new FdTrend(Duration.ofMinutes(30));
            for (int i = 0; i <= 360; i++) {
                trend.add(at(5L * i), i < burstAt ? 100 : 400);
            }
            FdTrend.Result r = trend.evaluate(1024, 32);
            assertThat(r.sustained()).as("burst at sample %d", burstAt).isFalse();
            assertThat(r.growthPerHour()).isGreaterThan(0); // the slope alone would have fired
        }
    }

    @Test
    void flatNoisyAndShrinkingCountsAreNotGrowth() {
        FdTrend flat = new FdTrend(Duration.ofMinutes(30));
        FdTrend shrinking = new FdTrend(Duration.ofMinutes(30));
        for (int i = 0; i <= 360; i++) {
            flat.add(at(5L * i), 100 + (i % 7) - 3);
            shrinking.add(at(5L * i), 500 - i);
        }
        assertThat(flat.evaluate(1024, 32).sustained()).isFalse();
        assertThat(shrinking.evaluate(1024, 32).sustained()).isFalse();
        assertThat(shrinking.evaluate(1024, 32).etaSeconds()).isInfinite();
    }

    @Test
    void slowGrowthBelowTheMinimumIncreaseIsNotSustained() {
        FdTrend trend = new FdTrend(Duration.ofMinutes(30));
        for (int i = 0; i <= 360; i++) {
            trend.add(at(5L * i), 100 + i / 20); // +18 in 30 min
        }
        assertThat(trend.evaluate(1024, 32).sustained()).isFalse();
        assertThat(trend.evaluate(1024, 10).sustained()).isTrue();
    }

    @Test
    void pointsOlderThanTheWindowAreDropped() {
        FdTrend trend = new FdTrend(Duration.ofSeconds(60));
        for (int i = 0; i < 100; i++) {
            trend.add(at(i), 100);
        }
        FdTrend.Result r = trend.evaluate(1024, 32);
        assertThat(r.points()).isEqualTo(61);
        assertThat(r.spanSeconds()).isCloseTo(60, within(0.001));
        assertThat(new FdTrend(Duration.ofSeconds(60)).evaluate(1024, 1).etaSeconds()).isInfinite();
    }
}
