package org.spindle.storage.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeState;

class VolumeListTest {
    private final FakeVolumeService volumes = new FakeVolumeService();
    private final ObjectMapper mapper = new ObjectMapper();

    private VolumeList list() {
        VolumeList list = new VolumeList();
        list.volumes = volumes;
        return list;
    }

    /** {@code count} volumes v0000…, every third in pool sf-2 and tenant t-2, every fifth READY (else ALLOCATED). */
    private void volumes(int count) {
        for (int i = 0; i < count; i++) {
            Volume v = Samples.volume(String.format("v%04d", i), i % 5 == 0 ? VolumeState.READY : VolumeState.ALLOCATED);
            volumes.with(new Volume(v.id(), v.name(), i % 3 == 0 ? "t-2" : "t-1", v.sizeBytes(), v.offering(),
                    i % 3 == 0 ? "sf-2" : "sf-1", v.state(), v.version(), v.requested(), v.plan(), null, null, null, null,
                    v.created(), v.updated()));
        }
    }

    private static List<String> rows(String out) {
        return out.lines().filter(l -> l.startsWith("v")).map(l -> l.split(" ")[0]).toList();
    }

    @Test
    void withoutLimitItPagesThroughEverythingAPageAtATime() throws Exception {
        volumes(2500);

        String out = Console.run(list());

        assertEquals(3, volumes.queries.size(), "three pages of 1000");
        assertFalse(volumes.calls.contains("list"), "never every volume in one call");
        assertEquals(List.of(1000, 1000, 1000), volumes.queries.stream().map(VolumeQuery::limit).toList());
        assertNull(volumes.queries.get(0).after());
        assertEquals(Samples.volume("v0999", VolumeState.READY).id().toString(), volumes.queries.get(1).after());
        assertEquals(Samples.volume("v1999", VolumeState.READY).id().toString(), volumes.queries.get(2).after());
        List<String> names = rows(out);
        assertEquals(2500, names.size());
        assertEquals("v0000", names.get(0));
        assertEquals("v2499", names.get(2499));
        assertEquals(2500, names.stream().distinct().count());
        assertFalse(out.contains("Next page"), out.substring(out.length() - 200));
        // one header for the whole listing, and the columns of the later pages line up with the first page's
        assertEquals(1, out.lines().filter(l -> l.startsWith("NAME")).count());
        String first = out.lines().filter(l -> l.startsWith("v0000")).findFirst().orElseThrow();
        String later = out.lines().filter(l -> l.startsWith("v2499")).findFirst().orElseThrow();
        assertEquals(separators(first), separators(later), first + "\n" + later);
    }

