package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

class VolumeLayoutTest {
    @Test
    void namesAreDerivedFromTheVolumeIdAndFitVmfs() {
        UUID id = UUID.fromString("0f8e6a2c-1d3b-4c5e-9f70-a1b2c3d4e5f6");
        String ds = VolumeLayout.datastoreName(id);
        assertEquals("spindle-0f8e6a2c1d3b4c5e9f70a1b2c3d4e5f6", ds);
        assertTrue(ds.length() <= 42, "VMFS volume names stop at 42 characters");
        assertEquals("[" + ds + "] spindle-" + id + ".vmdk", VolumeLayout.vmdkPath(id));
        assertEquals(Optional.of(id), VolumeLayout.volumeOf(ds));
        assertEquals(Optional.empty(), VolumeLayout.volumeOf("datastore1"));
        assertEquals(Optional.empty(), VolumeLayout.volumeOf("spindle-xyz"));
    }

    @Test
    void theVmdkLeavesOnePercentOrSixteenMebibytes() {
        assertEquals((128 - 16) * 1024L, VolumeLayout.vmdkKb(128L << 20));
        assertEquals((100L * 1024 - 1024) * 1024, VolumeLayout.vmdkKb(100L << 30));
    }

    @Test
    void limitsBecomeAnIopsLimitAndShares() {
        IoLimits none = IoLimits.NONE;
        assertEquals(-1, VolumeLayout.iopsLimit(none));
        assertEquals(0, VolumeLayout.shares(none));
        IoLimits total = new IoLimits(Limit.NONE, Limit.NONE, Limit.of(2500), Limit.NONE, Limit.NONE, Limit.NONE, 1);
        assertEquals(2500, VolumeLayout.iopsLimit(total));
        assertEquals(VolumeLayout.MIN_SHARES, VolumeLayout.shares(total));
        assertEquals(VolumeLayout.MAX_SHARES, VolumeLayout.shares(total.withWeight(IoLimits.MAX_WEIGHT)));
        assertEquals(2098, VolumeLayout.shares(total.withWeight(500)), "200 + 499 × 3800 / 999");
    }
}
