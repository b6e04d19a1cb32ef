package dev.statehouse.hermes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A count by reason, with the first few ids it applies to (an import's summary). */
public final class ImportTally {

    /** Examples named per reason in the summary (ids of skipped or already existing rows). */
    static final int EXAMPLES = 5;

    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, List<String>> examples = new TreeMap<>();

    void add(String reason, String example) {
        counts.computeIfAbsent(reason, r -> new long[1])[0]++;
        List<String> e = examples.computeIfAbsent(reason, r -> new ArrayList<>());
        if (e.size() < EXAMPLES) {
            e.add(example);
        }
    }

    public long total() {
        return counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    /** Reason → count, in the reasons' order. */
    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((r, c) -> m.put(r, c[0]));
        return m;
    }

    public List<String> examples(String reason) {
        return examples.getOrDefault(reason, List.of());
    }
}
