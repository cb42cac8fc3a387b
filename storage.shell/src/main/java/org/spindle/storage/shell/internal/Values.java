package org.spindle.storage.shell.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeState;

/** Option values other than sizes and QoS, parsed with errors that name the option and what it allows. */
public final class Values {
    /** What a time option allows, for error messages and command descriptions. */
    public static final String TIME_ALLOWED = "must be an ISO-8601 instant in UTC or with an offset "
            + "(2026-12-01T00:00:00Z, 2026-12-01T01:00:00+01:00) or a date (2026-12-01, midnight UTC)";

    private Values() {
    }

    /** A page size: 1 to {@value VolumeQuery#MAX_LIMIT}. */
    public static int limit(String field, String text) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 1 && value <= VolumeQuery.MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw StorageException.invalid(field, "must be a whole number 1 to " + VolumeQuery.MAX_LIMIT + " (was '"
                + text + "')");
    }

    /** A volume state by its name, in any case. */
    public static VolumeState state(String field, String text) {
        try {
            return VolumeState.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw StorageException.invalid(field, "must be one of " + Arrays.stream(VolumeState.values())
                    .map(Enum::name).collect(Collectors.joining(", ")) + " (was '" + text + "')");
        }
    }

    /** An instant: ISO-8601 with {@code Z} or an offset, or a date meaning its midnight in UTC. */
    public static Instant instant(String field, String text) {
        String t = text.strip();
        try {
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e) {
            String hint = t.contains("T") && !t.endsWith("Z") && !t.matches(".*[+-]\\d\\d:?\\d\\d$")
                    ? "; a time without a zone is ambiguous, add Z for UTC" : "";
            throw StorageException.invalid(field, TIME_ALLOWED + hint + " (was '" + text + "')");
        }
    }
}
