package org.spindle.solidfire.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.test.support.Commands;

/**
 * A volume's I/O counters in GetVolumeStats / ListVolumeStatsByVolume are what reached its LUN: QEMU's own iSCSI
 * initiator ({@code qemu-io}, libiscsi) writes 1 MiB and reads 512 KiB, and exactly those bytes are counted on that
 * volume and on no other. Counters that stay 0, or that count anything else, fail it.
 */
class VolumeIoCountersTest {
    static final String HOST = "iqn.2024-01.org.spindle.test:iocount";
    static final String USER = "IoCount_1";
    static final String SECRET = "ioCountSecret1";
    static final long MIB = 1024 * 1024;

    ElementSimulator sim;
    Rpc rpc;

    @BeforeEach
    void start() throws IOException {
        Iscsi.requireTgt();
        boolean qemuIo = Commands.installed("qemu-io")
                && Commands.run("sh", "-c", "ls /usr/lib/*/qemu/block-iscsi.so").succeeded();
        Iscsi.require(qemuIo, "qemu-io with QEMU's iSCSI driver (qemu-utils, qemu-block-extra: scripts/libvirt.sh start) is missing");
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.ON).start();
        rpc = new Rpc(sim);
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.stop();
        }
    }

    @Test
    void countsTheBytesThatReachedTheLunPerVolume() throws IOException {
        long account = rpc.call("AddAccount", Map.of("username", USER, "initiatorSecret", SECRET)).get("accountID").asLong();
        long used = rpc.createVolume("io-used", account, 1_000_000_000L);
        long idle = rpc.createVolume("io-idle", account, 1_000_000_000L);
        rpc.call("CreateVolumeAccessGroup", Map.of("name", "io", "initiators", List.of(HOST), "volumes", List.of(used, idle)));
        JsonNode before = stats(used);
        for (String counter : List.of("readBytes", "writeBytes", "readOps", "writeOps")) {
            assertEquals(0, before.get(counter).asLong(), counter + " of a volume nobody used: " + before);
        }

        qemuIo(used, "write -P 0xab 0 1M", "read -P 0xab 0 512k");

        JsonNode after = stats(used);
        assertEquals(MIB, after.get("writeBytes").asLong(), "bytes written through the LUN: " + after);
        assertEquals(512 * 1024, after.get("readBytes").asLong(), "bytes read through the LUN: " + after);
        assertTrue(after.get("writeOps").asLong() >= 1 && after.get("readOps").asLong() >= 1, after.toString());
        assertTrue(after.get("writeOps").asLong() <= MIB / 512, "at most one operation per sector: " + after);
        // what was counted is what is there
        Path backing = sim.backingFile(used).orElseThrow();
        byte[] head = new byte[(int) MIB];
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "r")) {
            f.readFully(head);
        }
        byte[] expected = new byte[(int) MIB];
        Arrays.fill(expected, (byte) 0xab);
        assertArrayEquals(expected, head, "the written MiB is in the volume's backing file");

        JsonNode other = stats(idle);
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(other.get("readBytes").asLong(), other.get("writeBytes").asLong(),
                other.get("readOps").asLong(), other.get("writeOps").asLong()), "the other volume did no I/O: " + other);

        // the list gives the same counters
        JsonNode listed = null;
        for (JsonNode s : rpc.call("ListVolumeStatsByVolume").get("volumeStats")) {
            if (s.get("volumeID").asLong() == used) {
                listed = s;
            }
        }
        assertTrue(listed != null);
        assertEquals(after.get("writeBytes"), listed.get("writeBytes"));
        assertEquals(after.get("readBytes"), listed.get("readBytes"));

        // and they grow with the next I/O
        qemuIo(used, "read 0 1M");
        assertEquals(512 * 1024 + MIB, stats(used).get("readBytes").asLong());
    }

    JsonNode stats(long volumeId) {
        return rpc.call("GetVolumeStats", Map.of("volumeID", volumeId)).get("volumeStats");
    }

    /** Runs qemu-io commands on the volume's LUN through QEMU's iSCSI initiator (libiscsi), with CHAP. */
    void qemuIo(long volumeId, String... commands) {
        String iqn = sim.volume(volumeId).orElseThrow().iqn();
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-io", "--image-opts"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add("driver=iscsi,transport=tcp,portal=" + Iscsi.PORTAL + ",target=" + iqn + ",lun=" + sim.lun() + ",user=" + USER
                + ",password=" + SECRET + ",initiator-name=" + HOST);
        Commands.Result r = Commands.run(cmd.toArray(String[]::new));
        if (!r.succeeded() || r.out().contains("failed") || r.out().contains("Pattern verification")) {
            fail("qemu-io " + List.of(commands) + " (exit " + r.exit() + "): " + r.out());
        }
    }
}
