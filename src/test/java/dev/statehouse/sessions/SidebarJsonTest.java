package dev.statehouse.sessions;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.statehouse.support.ServerTestSupport;
import dev.statehouse.web.Page;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written sidebar JSON ({@link SidebarJson}) is byte for byte what the application's own
 * {@link ObjectMapper} writes for the same page: every field, nulls, text that needs escaping
 * (quotes, control characters, U+2028, emoji, non-Latin scripts), instants at every precision and
 * outside four-digit years, with and without a next cursor.
 */
class SidebarJsonTest extends ServerTestSupport {

    @Autowired
    ObjectMapper mapper;

    private static final String[] TEXTS = {"plain", "", "with \"quotes\" and \\ backslash", "tab\tnew\nline\r\u0001\u001f",
        "</script><b>", "line\u2028separator\u2029", "emoji \uD83D\uDE80 and \u00e9\u00e8 \u4e2d\u6587 \u0645\u0631\u062d\u0628\u0627",
        "\u007f\u0080\u00ff", "x".repeat(300)};

    @Test
    void aPageIsWrittenAsTheMapperWritesIt() {
        Random random = new Random(30);
        SidebarJson json = new SidebarJson(mapper);
        for (int round = 0; round < 300; round++) {
            List<SidebarRow> rows = new ArrayList<>();
            int n = round % 7 == 0 ? 0 : 1 + random.nextInt(60);
            for (int i = 0; i < n; i++) {
                rows.add(row(random));
            }
            Page<SidebarRow> page = new Page<>(rows, random.nextBoolean() ? null : "djF8NDFkYWMwYzczOWJkZDUyM3xzX2JlbmNoXzAwOTk5NQ");
            assertThat(new String(json.write(page), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(new String(mapper.writeValueAsBytes(page), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void instantsAreWrittenAsIsoInstantWrites() {
        Random random = new Random(3);
        char[] buffer = new char[32];
        long[] edges = {0, 1, 59, 60, 86_399, 86_400, 951_782_400L /* 2000-02-29 */, 4_107_542_400L /* 2100-03-01 */,
            253_402_300_799L, 253_402_300_799L - 86_400 * 365L, 1_709_164_800L /* 2024-02-29 */};
        int[] nanos = {0, 1, 999_999_999, 1_000, 999_000, 1_000_000, 500_000_000, 123_456_000, 123_456_789, 100};
        for (long second : edges) {
            for (int nano : nanos) {
                assertIso(second, nano, buffer);
            }
        }
        for (int i = 0; i < 200_000; i++) {
            long second = (long) (random.nextDouble() * 253_402_300_800L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            assertIso(second, nano, buffer);
        }
    }

    private static void assertIso(long second, int nano, char[] buffer) {
        String expected = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second, nano));
        assertThat(new String(buffer, 0, SidebarJson.iso(second, nano, buffer))).as("%d.%09d", second, nano).isEqualTo(expected);
    }

    private static SidebarRow row(Random random) {
        String parent = random.nextInt(3) == 0 ? "s_parent_" + random.nextInt(100) : null;
        return new SidebarRow("s_" + random.nextInt(1_000_000), text(random), text(random), text(random), text(random),
                instant(random, false), instant(random, false), instant(random, true), text(random), random.nextLong(),
                random.nextInt(1000), random.nextInt(), Long.MAX_VALUE - random.nextInt(10), random.nextBoolean(), random.nextBoolean(),
                "s_root", "s_tip", random.nextInt(100), parent == null ? "root" : "child_session", parent, text(random),
                random.nextDouble());
    }

    private static String text(Random random) {
        int pick = random.nextInt(TEXTS.length + 2);
        return pick >= TEXTS.length ? null : TEXTS[pick];
    }

    /** Mostly microsecond instants in 1970–2100 (what the database holds), sometimes whole seconds, nanos, or years outside 1970–9999. */
    private static Instant instant(Random random, boolean nullable) {
        int pick = random.nextInt(10);
        if (nullable && pick == 0) {
            return null;
        }
        long second = (long) (random.nextDouble() * 4_102_444_800L);
        return switch (pick) {
            case 1 -> Instant.ofEpochSecond(second);
            case 2 -> Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
            case 3 -> Instant.ofEpochSecond(-1 - second, random.nextInt(1000) * 1_000_000);
            case 4 -> Instant.ofEpochSecond(253_402_300_800L + second, 5_000);
            default -> Instant.ofEpochSecond(second, random.nextInt(1_000_000) * 1_000);
        };
    }
}
