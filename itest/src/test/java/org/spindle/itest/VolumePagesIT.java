package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code storage:volume-list} pages through the real core (issue 14), on a distribution started from its tar.gz with
 * the test driver: 1,500 volumes of 64 MiB (a test pool holds 1 TiB) in two pools and two tenants. Without
 * {@code --limit} the whole listing comes in pages of 1,000 and {@code --json} is one array, one compact volume per
 * line; {@code --limit} and {@code --after} walk it page by page without a gap or a repeat; the filters select what
 * they name; bad values are refused naming the option. Whole listings (megabytes of JSON) are read over OpenSSH
 * ({@link KarafProcess#ssh}): Karaf's {@code bin/client} can drop the tail of an output that long.
 */
public class VolumePagesIT {
    private static final int COUNT = 1_500;
    private static KarafProcess karaf;

    @BeforeClass
    public static void start() throws Exception {
        karaf = KarafProcess.unpack(Paths.get(System.getProperty("spindle.distribution.tar", "missing")), Paths.get("target/pages/spindle"));
        Files.copy(Paths.get(System.getProperty("spindle.itest.driver.jar")), karaf.home.resolve("deploy/org.spindle.itest.driver.jar"));
        for (String pool : List.of("pga", "pgb")) {
            Files.writeString(karaf.home.resolve("etc/org.spindle.itest.driver-" + pool + ".config"),
                    "storage.pool=\"" + pool + "\"\nstorage.zone=\"zpg\"\nstorage.tags=[\"" + pool + "\"]\n");
        }
        karaf.start();
        karaf.awaitClient(Duration.ofSeconds(120), r -> r.output().contains("\"pga\"") && r.output().contains("\"pgb\"")
                && !r.output().contains("\"available\" : false"), "storage:pool-list --json");
        karaf.ok("storage:offering-create --tags pga pga", "storage:offering-create --tags pgb pgb");
        List<String> creates = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            creates.add("storage:volume-create --offering " + pool(i) + " --tenant " + tenant(i) + " --size 64M " + name(i));
            if (creates.size() == 300 || i == COUNT - 1) {
                karaf.ok(creates.toArray(String[]::new));
                creates.clear();
            }
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    private static String name(int i) {
        return String.format("pv%04d", i);
    }

    private static String pool(int i) {
        return i % 3 == 0 ? "pgb" : "pga";
    }

    private static String tenant(int i) {
        return i % 2 == 0 ? "pt-even" : "pt-odd";
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.path("name").asText()));
        return out;
    }

    @Test
    public void everyVolumeInOneStreamedJsonArrayOldestFirst() throws Exception {
        long t0 = System.nanoTime();
        String out = karaf.ssh("storage:volume-list --json");
        long all = System.nanoTime() - t0;
        JsonNode array = KarafProcess.whole("storage:volume-list --json", out);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            expected.add(name(i));
        }
        assertEquals(expected, names(array));
        List<String> lines = out.strip().lines().map(String::strip).toList();
        assertEquals("[", lines.get(0));
        assertEquals("]", lines.get(lines.size() - 1));
        assertEquals("one compact volume per line", COUNT + 2, lines.size());
        assertTrue(lines.get(1), lines.get(1).startsWith("{\"id\":\"") && lines.get(1).endsWith("},"));

        long t1 = System.nanoTime();
        karaf.ssh("storage:volume-list --json --limit 1");
        long one = System.nanoTime() - t1;
        System.out.printf("VolumePagesIT: volume-list --json of %d volumes over ssh %d ms, of 1 volume %d ms "
                + "(the session's own start-up), ratio %.2f; %d bytes, %d per volume%n", COUNT, all / 1_000_000, one / 1_000_000,
                (double) all / one, out.length(), out.length() / COUNT);
    }

    @Test
    public void limitAndAfterWalkThePagesWithoutGapOrRepeat() throws Exception {
        List<String> seen = new ArrayList<>();
        String after = null;
        Pattern next = Pattern.compile("Next page: --after ([0-9a-f-]{36})");
        int pages = 0;
        while (true) {
            String out = karaf.ok("storage:volume-list --limit 600" + (after == null ? "" : " --after " + after)).output();
            pages++;
            out.lines().filter(l -> l.startsWith("pv")).map(l -> l.split(" ")[0]).forEach(seen::add);
            Matcher m = next.matcher(out);
            if (!m.find()) {
                break;
            }
            after = m.group(1);
            assertTrue("more pages than volumes", pages < 10);
        }
        assertEquals(3, pages);
        assertEquals(COUNT, seen.size());
        assertEquals(COUNT, seen.stream().distinct().count());
        assertEquals(name(0), seen.get(0));
        assertEquals(name(COUNT - 1), seen.get(COUNT - 1));
        // a name works as --after too
        assertEquals(List.of(name(1000), name(1001)),
                names(karaf.json("storage:volume-list --json --limit 2 --after " + name(999))));
    }

    @Test
    public void filtersSelectWhatTheyName() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            if (pool(i).equals("pgb") && tenant(i).equals("pt-odd")) {
                expected.add(name(i));
            }
        }
        JsonNode selected = karaf.sshJson("storage:volume-list --json --pool pgb --tenant pt-odd");
        assertEquals(expected, names(selected));
        selected.forEach(v -> assertEquals("pgb", v.path("pool").asText()));
        assertEquals(0, karaf.json("storage:volume-list --json --state READY").size());
        assertEquals(List.of(name(0), name(1), name(2)), names(karaf.json("storage:volume-list --json --state allocated --limit 3")));

        karaf.ok("storage:volume-create --offering pga --size 1G gone1", "storage:volume-delete gone1");
        assertEquals(List.of("gone1"), names(karaf.json("storage:volume-list --json --state DESTROYED")));
        assertEquals(COUNT, karaf.sshJson("storage:volume-list --json").size());
        assertEquals(COUNT + 1, karaf.sshJson("storage:volume-list --json --all").size());
    }

    @Test
    public void badValuesNameTheOptionAndWhatIsAllowed() throws Exception {
        assertTrue(karaf.fails("storage:volume-list --limit 0").contains("limit: must be a whole number 1 to 10000 (was '0')"));
        assertTrue(karaf.fails("storage:volume-list --limit 20000").contains("limit: must be a whole number 1 to 10000"));
        String state = karaf.fails("storage:volume-list --state running");
        assertTrue(state, state.contains("state: must be one of ALLOCATED,") && state.contains("(was 'running')"));
    }
}
