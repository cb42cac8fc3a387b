package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.core.internal.qos.LimitCapabilities;
import org.spindle.storage.core.internal.qos.QosPlanner;
import org.spindle.storage.core.internal.qos.StorageCapabilities;

/**
 * What the core's planner makes of limits for a service that declares what this one does (IOPS, TOTAL,
 * WEIGHT): read and write IOPS folded into one total, bandwidth caps and bursts refused. The declaration is read
 * from the service class itself, so changing it is checked here too.
 */
class VmwarePlannerRulesTest {
    static final LimitCapabilities VMWARE = declared();

    /** hypervisor.limits as DS registers it: read from the component description bnd generated. */
    static LimitCapabilities declared() {
        String xml;
        try (InputStream in = VmwarePlannerRulesTest.class.getClassLoader().getResourceAsStream(
                "OSGI-INF/" + VmwareAttachService.class.getName() + ".xml")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no component description for " + VmwareAttachService.class.getName(), e);
        }
        Matcher m = Pattern.compile("<property name=\"hypervisor.limits\" type=\"String\">([^<]*)</property>").matcher(xml);
        if (!m.find()) {
            return LimitCapabilities.NONE;
        }
        return LimitCapabilities.of(m.group(1).trim().split("\\s+"));
    }

    static QosPlan plan(IoLimits limits) {
        return new QosPlanner().plan(new QosSpec(StorageQos.NONE, limits), StorageCapabilities.NONE, VMWARE);
    }

    static IoLimits of(Limit readIops, Limit writeIops, Limit totalIops, Limit totalBps) {
        return new IoLimits(readIops, writeIops, totalIops, Limit.NONE, Limit.NONE, totalBps);
    }

    @Test
    void theServiceDeclaresIopsTotalAndWeightOnly() {
        assertEquals(java.util.List.of("iops", "total", "weight"), VMWARE.tokens().stream().sorted().toList());
    }

    @Test
    void readAndWriteIopsAreFoldedIntoOneTotal() {
        IoLimits planned = plan(of(Limit.of(300), Limit.of(200), Limit.NONE, Limit.NONE)).hypervisor();
        assertEquals(500, planned.totalIops().rate());
        assertFalse(planned.hasSplit());
        // and what the planner gives is what this service accepts
        VmwareCluster.checkLimits(planned);
        assertEquals(500, VolumeLayout.iopsLimit(planned));
    }

    @Test
    void aBandwidthCapIsRefusedBeforeTheServiceIsCalled() {
        StorageException e = assertThrows(StorageException.class,
                () -> plan(of(Limit.NONE, Limit.NONE, Limit.of(500), Limit.of(100L << 20))));
        assertEquals(StorageException.Reason.QOS_REFUSED, e.reason());
        assertTrue(e.getMessage().contains("bps") || e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void aBurstIsRefusedBeforeTheServiceIsCalled() {
        StorageException e = assertThrows(StorageException.class,
                () -> plan(of(Limit.NONE, Limit.NONE, new Limit(500, 800, 30), Limit.NONE)));
        assertEquals(StorageException.Reason.QOS_REFUSED, e.reason());
    }

    @Test
    void aOneSidedReadLimitIsRefused() {
        StorageException e = assertThrows(StorageException.class, () -> plan(of(Limit.of(300), Limit.NONE, Limit.NONE, Limit.NONE)));
        assertEquals(StorageException.Reason.QOS_REFUSED, e.reason());
    }

    @Test
    void aWeightReachesTheService() {
        IoLimits planned = plan(of(Limit.NONE, Limit.NONE, Limit.of(400), Limit.NONE).withWeight(700)).hypervisor();
        assertEquals(700, planned.weight());
        assertTrue(VolumeLayout.shares(planned) > 1000);
    }
}
