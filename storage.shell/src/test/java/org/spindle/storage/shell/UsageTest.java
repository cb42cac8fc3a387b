package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.usage.UsageQuery;
import org.spindle.storage.api.usage.UsageRecord;

class UsageTest {
    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final Instant H0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant H1 = Instant.parse("2026-12-01T01:00:00Z");
    private static final Instant H2 = Instant.parse("2026-12-01T02:00:00Z");
    private final FakeUsageService usage = new FakeUsageService();

    private Usage command(String from, String to) {
        Usage u = new Usage();
        u.usage = usage;
        u.from = from;
        u.to = to;
        return u;
    }

    private void records() {
        usage.records.add(new UsageRecord(ID, "vol1", "project, \"seven\"", "sf-1", H0, H1, 3600, 10L << 30, 2500, 5000,
                7500, 120, 340, 491520, 1392640));
        usage.records.add(new UsageRecord(ID, "vol1", "project, \"seven\"", "sf-1", H1, H2, 900, 20L << 30, 1000, 0, 0,
                0, 7, 0, 28672));
    }

    @Test
    void theQueryTakesTheFiltersAndTheSpanInUtc() throws Exception {
        Usage u = command("2026-12-01T01:00:00+01:00", "2026-12-02");
        u.volume = "vol1";
        u.tenant = "t-1";

        Console.run(u);

        assertEquals(List.of(new UsageQuery("vol1", "t-1", H0, Instant.parse("2026-12-02T00:00:00Z"))), usage.queries);
        Console.run(command("2026-12-01T00:00:00Z", "2026-12-01T00:30:00.5Z"));
        assertNull(usage.queries.get(1).volume());
        assertEquals(Instant.parse("2026-12-01T00:30:00.500Z"), usage.queries.get(1).to());
    }

    @Test
    void aTableByDefault() throws Exception {
        records();
        String out = Console.run(command("2026-12-01", "2026-12-02"));

        assertEquals(List.of("VOLUME", "TENANT", "POOL", "START", "END", "SECONDS", "SIZE", "MIN IOPS", "MAX IOPS",
                "BURST IOPS", "READ OPS", "WRITE OPS", "READ", "WRITTEN"),
                List.of(out.lines().findFirst().orElseThrow().strip().split(" *[│|] *")));
        String row = out.lines().filter(l -> l.contains("| 2026-12-01T01:00:00Z | 2026-12-01T02:00:00Z |")).findFirst().orElseThrow();
        assertEquals(List.of("vol1", "project, \"seven\"", "sf-1", "2026-12-01T01:00:00Z", "2026-12-01T02:00:00Z", "900",
                "20 GiB", "1000", "-", "-", "0", "7", "-", "28 KiB"), List.of(row.strip().split(" *[│|] *")));
        usage.records.clear();
        assertTrue(Console.run(command("2026-12-01", "2026-12-02")).contains("No usage in this span"));
    }

    @Test
    void csvHasAHeaderRowRawNumbersUtcTimesAndQuotesWhatNeedsIt() throws Exception {
        records();
        Usage u = command("2026-12-01", "2026-12-02");
        u.csv = true;

        String out = Console.run(u);

        assertTrue(out.endsWith("\r\n"), "RFC 4180 line ends");
        List<String> lines = List.of(out.split("\r\n"));
        assertEquals(3, lines.size());
        assertEquals("volume_id,volume,tenant,pool,start,end,seconds,allocated_bytes,guaranteed_iops,max_iops,burst_iops,"
                + "read_ops,write_ops,read_bytes,write_bytes", lines.get(0));
        assertEquals(ID + ",vol1,\"project, \"\"seven\"\"\",sf-1,2026-12-01T00:00:00Z,2026-12-01T01:00:00Z,3600,"
                + (10L << 30) + ",2500,5000,7500,120,340,491520,1392640", lines.get(1));
        usage.records.clear();
        assertEquals(1, List.of(Console.run(u).split("\r\n")).size(), "the header row even when empty");
    }

    @Test
    void jsonIsAnArrayOfRecordsOnePerLine() throws Exception {
        records();
        Usage u = command("2026-12-01", "2026-12-02");
        u.json = true;

        String out = Console.run(u);
        JsonNode array = new ObjectMapper().readTree(out);

        assertEquals(4, out.strip().lines().count());
        assertEquals(2, array.size());
        assertEquals(List.of("volumeId", "volume", "tenant", "pool", "start", "end", "seconds", "allocatedBytes",
                "guaranteedIops", "maxIops", "burstIops", "readOps", "writeOps", "readBytes", "writeBytes"),
                VolumeCommandsTest.names(array.get(0)));
        assertEquals("2026-12-01T01:00:00Z", array.get(1).get("start").asText());
        assertEquals(2500, array.get(0).get("guaranteedIops").asLong());
    }

    @Test
    void csvFieldsAreQuotedExactlyWhenTheyHoldACommaAQuoteOrALineBreak() {
        assertEquals("plain-name_1.2", org.spindle.storage.shell.internal.Csv.field("plain-name_1.2"));
        assertEquals("\"a,b\"", org.spindle.storage.shell.internal.Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", org.spindle.storage.shell.internal.Csv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", org.spindle.storage.shell.internal.Csv.field("two\nlines"));
        assertEquals("\"cr\r\"", org.spindle.storage.shell.internal.Csv.field("cr\r"));
        assertEquals("", org.spindle.storage.shell.internal.Csv.field(null));
    }

    private void refused(Usage u, String field, String message) {
        StorageException e = assertThrows(StorageException.class, () -> Console.run(u));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": ") && e.getMessage().contains(message), e.getMessage());
        assertEquals(List.of(), usage.queries, "no query for bad input");
    }

    @Test
    void badInputNamesTheOptionBeforeAnyQuery() {
        refused(command("yesterday", "2026-12-02"), "from", "must be an ISO-8601 instant in UTC or with an offset");
        refused(command("2026-12-01", "2026-12-01T10:00:00"), "to", "a time without a zone is ambiguous, add Z for UTC");
        refused(command("2026-12-01", "2026-13-01"), "to", "(was '2026-13-01')");
        refused(command(null, "2026-12-02"), "from", "is required");
        refused(command("2026-12-02", "2026-12-01"), "to", "must be after from 2026-12-02T00:00:00Z");
        Usage both = command("2026-12-01", "2026-12-02");
        both.csv = true;
        both.json = true;
        refused(both, "csv", "--csv and --json exclude each other");
    }
}
