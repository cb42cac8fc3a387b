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

    @Test
    void aDisksLimitAndSharesReadBackAsTheLimitsThatMadeThem() {
        for (int weight = 0; weight <= IoLimits.MAX_WEIGHT; weight++) {
            IoLimits asked = new IoLimits(Limit.NONE, Limit.NONE, Limit.of(700), Limit.NONE, Limit.NONE, Limit.NONE, weight);
            int shares = VolumeLayout.shares(asked);
            assertEquals(asked, VolumeLayout.limitsOf(VolumeLayout.iopsLimit(asked), shares == 0 ? "normal" : "custom", shares),
                    "weight " + weight);
        }
        assertEquals(IoLimits.NONE, VolumeLayout.limitsOf(-1, "normal", 1000), "unlimited, normal shares: nothing set");
        assertEquals(IoLimits.NONE, VolumeLayout.limitsOf(0, "normal", 1000));
        // an operator's levels and out-of-range custom shares read as the nearest weight
        assertEquals(80, VolumeLayout.limitsOf(-1, "low", 500).weight(), "low is 500 shares");
        assertEquals(474, VolumeLayout.limitsOf(-1, "high", 2000).weight(), "high is 2000 shares");
        assertEquals(1, VolumeLayout.limitsOf(-1, "custom", 10).weight());
        assertEquals(IoLimits.MAX_WEIGHT, VolumeLayout.limitsOf(-1, "custom", 9000).weight());
    }
}
