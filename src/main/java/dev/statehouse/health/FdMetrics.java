package dev.statehouse.health;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Descriptor gauges from the sampler's last state. {@code process.files.open/max} are Micrometer's
 * own and are not repeated here.
 */
@Component
public class FdMetrics implements MeterBinder {

    private final FdSampler sampler;

    public FdMetrics(FdSampler sampler) {
        this.sampler = sampler;
    }

    private double read(ToDoubleFunction<FdLeakState> f) {
        FdLeakState state = sampler.state();
        return state == null ? Double.NaN : f.applyAsDouble(state);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (FdKind kind : FdKind.values()) {
            Gauge.builder("statehouse.fd.open", this, m -> m.read(s -> s.scan().count(kind)))
                    .tag("kind", kind.tag())
                    .description("Open file descriptors of the process, by what they point at")
                    .register(registry);
        }
        bindHandle(registry, "main", FdKind.DB_MAIN);
        bindHandle(registry, "wal", FdKind.DB_WAL);
        bindHandle(registry, "shm", FdKind.DB_SHM);
        Gauge.builder("statehouse.fd.deleted", this, m -> m.read(s -> s.scan().deleted().size()))
                .description("Open descriptors whose file was unlinked").register(registry);
        Gauge.builder("statehouse.fd.exhaustion.eta", this, m -> m.read(s -> s.trend().etaSeconds()))
                .baseUnit("seconds")
                .description("Projected seconds until the soft descriptor limit at the current growth (+Inf when not growing)")
                .register(registry);
        Gauge.builder("statehouse.fd.growth", this, m -> m.read(s -> s.trend().growthPerHour()))
                .baseUnit("descriptors_per_hour").description("Least-squares growth of open descriptors over the window, per hour").register(registry);
        Gauge.builder("statehouse.fd.leak.down", this, m -> m.read(s -> s.down() ? 1 : 0))
                .description("1 while the fdLeak health indicator is DOWN").register(registry);
        FunctionCounter.builder("statehouse.fd.heals", this, m -> m.read(FdLeakState::heals))
                .description("Pool recycles triggered by deleted database handles").register(registry);
        Gauge.builder("statehouse.wal.size", this, m -> m.read(FdLeakState::walBytes))
                .baseUnit("bytes").description("Size of the database's -wal file").register(registry);
    }

    private void bindHandle(MeterRegistry registry, String file, FdKind kind) {
        Gauge.builder("statehouse.db.handles", this, m -> m.read(s -> s.scan().count(kind)))
                .tag("file", file)
                .description("Open descriptors on the service's database files").register(registry);
    }
}
