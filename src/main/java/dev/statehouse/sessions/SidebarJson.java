package dev.statehouse.sessions;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.statehouse.storage.Timestamps;
import dev.statehouse.web.Page;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.ObjectMapper;

/**
 * A sidebar page as JSON, written field by field on the application's own {@link JsonGenerator}
 * (same escaping, same features): the very bytes {@code ObjectMapper.writeValueAsBytes(page)} gives
 * for a {@code Page<SidebarRow>} ({@code SidebarJsonTest} holds them equal, nulls, odd text and
 * instants included), at a fraction of its cost. Measured reason: on an uncached sidebar request,
 * databind's bean serialization and {@code Instant} formatting through {@link DateTimeFormatter}
 * were a fifth of the service's own time. A field added to {@link SidebarRow} must be added here;
 * the test fails until it is.
 */
final class SidebarJson {

    private static final SerializableString ITEMS = new SerializedString("items");
    private static final SerializableString NEXT_CURSOR = new SerializedString("next_cursor");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString TITLE = new SerializedString("title");
    private static final SerializableString SOURCE = new SerializedString("source");
    private static final SerializableString MODEL = new SerializedString("model");
    private static final SerializableString PROJECT_ID = new SerializedString("project_id");
    private static final SerializableString STARTED_AT = new SerializedString("started_at");
    private static final SerializableString LAST_ACTIVITY = new SerializedString("last_activity");
    private static final SerializableString ENDED_AT = new SerializedString("ended_at");
    private static final SerializableString END_REASON = new SerializedString("end_reason");
    private static final SerializableString MESSAGE_COUNT = new SerializedString("message_count");
    private static final SerializableString TOOL_CALL_COUNT = new SerializedString("tool_call_count");
    private static final SerializableString INPUT_TOKENS = new SerializedString("input_tokens");
    private static final SerializableString OUTPUT_TOKENS = new SerializedString("output_tokens");
    private static final SerializableString PINNED = new SerializedString("pinned");
    private static final SerializableString ARCHIVED = new SerializedString("archived");
    private static final SerializableString LINEAGE_ROOT_ID = new SerializedString("lineage_root_id");
    private static final SerializableString LINEAGE_TIP_ID = new SerializedString("lineage_tip_id");
    private static final SerializableString SEGMENT_COUNT = new SerializedString("segment_count");
    private static final SerializableString RELATIONSHIP_TYPE = new SerializedString("relationship_type");
    private static final SerializableString PARENT_SESSION_ID = new SerializedString("parent_session_id");
    private static final SerializableString PARENT_TITLE = new SerializedString("parent_title");

    private final ObjectMapper mapper;

    SidebarJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] write(Page<SidebarRow> page) {
        List<SidebarRow> items = page.items();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 520 * items.size());
        char[] instant = new char[32];
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeName(ITEMS);
            g.writeStartArray();
            for (SidebarRow row : items) {
                g.writeStartObject();
                string(g, ID, row.id());
                string(g, TITLE, row.title());
                string(g, SOURCE, row.source());
                string(g, MODEL, row.model());
                string(g, PROJECT_ID, row.projectId());
                instant(g, STARTED_AT, row.startedAt(), instant);
                instant(g, LAST_ACTIVITY, row.lastActivity(), instant);
                instant(g, ENDED_AT, row.endedAt(), instant);
                string(g, END_REASON, row.endReason());
                number(g, MESSAGE_COUNT, row.messageCount());
                number(g, TOOL_CALL_COUNT, row.toolCallCount());
                number(g, INPUT_TOKENS, row.inputTokens());
                number(g, OUTPUT_TOKENS, row.outputTokens());
                g.writeName(PINNED);
                g.writeBoolean(row.pinned());
                g.writeName(ARCHIVED);
                g.writeBoolean(row.archived());
                string(g, LINEAGE_ROOT_ID, row.lineageRootId());
                string(g, LINEAGE_TIP_ID, row.lineageTipId());
                number(g, SEGMENT_COUNT, row.segmentCount());
                string(g, RELATIONSHIP_TYPE, row.relationshipType());
                string(g, PARENT_SESSION_ID, row.parentSessionId());
                string(g, PARENT_TITLE, row.parentTitle());
                g.writeEndObject();
            }
            g.writeEndArray();
            string(g, NEXT_CURSOR, page.nextCursor());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void string(JsonGenerator g, SerializableString name, String value) {
        g.writeName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    private static void number(JsonGenerator g, SerializableString name, long value) {
        g.writeName(name);
        g.writeNumber(value);
    }

    private static void instant(JsonGenerator g, SerializableString name, Instant value, char[] buffer) {
        g.writeName(name);
        if (value == null) {
            g.writeNull();
        } else if (value.getEpochSecond() < 0 || value.getEpochSecond() > Timestamps.MAX_EPOCH_SECONDS) {
            g.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
        } else {
            g.writeString(buffer, 0, iso(value.getEpochSecond(), value.getNano(), buffer));
        }
    }

    /**
     * {@link DateTimeFormatter#ISO_INSTANT}'s text for an instant in years 1970–9999, into {@code out}
     * (32 chars): {@code yyyy-MM-ddTHH:mm:ss}, then the fraction in groups of three digits as long as
     * it needs (none when zero), then {@code Z}. Returns its length.
     */
    static int iso(long epochSecond, int nano, char[] out) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        // days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian)
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long dayOfEra = z - era * 146_097L;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int n = 19;
        if (nano != 0) {
            out[n++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(out, n, nano / 1_000_000, 3);
                n += 3;
            } else if (nano % 1_000 == 0) {
                digits(out, n, nano / 1_000, 6);
                n += 6;
            } else {
                digits(out, n, nano, 9);
                n += 9;
            }
        }
        out[n++] = 'Z';
        return n;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
