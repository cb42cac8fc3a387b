package org.spindle.storage.shell;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.spindle.storage.api.Chap;
import org.spindle.storage.api.PoolCapacity;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.AttachServiceInfo;
import org.spindle.storage.api.runtime.DriverInfo;
import org.spindle.storage.api.runtime.PoolInfo;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeAttachment;
import org.spindle.storage.api.volume.VolumeState;

/** Values for tests. */
public final class Samples {
    public static final String CHAP_USER = "chap-user-7";
    public static final String CHAP_TARGET_USER = "chap-target-user-7";
    public static final String CHAP_SECRET = "s3cr3t-initiator";
    public static final String CHAP_TARGET_SECRET = "s3cr3t-target";
    public static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    public static final long GIB = 1L << 30;
    public static final String DEVICE_ID = "naa.6f47acc100000000706c796a00000042";
    public static final String IQN_KVM_3 = "iqn.2026-11.org.spindle.test:host.kvm-3";
    public static final String IQN_XEN_1 = "iqn.2026-11.org.spindle.test:host.xen-1";
    public static final String IQN_XEN_2 = "iqn.2026-11.org.spindle.test:host.xen-2";
    public static final String VM_ID = "6c1d3a52-8c1e-4d7e-9a3b-0d7f2c1e5a10";

    static final QosSpec REQUESTED = new QosSpec(new StorageQos(1000, 2000, 3000),
            new IoLimits(new Limit(500, 800, 30), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE,
                    Limit.of(100L << 20)));
    static final QosPlan PLAN = new QosPlan(REQUESTED.storage(), REQUESTED.limits(),
            new EffectiveQos(1000, 2000, 3000, 100L << 20));

    private Samples() {
    }

    /** A target on an IPv4 and an IPv6 portal, carrying mutual CHAP credentials, as grantAccess hands it out. */
    public static Target targetWithChap() {
        return new Target("iscsi", List.of(new Portal("10.0.0.5", 3260), new Portal("fd00::5", 3261)),
                "iqn.2010-01.com.solidfire:abc.vol1.42", 0, DEVICE_ID,
                new Chap(CHAP_USER, Secret.of(CHAP_SECRET), CHAP_TARGET_USER, Secret.of(CHAP_TARGET_SECRET)));
    }

    static Volume volume(String name, VolumeState state) {
        return new Volume(UUID.nameUUIDFromBytes(name.getBytes()), name, "admin", 10 * GIB, "gold", "sf-1", state, 1,
                REQUESTED, PLAN, null, null, null, null, CREATED, CREATED);
    }

    static Volume attached(String name) {
        UUID id = UUID.nameUUIDFromBytes(name.getBytes());
        return new Volume(id, name, "tenant-9", 10 * GIB, "gold", "sf-1", VolumeState.ATTACHED, 7, REQUESTED, PLAN,
                "4711", targetWithChap(), new VolumeAttachment("kvm-3", VM_ID, "vm-1", "kvm-3", "sdb",
                        List.of(IQN_KVM_3)), null, CREATED, CREATED.plusSeconds(60));
    }

    /** Attached through the attach service of Xen pool {@code pool-a} (hosts xen-1 and xen-2), on xen-2. */
    static Volume attachedToCluster(String name) {
        Volume v = attached(name);
        return new Volume(v.id(), name, v.tenant(), v.sizeBytes(), v.offering(), v.pool(), v.state(), v.version(),
                v.requested(), v.plan(), v.sanId(), v.target(), new VolumeAttachment("pool-a", VM_ID, "vm-1", "xen-2",
                        "xvdc", List.of(IQN_XEN_1, IQN_XEN_2)), null, v.created(), v.updated());
    }

    static PoolInfo pool(String name) {
        return new PoolInfo(name, "zone-1", List.of("ssd", "gold"), "iscsi", true, "solidfire", true,
                new PoolCapacity(10L << 40, 1L << 40, 100_000, 12_000), 3);
    }

    static DriverInfo driver(String source, ServiceStatus status, String reason) {
        return new DriverInfo(source, "org.spindle.storage.driver.solidfire", "solidfire", "sf-1", "zone-1",
                List.of("ssd"), List.of("iscsi"), List.of("min-iops", "max-iops", "burst-iops"), true, status, reason);
    }

    /** A single-host attach service: its identity is the host. */
    static AttachServiceInfo attachService(String host, ServiceStatus status, String reason) {
        return new AttachServiceInfo("42", "org.spindle.storage.hyper.kvm", host, "kvm", List.of(host), null, "zone-1",
                List.of("iscsi"), List.of("iqn.2026-11.org.spindle.test:host." + host), List.of("iops", "read-write"),
                List.of("libvirt-pool"), status, reason);
    }

    /** The attach service of Xen pool pool-a, hosts xen-1 and xen-2. */
    static AttachServiceInfo clusterService() {
        return new AttachServiceInfo("43", "org.spindle.hyper.xen", "pool-a", "xen", List.of("xen-1", "xen-2"),
                "pool-a", "zone-1", List.of("iscsi"), List.of(IQN_XEN_1, IQN_XEN_2), List.of("iops", "total", "weight"),
                List.of(), ServiceStatus.BOUND, null);
    }
}
