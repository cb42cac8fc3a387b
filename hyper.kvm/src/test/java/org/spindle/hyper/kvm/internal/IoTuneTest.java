package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

class IoTuneTest {

    @Test
    void readWriteWithBursts() {
        IoTune t = IoTune.of(new IoLimits(new Limit(500, 1000, 5), Limit.of(300), Limit.NONE,
                Limit.of(1000), new Limit(2000, 4000, 0), Limit.NONE));
        assertEquals(18, t.parameters().size(), "every parameter, so that a change clears what it does not set");
        assertEquals("<iotune><read_bytes_sec>1000</read_bytes_sec><write_bytes_sec>2000</write_bytes_sec>"
                + "<read_iops_sec>500</read_iops_sec><write_iops_sec>300</write_iops_sec>"
                + "<write_bytes_sec_max>4000</write_bytes_sec_max><read_iops_sec_max>1000</read_iops_sec_max>"
                + "<write_bytes_sec_max_length>1</write_bytes_sec_max_length>"
                + "<read_iops_sec_max_length>5</read_iops_sec_max_length></iotune>", t.xml());
        assertEquals(0L, t.parameters().get("total_iops_sec"));
    }

    @Test
    void totals() {
        IoTune t = IoTune.of(new IoLimits(Limit.NONE, Limit.NONE, Limit.of(800), Limit.NONE, Limit.NONE, Limit.of(1 << 20)));
        assertEquals("<iotune><total_bytes_sec>1048576</total_bytes_sec><total_iops_sec>800</total_iops_sec></iotune>", t.xml());
    }

    @Test
    void noLimitsNoElement() {
        IoTune t = IoTune.of(IoLimits.NONE);
        assertTrue(t.isEmpty());
        assertEquals("", t.xml());
    }

    @Test
    void neverTotalWithReadOrWriteOfTheSameUnit() {
        StorageException e = assertThrows(StorageException.class, () -> IoTune.of(
                new IoLimits(Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.of(10), Limit.of(20))));
        assertEquals(Reason.QOS_REFUSED, e.reason());
        assertThrows(StorageException.class, () -> IoTune.of(
                new IoLimits(Limit.of(1), Limit.NONE, Limit.of(2), Limit.NONE, Limit.NONE, Limit.NONE)));
        // total IOPS with read/write bytes is fine: different units
        IoTune.of(new IoLimits(Limit.NONE, Limit.NONE, Limit.of(2), Limit.of(5), Limit.of(5), Limit.NONE));
    }

    @Test
    void readBackDifferences() {
        IoTune t = IoTune.of(new IoLimits(Limit.of(500), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE));
        Map<String, Long> back = new HashMap<>(t.parameters());
        back.put("write_iops_sec_max_length", 1L); // QEMU's default burst length
        assertEquals(List.of(), t.differences(back));
        back.put("read_iops_sec", 400L);
        assertEquals(List.of("read_iops_sec is 400, expected 500"), t.differences(back));
    }

    @Test
    void readBackIsTheFormTheLimitsWereGivenIn() {
        IoLimits plan = new IoLimits(new Limit(500, 1000, 5), Limit.of(300), Limit.NONE,
                Limit.of(1000), new Limit(2000, 4000, 3), Limit.NONE);
        assertEquals(plan, IoTune.limits(IoTune.of(plan).parameters()));
        IoLimits totals = new IoLimits(Limit.NONE, Limit.NONE, new Limit(800, 900, 2), Limit.NONE, Limit.NONE, Limit.of(1 << 20));
        assertEquals(totals, IoTune.limits(IoTune.of(totals).parameters()));
        assertEquals(IoLimits.NONE, IoTune.limits(Map.of()));
    }

    @Test
    void readBackShowsQemusDefaultBurstLengthAndIgnoresLengthsWithoutBurst() {
        Map<String, Long> back = new HashMap<>(IoTune.of(new IoLimits(new Limit(500, 1000, 0), Limit.NONE, Limit.NONE,
                Limit.NONE, Limit.NONE, Limit.NONE)).parameters());
        for (String base : IoTune.BASES) {
            back.put(base + "_max_length", 1L); // QEMU reports 1 s for every limit, with a burst or not
        }
        back.put("size_iops_sec", 4096L); // never set by Spindle
        assertEquals(new IoLimits(new Limit(500, 1000, 1), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE),
                IoTune.limits(back));
    }

    @Test
    void aBurstQemuRefusesReadsBackAsNone() {
        // what libvirt keeps in a stopped domain's configuration after blkdeviotune --config --total-bytes-sec
        assertEquals(new IoLimits(Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.of(3000)),
                IoTune.limits(Map.of("total_bytes_sec", 3000L, "write_bytes_sec_max", 8000L, "write_bytes_sec_max_length", 2L)));
        assertEquals(new IoLimits(Limit.of(500), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE),
                IoTune.limits(Map.of("read_iops_sec", 500L, "read_iops_sec_max", 100L)));
    }
}