    private static List<Integer> separators(String line) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '|' || line.charAt(i) == '│') {
                at.add(i);
            }
        }
        return at;
    }

    @Test
    void theTableIsOutPageByPage() throws Exception {
        volumes(2100);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<Long> rowsBeforeEachPage = new ArrayList<>();
        volumes.onPage = () -> rowsBeforeEachPage.add(buffer.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("v")).count());
        PrintStream original = System.out;
        System.setOut(new PrintStream(new BufferedOutputStream(buffer, 1 << 24), false, StandardCharsets.UTF_8));
        try {
            list().execute();
        } finally {
            System.setOut(original);
        }
        assertEquals(List.of(0L, 1000L, 2000L), rowsBeforeEachPage);
    }

    @Test
    void aFullPageEndsAtExactlyItsSizeWithoutAnEmptyExtraPageWhenShort() throws Exception {
        volumes(1000);
        Console.run(list());
        assertEquals(2, volumes.queries.size(), "a full page asks for the next one, which is empty");
        volumes.queries.clear();
        volumes.volumes.clear();
        volumes(999);
        Console.run(list());
        assertEquals(1, volumes.queries.size(), "a short page is the last");
    }

    @Test
    void limitPrintsOnePageAndHowToGetTheNext() throws Exception {
        volumes(30);
        VolumeList list = list();
        list.limit = "10";
        list.after = "v0004";

        String out = Console.run(list);

        assertEquals(1, volumes.queries.size());
        assertEquals(new VolumeQuery(10, "v0004", null, null, null, false), volumes.queries.get(0));
        List<String> names = rows(out);
        assertEquals("v0005", names.get(0));
        assertEquals("v0014", names.get(9));
        assertEquals(10, names.size());
        assertTrue(out.strip().endsWith("Next page: --after " + Samples.volume("v0014", VolumeState.READY).id()), out);

        list.after = "v0024";
        String last = Console.run(list);
        assertEquals(5, rows(last).size());
        assertFalse(last.contains("Next page"), last);
    }

    @Test
    void filtersReachTheQuery() throws Exception {
        volumes(50);
        VolumeList list = list();
        list.state = "ready";
        list.pool = "sf-2";
        list.tenant = "t-2";

        String out = Console.run(list);

        assertEquals(new VolumeQuery(VolumeQuery.DEFAULT_LIMIT, null, VolumeState.READY, "sf-2", "t-2", false),
                volumes.queries.get(0));
        assertEquals(List.of("v0000", "v0015", "v0030", "v0045"), rows(out));
    }

    @Test
    void stateDestroyedListsDestroyedVolumes() throws Exception {
        volumes.with(Samples.volume("gone", VolumeState.DESTROYED), Samples.volume("here", VolumeState.READY));
        VolumeList list = list();
        list.state = "DESTROYED";

        String out = Console.run(list);

        assertTrue(volumes.queries.get(0).includeDestroyed());
        assertTrue(out.contains("gone") && !out.contains("here"), out);
    }

    @Test
    void badValuesNameTheOptionAndWhatIsAllowedBeforeAnyCall() {
        for (String bad : List.of("0", "10001", "ten", "-1", "1.5")) {
            VolumeList list = list();
            list.limit = bad;
            StorageException e = assertThrows(StorageException.class, () -> Console.run(list));
            assertEquals(Reason.INVALID_ARGUMENT, e.reason());
            assertEquals("limit: must be a whole number 1 to 10000 (was '" + bad + "')", e.getMessage());
        }
        VolumeList list = list();
        list.state = "running";
        StorageException e = assertThrows(StorageException.class, () -> Console.run(list));
        assertEquals("state", e.field());
        assertEquals("state: must be one of ALLOCATED, CREATING, READY, ATTACHING, ATTACHED, DETACHING, RESIZING, "
                + "CHANGING_QOS, DESTROYING, DESTROYED, ERROR (was 'running')", e.getMessage());
        assertEquals(List.of(), volumes.calls);
    }

    @Test
    void jsonIsOneArrayWrittenPageByPageOneCompactVolumePerLine() throws Exception {
        volumes(2100);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<Long> writtenBeforeEachPage = new ArrayList<>();
        volumes.onPage = () -> writtenBeforeEachPage.add(buffer.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("{")).count());
        VolumeList list = list();
        list.json = true;

        PrintStream original = System.out;
        // buffered as a shell session's stream is: only what the command flushes reaches the reader
        System.setOut(new PrintStream(new BufferedOutputStream(buffer, 1 << 24), false, StandardCharsets.UTF_8));
        try {
            list.execute();
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(List.of(0L, 1000L, 2000L), writtenBeforeEachPage, "each page is out before the next is fetched");
        JsonNode array = mapper.readTree(out);
        assertEquals(2100, array.size());
        assertEquals("v2099", array.get(2099).get("name").asText());
        List<String> lines = out.lines().toList();
        assertEquals(2102, lines.size(), "[, one line per volume, ]");
        assertEquals("[", lines.get(0));
        assertEquals("]", lines.get(2101));
        assertEquals("v0000", mapper.readTree(lines.get(1).replaceFirst(",$", "")).get("name").asText());
        assertFalse(out.contains("\n  "), "compact, not indented");
        JsonNode v = array.get(0);
        for (String field : List.of("id", "name", "state", "plan", "applied", "drift")) {
            assertTrue(v.has(field), field);
        }
    }

    @Test
    void jsonOfNothingIsAnEmptyArray() throws Exception {
        VolumeList list = list();
        list.json = true;
        assertEquals("[]", Console.run(list).strip());
    }

    @Test
    void aListingCutByAFailureIsNotValidJson() throws Exception {
        volumes(1500);
        volumes.onPage = () -> {
            if (volumes.queries.size() == 2) {
                volumes.failure = new StorageException(Reason.UNAVAILABLE, "database away");
            }
        };
        VolumeList list = list();
        list.json = true;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertThrows(StorageException.class, list::execute);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("[") && !out.strip().endsWith("]"), "no closing bracket after a failure");
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> mapper.readTree(out));
    }

    @Test
    void aPageThatDoesNotAdvanceEndsTheListing() throws Exception {
        volumes(1000);
        FakeVolumeService stuck = new FakeVolumeService() {
            @Override
            public List<Volume> list(VolumeQuery query) {
                queries.add(query);
                return VolumeListTest.this.volumes.list(VolumeQuery.firstPage());
            }
        };
        VolumeList list = new VolumeList();
        list.volumes = stuck;
        Console.run(list);
        assertEquals(2, stuck.queries.size(), "a core that ignores --after cannot make the listing loop");
        assertTrue(UUID.fromString(stuck.queries.get(1).after()) != null);
    }
}
