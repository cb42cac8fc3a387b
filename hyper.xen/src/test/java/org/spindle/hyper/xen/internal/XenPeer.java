package org.spindle.hyper.xen.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.xen.simulator.TgtLun;
import org.spindle.xen.simulator.XenSimulator;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A simulated pool of three hosts (xen1 master, xen2, xen3) with VMs, and the attach service's pool on it. */
final class XenPeer implements AutoCloseable {
    static final String IQN1 = "iqn.2026-12.org.spindle.hyperxen:xen1";
    static final String IQN2 = "iqn.2026-12.org.spindle.hyperxen:xen2";
    static final String IQN3 = "iqn.2026-12.org.spindle.hyperxen:xen3";
    static final String STATIC_SR = "operators-sr";

    final XenSimulator sim;
    final XenPool pool;
    final XenSession session;
    final PoolSettings settings;

    XenPeer(String url) throws IOException {
        this(null, url);
    }

    private XenPeer(XenSimulator given, String url) throws IOException {
        this.sim = given != null ? given : XenSimulator.builder()
                .host("xen1", IQN1).host("xen2", IQN2).host("xen3", IQN3)
                .vm("web", "xen2", true).vm("db", null, false).vm("twin", "xen1", true).vm("twin", "xen3", true)
                .build().start();
        PoolSettings s = PoolSettings.of(Configs.config(Configs.valid(), "xen.url", url == null ? sim.url() : url.replace("PORT",
                Integer.toString(sim.port())), ".xen.password", sim.password(), "tls.fingerprint.sha256", sim.certificateSha256(), "static.srs", new String[] {STATIC_SR}));
        this.settings = s;
        this.session = new XenSession(s, XenTls.of(s));
        this.pool = new XenPool(session, s.staticSrs());
    }

    static XenPeer start() throws IOException {
        return new XenPeer(null);
    }

    /** The attach service's pool on a simulator of the test's own (started). */
    static XenPeer on(XenSimulator sim) throws IOException {
        return new XenPeer(sim, null);
    }

    static void requireTgt() {
        String message = "real-iSCSI tests need tgtd and libiscsi-bin: run scripts/tgt.sh start";
        if (Boolean.getBoolean("spindle.require.tgt")) {
            assertTrue(TgtLun.available(), message + " (spindle.require.tgt=true)");
        } else {
            assumeTrue(TgtLun.available(), message);
        }
    }

    static TgtLun lun(String name, long size) throws IOException {
        return TgtLun.create(name, size, "hx" + name.replace("-", ""), "hyperXenSecret" + name.length(), IQN1, IQN2, IQN3);
    }

    static Target target(TgtLun lun, boolean withDeviceId) {
        return new Target("iscsi", List.of(new Portal("127.0.0.1", 3260)), lun.iqn, 1, withDeviceId ? "naa." + lun.naa : null,
                new Chap(lun.user, Secret.of(lun.secret)));
    }

    AttachRequest request(UUID volume, String vm, TgtLun lun, IoLimits limits) {
        VmInfo info = pool.findVm(vm).orElseThrow();
        return new AttachRequest(volume, "vol-" + volume.toString().substring(0, 8), lun.size, info, target(lun, true), true, limits);
    }

    int count(String cls) {
        return sim.records(cls).size();
    }

    /** Nothing of any volume is left in the pool's model. */
    void assertEmpty() {
        for (String cls : List.of("SR", "PBD", "VDI", "VBD", "secret")) {
            List<Map<String, Object>> left = sim.records(cls);
            assertTrue(left.isEmpty(), cls + " left: " + left);
        }
    }

    @Override
    public void close() {
        pool.close();
        sim.close();
    }
}
